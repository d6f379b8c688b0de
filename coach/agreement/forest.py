"""The forest plot: kappa with its 95 % interval per item, each rater pair a line, the coach's
pairs (orange circles) above the assessors' pairs with each other (blue squares), Landis & Koch
bands behind. A PNG in memory, for the page to embed."""

from __future__ import annotations

import io
import math

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from coach.agreement.pairs import ALL_CRITERIA, COACH_HUMAN, HUMAN_HUMAN, Agreement, PairRow
from coach.agreement.two_raters import LANDIS_KOCH

COLOURS = {COACH_HUMAN: "#d95f02", HUMAN_HUMAN: "#1f5fa8"}
MARKERS = {COACH_HUMAN: "o", HUMAN_HUMAN: "s"}
SHADED_BANDS = ((0.0, 0.2), (0.4, 0.6), (0.8, 1.0))
ROW_INCHES = 0.26


def forest_png(result: Agreement) -> bytes:
    """The plot as PNG bytes."""
    labels: list[str] = []
    headings: list[int] = []
    rows: list[tuple[int, PairRow]] = []
    for item in result.items:
        headings.append(len(labels))
        labels.append("all criteria (pooled)" if item == ALL_CRITERIA else item)
        for row in sorted((r for r in result.pairs if r.item == item), key=_order):
            rows.append((len(labels), row))
            labels.append(f"{row.first} v {row.second}  n={row.table.n}")
    figure = Figure(figsize=(9.0, 1.3 + ROW_INCHES * len(labels)), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for low, high in SHADED_BANDS:
        axes.axvspan(low, high, color="#efefef", zorder=0)
    axes.axvline(0.0, color="#888888", linewidth=0.8, zorder=1)
    for position, row in rows:
        _draw(axes, row, -position)
    for position in headings[1:]:
        axes.axhline(-position + 0.5, color="#cccccc", linewidth=0.6)
    axes.set_yticks([-i for i in range(len(labels))], labels, fontsize=7.5)
    for position in headings:
        axes.get_yticklabels()[position].set_fontweight("bold")
    axes.set_ylim(-len(labels) + 0.5, 1.2)
    lows = [r.stats.kappa_ci.low for _, r in rows if r.stats and not math.isnan(r.stats.kappa)]
    left = max(-1.0, min([-0.2, *lows]) - 0.05)
    axes.set_xlim(left, 1.05)
    lower = 0.0
    for upper, name in LANDIS_KOCH:
        axes.text((lower + upper) / 2, 0.75, name, ha="center", fontsize=6.5, color="#666666")
        lower = upper
    axes.text(left / 2, 0.75, "poor", ha="center", fontsize=6.5, color="#666666")
    axes.set_xlabel("Cohen's kappa, 95 % interval (Fleiss-Cohen-Everitt standard error)")
    axes.legend(
        handles=[
            Line2D([], [], color=COLOURS[k], marker=MARKERS[k], label=text)
            for k, text in ((COACH_HUMAN, "coach v assessor"), (HUMAN_HUMAN, "assessor v assessor"))
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _order(row: PairRow) -> bool:
    """The coach's pairs first; otherwise the raters' order (stable sort)."""
    return row.kind != COACH_HUMAN


def _draw(axes: Axes, row: PairRow, y: float) -> None:
    colour = COLOURS[row.kind]
    s = row.stats
    if s is None or math.isnan(s.kappa):
        why = "no paired marks" if s is None else "kappa undefined: one mark throughout"
        axes.text(-0.95, y, why, fontsize=7, va="center", ha="left", color=colour)
        return
    axes.plot([s.kappa_ci.low, s.kappa_ci.high], [y, y], color=colour, linewidth=1.6)
    axes.plot([s.kappa], [y], marker=MARKERS[row.kind], color=colour, markersize=5)
