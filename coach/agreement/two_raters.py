"""Agreement between two raters on a yes/no mark, from their 2 x 2 table.

Percent agreement with a Wilson 95 % interval (scipy's ``binomtest``); Cohen's kappa with the
Fleiss-Cohen-Everitt (1969) large-sample standard error, the non-null one that belongs in a
confidence interval (Fleiss, Levin & Paik 2003, eq. 18.15); PABAK, the prevalence- and
bias-adjusted kappa 2 po - 1, with the interval mapped from po's; and Byrt, Bishop & Carlin's
(1993) prevalence and bias indices, which say why kappa and PABAK part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest, norm

CONFIDENCE = 0.95
FORMULA_METHOD = "Wilson; Fleiss-Cohen-Everitt"
Z = float(norm.ppf(0.5 + CONFIDENCE / 2))

# Landis & Koch (1977), Biometrics 33:159-174: the upper end of each band and its name.
# Below 0 is "poor".
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


@dataclass(frozen=True)
class Table:
    """Counts of paired marks: ``a`` both met, ``b`` first met / second not met, ``c`` first
    not met / second met, ``d`` both not met."""

    a: int
    b: int
    c: int
    d: int

    def __post_init__(self) -> None:
        if min(self.a, self.b, self.c, self.d) < 0:
            raise ValueError(f"counts must not be negative, got {self}")

    @property
    def n(self) -> int:
        return self.a + self.b + self.c + self.d

    def matrix(self) -> np.ndarray:
        """(2, 2) counts, rows the first rater (met, not met), columns the second."""
        return np.array([[self.a, self.b], [self.c, self.d]], dtype=float)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class TwoRaterStats:
    """Every number of one rater pair on one item; NaN where a number is undefined (kappa when
    both raters gave one mark throughout: chance agreement is then 1)."""

    n: int
    percent: float
    percent_ci: Interval
    kappa: float
    kappa_se: float
    kappa_ci: Interval
    pabak: float
    pabak_ci: Interval
    prevalence_index: float
    bias_index: float
    expected: float
    interval_method: str = FORMULA_METHOD

    @property
    def band(self) -> str:
        return landis_koch(self.kappa)


def landis_koch(kappa: float) -> str:
    """Landis & Koch's name for a kappa; "undefined" for NaN."""
    if math.isnan(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    for upper, name in LANDIS_KOCH:
        if kappa <= upper:
            return name
    return LANDIS_KOCH[-1][1]


def wilson(successes: int, n: int) -> Interval:
    """Wilson score interval of a proportion (scipy's ``binomtest``)."""
    ci = binomtest(successes, n).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return Interval(float(ci.low), float(ci.high))


def cohen_kappa(counts: np.ndarray) -> tuple[float, float]:
    """(kappa, its Fleiss-Cohen-Everitt standard error) from a (k, k) table of counts."""
    p = np.asarray(counts, dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1]:
        raise ValueError(f"expected a square table, got shape {p.shape}")
    n = p.sum()
    p = p / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    observed = float(np.trace(p))
    expected = float(rows @ cols)
    if math.isclose(expected, 1.0):
        return math.nan, math.nan
    kappa = (observed - expected) / (1 - expected)
    diagonal = np.diag(p) * (1 - (rows + cols) * (1 - kappa)) ** 2
    off = p * (cols[:, None] + rows[None, :]) ** 2
    np.fill_diagonal(off, 0.0)
    variance = (
        diagonal.sum() + (1 - kappa) ** 2 * off.sum() - (kappa - expected * (1 - kappa)) ** 2
    ) / (n * (1 - expected) ** 2)
    return float(kappa), float(math.sqrt(max(variance, 0.0)))


def two_rater_stats(table: Table) -> TwoRaterStats:
    """All the statistics of one 2 x 2 table (``table.n`` must be at least 1)."""
    n = table.n
    if n == 0:
        raise ValueError("no paired marks")
    agree = table.a + table.d
    percent = agree / n
    percent_ci = wilson(agree, n)
    kappa, se = cohen_kappa(table.matrix())
    kappa_ci = Interval(_clip(kappa - Z * se), _clip(kappa + Z * se))
    rows = np.array([table.a + table.b, table.c + table.d]) / n
    cols = np.array([table.a + table.c, table.b + table.d]) / n
    return TwoRaterStats(
        n=n,
        percent=percent,
        percent_ci=percent_ci,
        kappa=kappa,
        kappa_se=se,
        kappa_ci=kappa_ci,
        pabak=2 * percent - 1,
        pabak_ci=Interval(2 * percent_ci.low - 1, 2 * percent_ci.high - 1),
        prevalence_index=(table.a - table.d) / n,
        bias_index=(table.b - table.c) / n,
        expected=float(rows @ cols),
    )


def _clip(value: float) -> float:
    return value if math.isnan(value) else min(1.0, max(-1.0, value))
