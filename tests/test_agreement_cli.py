"""``coach agreement`` on marks files on disk: the CSV rows equal the statistics of tables
counted by hand, a two-assessor case, and bad files giving one line and exit code 2 with
nothing written."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.agreement.two_raters import Table, two_rater_stats
from tests.agreement_marks import (
    EXCLUDED,
    HEADER,
    ITEM,
    ITEM2,
    TABLES,
    rater_rows,
    three_files,
    write_marks,
)
from tests.cli_run import coach


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_three_raters_every_pair_equals_its_hand_counted_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = coach("agreement", *three_files(tmp_path / "marks"), "-o", out)
    assert run.code == 0, run.stderr
    rows = _rows(out / "agreement.csv")
    items = [r["item"] for r in rows]
    assert items == [ITEM] * 3 + [ITEM2] * 3 + ["overall"] * 3 + ["all criteria"] * 3
    for row in rows:
        pair = (row["rater_a"], row["rater_b"])
        a, b, c, d = TABLES[pair]
        if row["item"] == "all criteria":  # both criteria have the same marks: twice the counts
            a, b, c, d = 2 * a, 2 * b, 2 * c, 2 * d
        assert (row["both_met"], row["a_met_b_not_met"], row["a_not_met_b_met"],
                row["both_not_met"]) == (str(a), str(b), str(c), str(d))  # fmt: skip
        excluded = EXCLUDED[pair] * (2 if row["item"] == "all criteria" else 1)
        assert row["not_assessable_excluded"] == str(excluded)
        s = two_rater_stats(Table(a, b, c, d))
        assert float(row["kappa"]) == pytest.approx(s.kappa, abs=1e-4)
        if row["item"] != "all criteria":
            assert float(row["kappa_low"]) == pytest.approx(s.kappa_ci.low, abs=1e-4)
            assert row["interval_method"] == "Wilson; Fleiss-Cohen-Everitt"
        assert float(row["percent_agreement"]) == pytest.approx(s.percent, abs=1e-4)
        assert float(row["pabak"]) == pytest.approx(s.pabak, abs=1e-4)
        assert row["kind"] == ("coach-human" if "coach" in pair else "human-human")
    coach_ann = next(r for r in rows if r["item"] == ITEM and r["rater_b"] == "ann")
    assert (coach_ann["kappa"], coach_ann["pabak"]) == ("0.3182", "0.7000")  # F & C table B
    assert coach_ann["landis_koch"] == "fair"
    assert coach_ann["prevalence_index"] == "0.7500"
    # The two criteria of an attempt are copies of each other: pooling them adds no evidence.
    # Resampling attempts keeps the interval as wide as one criterion's; the formula that takes
    # the 200 marks as independent would narrow it by sqrt(2).
    for pair, (a, b, c, d) in TABLES.items():
        one = next(r for r in rows if r["item"] == ITEM and (r["rater_a"], r["rater_b"]) == pair)
        pooled = next(
            r for r in rows if r["item"] == "all criteria" and (r["rater_a"], r["rater_b"]) == pair
        )
        assert pooled["interval_method"] == "cluster bootstrap over attempts"
        ratio = _width(pooled) / _width(one)
        assert 0.8 < ratio < 1.25, (pair, ratio)
        naive = two_rater_stats(Table(2 * a, 2 * b, 2 * c, 2 * d)).kappa_ci
        assert (naive.high - naive.low) / _width(one) == pytest.approx(0.5**0.5, abs=0.06)
    fleiss = _rows(out / "fleiss.csv")
    assert [f["item"] for f in fleiss] == [ITEM, ITEM2, "overall", "all criteria"]
    assert fleiss[3]["n"] == "200" and fleiss[3]["not_assessable_excluded"] == "8"
    assert fleiss[0]["n"] == "100" and fleiss[0]["not_assessable_excluded"] == "4"
    assert (out / "agreement.html").stat().st_size > 10_000
    assert "coach v ann" in run.stdout and "Fleiss, all 3" in run.stdout
    assert "overall, coach v assessors (2 pairs, mean): agreement" in run.stdout


def test_two_assessors_without_the_coach(tmp_path: Path) -> None:
    files = three_files(tmp_path / "marks")[1:]
    run = coach("agreement", *files, "-o", tmp_path / "out")
    assert run.code == 0, run.stderr
    rows = _rows(tmp_path / "out" / "agreement.csv")
    assert {(r["rater_a"], r["rater_b"], r["kind"]) for r in rows} == {
        ("ann", "bob", "human-human")
    }
    assert not (tmp_path / "out" / "fleiss.csv").exists()
    assert "assessors v each other (1 pair, mean): agreement 93.0 %" in run.stdout


def test_one_file_may_hold_every_rater(tmp_path: Path) -> None:
    rows = rater_rows("coach") + rater_rows("ann")
    run = coach("agreement", write_marks(tmp_path / "all.csv", rows), "-o", tmp_path / "out")
    assert run.code == 0, run.stderr
    first = _rows(tmp_path / "out" / "agreement.csv")[0]
    assert (first["rater_a"], first["rater_b"], first["kappa"]) == ("coach", "ann", "0.3182")


def test_an_item_only_one_rater_marked_is_pointed_out(tmp_path: Path) -> None:
    files = three_files(tmp_path / "marks")
    write_marks(files[2], [[*r[:3], r[3].replace(ITEM2, "Guard up after release"), *r[4:]]
                           for r in rater_rows("bob")])  # fmt: skip
    run = coach("agreement", *files, "-o", tmp_path / "out")
    assert run.code == 0, run.stderr
    assert "note: only one rater marked 'Guard up after release' (a label spelled two ways?)" \
        in run.stdout  # fmt: skip
    rows = [r for r in _rows(tmp_path / "out" / "agreement.csv") if r["item"] == ITEM2]
    assert [(r["rater_b"], r["n"]) for r in rows] == [("ann", "100"), ("bob", "0"), ("bob", "0")]


def _width(row: dict[str, str]) -> float:
    return float(row["kappa_high"]) - float(row["kappa_low"])


def _error(tmp_path: Path, *files: Path) -> str:
    out = tmp_path / "out"
    run = coach("agreement", *files, "-o", out)
    assert run.code == 2
    assert not out.exists(), "nothing written for bad input"
    return run.error_line()


def test_a_missing_column(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "assessor"]
    bad = write_marks(tmp_path / "ann.csv", [["c", "t", "1", "overall", "met", ""]], header)
    line = _error(tmp_path, bad)
    assert line == f"coach: error: {bad}: line 1: missing column assessor " \
        f"(header: {','.join(HEADER)})"  # fmt: skip


def test_columns_in_another_order(tmp_path: Path) -> None:
    bad = write_marks(tmp_path / "ann.csv", [], [*HEADER[1:], HEADER[0]])
    assert _error(tmp_path, bad).endswith(f"line 1: the header must be exactly {','.join(HEADER)}")


def test_an_unknown_mark(tmp_path: Path) -> None:
    rows = rater_rows("ann")
    rows[6][4] = "pass"
    bad = write_marks(tmp_path / "ann.csv", rows)
    line = _error(tmp_path, three_files(tmp_path / "ok")[0], bad)
    assert line == f"coach: error: {bad}: line 8: unknown mark 'pass' " \
        "(use met, not_met, not_assessable)"  # fmt: skip


def test_marks_spelled_as_on_the_card_are_read(tmp_path: Path) -> None:
    card = {"met": "Met", "not_met": "Not met", "not_assessable": "Not-assessable"}
    rows = [[*r[:4], card.get(r[4], r[4]), *r[5:]] for r in rater_rows("ann")]
    files = [three_files(tmp_path / "ok")[0], write_marks(tmp_path / "ann.csv", rows)]
    assert coach("agreement", *files, "-o", tmp_path / "out").code == 0
    first = _rows(tmp_path / "out" / "agreement.csv")[0]
    assert (first["kappa"], first["not_assessable_excluded"]) == ("0.3182", "4")


def test_a_duplicate_mark_in_one_file(tmp_path: Path) -> None:
    rows = rater_rows("ann")
    rows.insert(10, [*rows[2][:4], "not_met", "ann", "changed my mind"])
    bad = write_marks(tmp_path / "ann.csv", rows)
    line = _error(tmp_path, bad)
    item, candidate, number = rows[2][3], rows[2][0], rows[2][2]
    assert line == (
        f"coach: error: {bad}: line 12: a second mark by 'ann' for {item!r} of {candidate} / "
        f"wrist_grab / attempt {number} (the first is at {bad}:4)"
    )


def test_a_duplicate_mark_across_files(tmp_path: Path) -> None:
    first = write_marks(tmp_path / "ann.csv", rater_rows("ann"))
    again = write_marks(tmp_path / "ann_again.csv", rater_rows("ann")[:1])
    line = _error(tmp_path, first, again)
    assert line.startswith(f"coach: error: {again}: line 2: a second mark by 'ann'")
    assert line.endswith(f"(the first is at {first}:2)")


def test_a_mark_with_no_assessor(tmp_path: Path) -> None:
    bad = write_marks(tmp_path / "m.csv", [["c", "t", "1", "overall", "met", "", ""]])
    assert _error(tmp_path, bad) == f"coach: error: {bad}: line 2: a mark with no assessor"


def test_a_row_with_too_few_fields(tmp_path: Path) -> None:
    bad = write_marks(tmp_path / "m.csv", [["c", "t", "1", "overall", "met"]])
    assert _error(tmp_path, bad) == f"coach: error: {bad}: line 2: 5 fields, expected 7"


def test_one_rater_alone(tmp_path: Path) -> None:
    bad = write_marks(tmp_path / "ann.csv", rater_rows("ann"))
    assert _error(tmp_path, bad) == (
        f"coach: error: {bad}: agreement needs marks from two raters or more (found: ann)"
    )


def test_not_a_file_empty_and_not_text(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    assert _error(tmp_path, missing) == f"coach: error: {missing}: no such marks file"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _error(tmp_path, empty).startswith(f"coach: error: {empty}: empty; expected")
    binary = tmp_path / "video.csv"
    binary.write_bytes(b"\x00\x81\xff" * 10)
    assert _error(tmp_path, binary) == f"coach: error: {binary}: not UTF-8 text (byte 1)"


def test_an_output_that_is_a_file(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine")
    run = coach("agreement", *three_files(tmp_path / "marks"), "-o", taken)
    assert run.code == 2
    assert run.error_line() == f"coach: error: {taken}: not a folder"
    assert taken.read_text() == "mine"


CELLS = st.sampled_from(["met", "not_met", "Not met", "not_assessable", "", "pass", "coach",
                         "ann", "1", "01", "overall", "a,b", '"', "\u00e9", "x" * 3])  # fmt: skip


ROWS = st.tuples(
    st.sampled_from(["c1", "c2", "c3"]),
    st.just("wrist_grab"),
    st.sampled_from(["1", "01", "2"]),
    st.sampled_from(["overall", "Guard up", "safely_applied"]),
    st.sampled_from(["met", "not_met", "Not met", "not_assessable", ""]),
    st.sampled_from(["coach", "ann", "bob"]),
    CELLS,
).map(list)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROWS, max_size=12),
    odd=st.lists(st.lists(CELLS, min_size=5, max_size=8), max_size=1),
    header=st.sampled_from([HEADER, HEADER[:-1], [*HEADER[:4], "marks", *HEADER[5:]]]),
)
def test_any_marks_file_gives_tables_or_one_error_line(
    rows: list[list[str]], odd: list[list[str]], header: list[str]
) -> None:
    """Whatever the file holds: exit 0 with both outputs, or exit 2, one line, nothing written."""
    with tempfile.TemporaryDirectory() as folder:
        marks = write_marks(Path(folder) / "m.csv", rows + odd, header)
        out = Path(folder) / "out"
        run = coach("agreement", marks, "-o", out)
        if run.code == 0:
            assert (out / "agreement.csv").is_file() and (out / "agreement.html").is_file()
        else:
            assert run.code == 2
            assert run.error_line().startswith(f"coach: error: {marks}: ")
            assert not out.exists()
