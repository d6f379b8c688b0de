"""The cohort table as an HTML page (Jinja2, autoescaped: names come from a manifest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from coach import __version__
from coach.assess.cohort import Cohort
from coach.assess.manifest import Refused

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",)))


def cohort_html(
    cohort: Cohort,
    title: str,
    pack_links: dict[str, str],
    failures: list[Refused],
) -> str:
    """The page: the grid (each cell linked to the candidate's pack), the per-technique
    figures, and what could not be assessed."""
    names = {s.technique: s.name for s in cohort.summaries}
    attempts = sum(len(cell.attempts) for cell in cohort.cells.values())
    return (
        environment()
        .get_template("cohort.html")
        .render(
            cohort=cohort,
            title=title,
            names=names,
            pack_links=pack_links,
            failures=failures,
            attempts=attempts,
            written=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            version=__version__,
        )
    )
