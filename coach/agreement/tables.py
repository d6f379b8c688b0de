"""The agreement rows as CSV (one row per item x rater pair; Fleiss' kappa per item apart)
and as the summary table printed in the terminal."""

from __future__ import annotations

import csv
import io
import math

from coach.agreement.pairs import (
    ALL_CRITERIA,
    COACH_HUMAN,
    HUMAN_HUMAN,
    Agreement,
    FleissRow,
    PairRow,
)

PAIR_COLUMNS = (
    "item", "kind", "rater_a", "rater_b", "n", "both_met", "a_met_b_not_met",
    "a_not_met_b_met", "both_not_met", "not_assessable_excluded", "percent_agreement",
    "percent_low", "percent_high", "kappa", "kappa_se", "kappa_low", "kappa_high",
    "landis_koch", "pabak", "pabak_low", "pabak_high", "prevalence_index", "bias_index",
    "interval_method",
)  # fmt: skip
FLEISS_COLUMNS = ("item", "raters", "n", "not_assessable_excluded", "fleiss_kappa",
                  "kappa_low", "kappa_high")  # fmt: skip


def number(value: float, digits: int = 4) -> str:
    """A value for a table; blank when undefined."""
    return "" if math.isnan(value) else f"{value:.{digits}f}"


def interval_text(low: float, high: float) -> str:
    """``[low, high]`` to 2 decimals, or why there is none."""
    if math.isnan(low):
        return "(no interval)"
    return f"[{low:.2f}, {high:.2f}]"


def pair_cells(row: PairRow) -> list[str]:
    t, s = row.table, row.stats
    cells = [row.item, row.kind, row.first, row.second, str(t.n), str(t.a), str(t.b), str(t.c),
             str(t.d), str(row.excluded)]  # fmt: skip
    if s is None:
        return cells + [""] * (len(PAIR_COLUMNS) - len(cells))
    return [
        *cells,
        number(s.percent), number(s.percent_ci.low), number(s.percent_ci.high),
        number(s.kappa), number(s.kappa_se), number(s.kappa_ci.low), number(s.kappa_ci.high),
        s.band, number(s.pabak), number(s.pabak_ci.low), number(s.pabak_ci.high),
        number(s.prevalence_index), number(s.bias_index), s.interval_method,
    ]  # fmt: skip


def pairs_csv(result: Agreement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PAIR_COLUMNS)
    writer.writerows(pair_cells(row) for row in result.pairs)
    return out.getvalue()


def fleiss_cells(row: FleissRow) -> list[str]:
    s = row.stats
    if s is None:
        return [row.item, " ".join(row.raters), "0", str(row.excluded), "", "", ""]
    return [row.item, " ".join(row.raters), str(s.n), str(row.excluded), number(s.kappa),
            number(s.kappa_ci.low), number(s.kappa_ci.high)]  # fmt: skip


def fleiss_csv(result: Agreement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLEISS_COLUMNS)
    writer.writerows(fleiss_cells(row) for row in result.fleiss)
    return out.getvalue()


def summary(result: Agreement) -> str:
    """Plain-text table: per item, the coach's pairs first, then the assessors' pairs."""
    head = f"{'item':<28} {'raters':<22} {'n':>4} {'N/A':>4} {'agree % [95% CI]':<20} " \
           f"{'kappa [95% CI]':<22} {'band':<15} {'PABAK':>6}"  # fmt: skip
    lines = [head, "-" * len(head)]
    for item in result.items:
        rows = sorted(
            (r for r in result.pairs if r.item == item), key=lambda r: r.kind != COACH_HUMAN
        )
        for row in rows:
            lines.append(_summary_line(row))
        for f in (r for r in result.fleiss if r.item == item and r.stats is not None):
            assert f.stats is not None
            kappa = "undefined"
            if not math.isnan(f.stats.kappa):
                ci = interval_text(f.stats.kappa_ci.low, f.stats.kappa_ci.high)
                kappa = f"{f.stats.kappa:.2f} {ci}"
            lines.append(f"{'':<28} {'Fleiss, all ' + str(len(f.raters)):<22} "
                         f"{f.stats.n:>4} {f.excluded:>4} {'':<20} {kappa:<22}")  # fmt: skip
    return "\n".join([*lines, "", *headline(result), *unpaired_notes(result)])


def unpaired_notes(result: Agreement) -> list[str]:
    return [
        f"note: only one rater marked {item!r} (a label spelled two ways?)"
        for item in result.unpaired
    ]


def headline(result: Agreement) -> list[str]:
    """The comparison the table is for: on the overall verdict and on all criteria pooled, the
    coach's agreement with the assessors (mean over its pairs) beside the assessors' with each
    other."""
    out = []
    for item in (i for i in ("overall", ALL_CRITERIA) if i in result.items):
        for kind, text in (
            (COACH_HUMAN, "coach v assessors"),
            (HUMAN_HUMAN, "assessors v each other"),
        ):
            rows = [r for r in result.pairs if r.item == item and r.kind == kind]
            stats = [r.stats for r in rows if r.stats is not None]
            if not stats:
                continue
            percent = sum(s.percent for s in stats) / len(stats)
            kappas = [s.kappa for s in stats if not math.isnan(s.kappa)]
            kappa = f"{sum(kappas) / len(kappas):.2f}" if kappas else "undefined"
            pabak = sum(s.pabak for s in stats) / len(stats)
            pairs = f"{len(stats)} pair{'s' * (len(stats) > 1)}"
            out.append(
                f"{item}, {text} ({pairs}, mean): "
                f"agreement {100 * percent:.1f} %, kappa {kappa}, PABAK {pabak:.2f}"
            )
    return out


def _summary_line(row: PairRow) -> str:
    raters = f"{row.first} v {row.second}"
    start = f"{_cut(row.item, 28):<28} {_cut(raters, 22):<22} {row.table.n:>4} {row.excluded:>4}"
    s = row.stats
    if s is None:
        return f"{start} (no attempt marked Met / Not met by both)"
    agree = f"{100 * s.percent:.1f} [{100 * s.percent_ci.low:.1f}, {100 * s.percent_ci.high:.1f}]"
    if math.isnan(s.kappa):
        kappa = "undefined"
    else:
        kappa = f"{s.kappa:.2f} [{s.kappa_ci.low:.2f}, {s.kappa_ci.high:.2f}]"
    return f"{start} {agree:<20} {kappa:<22} {s.band:<15} {s.pabak:>6.2f}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
