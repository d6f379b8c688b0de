"""``agreement.html``: the side-by-side table (the coach's pairs beside the assessors' pairs),
the forest plot embedded as a PNG, and every pair's confusion table and numbers. Rendered with
Jinja2 (autoescaped: candidate, item and assessor names are whatever people typed)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from coach.agreement.fleiss import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED
from coach.agreement.forest import forest_png
from coach.agreement.pairs import COACH_HUMAN, Agreement
from coach.agreement.tables import headline, interval_text, number, unpaired_notes
from coach.agreement.two_raters import FORMULA_METHOD

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SourceFile:
    name: str
    marks: int


def render_page(result: Agreement, sources: list[SourceFile]) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["num"] = number
    environment.globals["interval"] = interval_text
    environment.filters["pct"] = lambda v: number(100 * v, 1)
    columns = sorted(
        dict.fromkeys((r.first, r.second, r.kind) for r in result.pairs),
        key=lambda column: column[2] != COACH_HUMAN,
    )
    cells = {(r.item, r.first, r.second): r for r in result.pairs}
    fleiss = {f.item: f for f in result.fleiss}
    return environment.get_template("agreement.html").render(
        result=result,
        headline=headline(result),
        notes=unpaired_notes(result),
        sources=sources,
        columns=columns,
        cells=cells,
        fleiss=fleiss,
        pairs=sorted(
            result.pairs, key=lambda r: (result.items.index(r.item), r.kind != COACH_HUMAN)
        ),
        forest=base64.b64encode(forest_png(result)).decode("ascii"),
        default_method=FORMULA_METHOD,
        seed=BOOTSTRAP_SEED,
        resamples=BOOTSTRAP_RESAMPLES,
        written=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
