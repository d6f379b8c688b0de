"""Marks CSV files on disk for the agreement tests: three raters whose tables are known."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["candidate", "technique", "attempt", "item", "mark", "assessor", "notes"]
ITEM = "Stepped back to the exit"
ITEM2 = "Guard up after the release"

# (coach, ann, bob) marks on ITEM and how many attempts got them. Pairwise, by hand:
# coach v ann (80, 10 / 5, 5) (Feinstein & Cicchetti's table B: kappa 0.32, PABAK 0.70);
# ann v bob (80, 5 / 2, 13); coach v bob (77, 13 / 5, 5); then 4 attempts ann marked Not
# assessable (coach and bob Met: coach v bob gains 4 in a, the pairs with ann exclude 4).
TRIPLES = (
    (("met", "met", "met"), 75),
    (("met", "met", "not_met"), 5),
    (("met", "not_met", "not_met"), 8),
    (("met", "not_met", "met"), 2),
    (("not_met", "met", "met"), 5),
    (("not_met", "not_met", "not_met"), 5),
    (("met", "not_assessable", "met"), 4),
)
TABLES = {
    ("coach", "ann"): (80, 10, 5, 5),
    ("coach", "bob"): (81, 13, 5, 5),
    ("ann", "bob"): (80, 5, 2, 13),
}
EXCLUDED = {("coach", "ann"): 4, ("coach", "bob"): 0, ("ann", "bob"): 4}
RATERS = ("coach", "ann", "bob")


def write_marks(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rater_rows(rater: str) -> list[list[str]]:
    """One rater's marks on ITEM, and the same on ITEM2 and 'overall', plus a blank row."""
    index = RATERS.index(rater)
    rows, attempt = [], 0
    for marks, count in TRIPLES:
        for _ in range(count):
            attempt += 1
            mark = marks[index]
            candidate = f"cand{attempt % 12:02d}"
            number = str(attempt // 12 + 1)
            rows.append([candidate, "wrist_grab", number, ITEM, mark, rater, ""])
            rows.append([candidate, "wrist_grab", number, ITEM2, mark, rater, ""])
            rows.append([candidate, "wrist_grab", number, "overall", mark, rater, "note, quoted"])
    rows.append(["cand00", "wrist_grab", "99", ITEM, "", rater, "not marked"])
    return rows


def three_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_marks(folder / f"{r}.csv", rater_rows(r)) for r in RATERS]
