"""The agreement statistics against worked examples from the literature and hand computation:
Cohen's kappa and its Fleiss-Cohen-Everitt interval, Wilson's interval, PABAK with the
prevalence and bias indices (the kappa paradox), Fleiss' kappa, Landis & Koch's bands, and the
interval's coverage on simulated raters whose true kappa is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import bootstrap

from coach.agreement.clustered import clustered_stats
from coach.agreement.fleiss import fleiss_kappa, fleiss_stats
from coach.agreement.two_raters import Table, cohen_kappa, landis_koch, two_rater_stats, wilson

Z = 1.959963984540054


def test_kappa_and_its_interval_equal_the_fleiss_paik_worked_example() -> None:
    """Fleiss, Levin & Paik (2003), Statistical Methods for Rates and Proportions, 3rd ed.,
    worked in the R package statpsych (Bonett), ``ci.kappa(.05, 31, 12, 4, 58)``: Cohen's kappa
    0.6756757, SE 0.07344761, 95 % CI 0.5317210 to 0.8196303."""
    s = two_rater_stats(Table(a=31, b=12, c=4, d=58))
    assert s.kappa == pytest.approx(0.6756757, abs=1e-7)
    assert s.kappa_se == pytest.approx(0.07344761, abs=1e-8)
    assert s.kappa_ci.low == pytest.approx(0.5317210, abs=1e-6)
    assert s.kappa_ci.high == pytest.approx(0.8196303, abs=1e-6)


def test_the_kappa_paradox_same_agreement_two_kappas_one_pabak() -> None:
    """Feinstein & Cicchetti (1990), J Clin Epidemiol 43:543-549, tables reproduced in
    Gerstman, Epidemiology Kept Simple, Table 10.6: both 85 % agreement; A (40, 9 / 6, 45)
    expected 0.50, kappa 0.70; B (80, 10 / 5, 5) expected 0.78, kappa 0.32. PABAK is 0.70 for
    both; the prevalence index (a - d) / n, 0.75 in B against -0.05 in A (Byrt, Bishop &
    Carlin 1993), is what pulls B's kappa down."""
    a = two_rater_stats(Table(40, 9, 6, 45))
    b = two_rater_stats(Table(80, 10, 5, 5))
    assert a.percent == b.percent == pytest.approx(0.85)
    assert a.expected == pytest.approx(0.5008)
    assert b.expected == pytest.approx(0.78)
    assert a.kappa == pytest.approx((0.85 - 0.5008) / (1 - 0.5008))
    assert round(a.kappa, 2) == 0.70
    assert b.kappa == pytest.approx(0.07 / 0.22)
    assert round(b.kappa, 2) == 0.32
    assert a.pabak == b.pabak == pytest.approx(0.70)
    assert (a.prevalence_index, b.prevalence_index) == (pytest.approx(-0.05), pytest.approx(0.75))
    assert (a.bias_index, b.bias_index) == (pytest.approx(0.03), pytest.approx(0.05))
    assert (a.band, b.band) == ("substantial", "fair")


def test_perfect_agreement() -> None:
    """Kappa 1 with zero standard error; Wilson's lower end at p = 1 is n / (n + z^2)."""
    s = two_rater_stats(Table(20, 0, 0, 15))
    assert (s.percent, s.kappa, s.pabak) == (1.0, pytest.approx(1.0), 1.0)
    assert s.kappa_se == pytest.approx(0.0, abs=1e-12)
    assert (s.kappa_ci.low, s.kappa_ci.high) == (pytest.approx(1.0), pytest.approx(1.0))
    assert s.percent_ci.low == pytest.approx(35 / (35 + Z**2), abs=1e-9)
    assert s.percent_ci.high == pytest.approx(1.0)
    assert s.band == "almost perfect"


def test_chance_agreement_by_hand() -> None:
    """25 in every cell: observed = expected = 0.5, so kappa 0 and PABAK 0. By hand, FCE:
    A = sum p_ii (1 - (p_i. + p_.i)(1 - k))^2 = 0; B = (1 - k)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
    = 2 x 0.25 x 1 = 0.5; C = (k - pe (1 - k))^2 = 0.25; var = (A + B - C) / (n (1 - pe)^2)
    = 0.25 / 25 = 0.01, SE 0.1."""
    s = two_rater_stats(Table(25, 25, 25, 25))
    assert s.kappa == pytest.approx(0.0, abs=1e-12)
    assert s.pabak == pytest.approx(0.0)
    assert s.kappa_se == pytest.approx(0.1)
    assert (s.kappa_ci.low, s.kappa_ci.high) == (pytest.approx(-Z * 0.1), pytest.approx(Z * 0.1))
    assert s.band == "slight"


def test_worse_than_chance_is_negative_and_poor() -> None:
    s = two_rater_stats(Table(5, 20, 20, 5))
    assert s.kappa == pytest.approx(-0.6)  # po 0.2, pe 0.5
    assert s.pabak == pytest.approx(-0.6)
    assert s.band == "poor"


def test_one_mark_throughout_leaves_kappa_undefined_and_pabak_one() -> None:
    s = two_rater_stats(Table(30, 0, 0, 0))
    assert math.isnan(s.kappa) and math.isnan(s.kappa_se)
    assert s.pabak == 1.0 and s.prevalence_index == 1.0
    assert s.band == "undefined"


def test_wilson_equals_the_closed_form() -> None:
    """Wilson (1927): centre (p + z^2/2n) / (1 + z^2/n), half-width
    z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)."""
    for k, n in ((85, 100), (3, 17), (0, 9), (40, 41)):
        p = k / n
        centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
        half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
        ci = wilson(k, n)
        assert (ci.low, ci.high) == (pytest.approx(centre - half), pytest.approx(centre + half))


def test_pabak_interval_is_the_agreement_interval_mapped() -> None:
    s = two_rater_stats(Table(80, 10, 5, 5))
    assert s.pabak_ci.low == pytest.approx(2 * s.percent_ci.low - 1)
    assert s.pabak_ci.high == pytest.approx(2 * s.percent_ci.high - 1)


def test_kappa_is_the_same_for_a_three_category_table_as_by_hand() -> None:
    """Fleiss, Levin & Paik's diagnoses of 100 subjects (psychotic, neurotic, organic), as
    proportions 0.75 0.01 0.04 / 0.05 0.04 0.01 / 0 0 0.10: observed 0.89, expected
    0.80 x 0.80 + 0.10 x 0.05 + 0.10 x 0.15 = 0.66, kappa 0.23 / 0.34 = 0.676."""
    kappa, se = cohen_kappa(np.array([[75, 1, 4], [5, 4, 1], [0, 0, 10]]))
    assert kappa == pytest.approx(0.23 / 0.34)
    assert 0.05 < se < 0.15


def _simulated_raters(rng: np.random.Generator, n: int, kappa: float, met: float) -> Table:
    """Rater B copies A with probability ``kappa``, else marks at random with A's prevalence:
    both have prevalence ``met`` and P(agree) = kappa + (1 - kappa) pe, so the true kappa is
    ``kappa``."""
    first = rng.random(n) < met
    copy = rng.random(n) < kappa
    second = np.where(copy, first, rng.random(n) < met)
    return Table(
        int(np.sum(first & second)),
        int(np.sum(first & ~second)),
        int(np.sum(~first & second)),
        int(np.sum(~first & ~second)),
    )


def test_the_interval_covers_a_known_kappa_about_95_times_in_100() -> None:
    rng = np.random.default_rng(2009)
    trials, covered = 400, 0
    for _ in range(trials):
        s = two_rater_stats(_simulated_raters(rng, 80, 0.6, 0.7))
        covered += s.kappa_ci.low <= 0.6 <= s.kappa_ci.high
    assert 0.90 <= covered / trials <= 0.99, covered


def test_the_fce_standard_error_matches_a_bootstrap_over_attempts() -> None:
    """scipy's bootstrap of kappa over 400 simulated attempts gives the same spread as the
    large-sample formula, within 15 %."""
    rng = np.random.default_rng(7)
    t = _simulated_raters(rng, 400, 0.5, 0.75)
    first = np.repeat([1, 1, 0, 0], [t.a, t.b, t.c, t.d])
    second = np.repeat([1, 0, 1, 0], [t.a, t.b, t.c, t.d])

    def kappa(x: np.ndarray, y: np.ndarray) -> float:
        return cohen_kappa(np.array([[np.sum(x & y), np.sum(x & ~y)],
                                     [np.sum(~x & y), np.sum(~x & ~y)]]))[0]  # fmt: skip

    result = bootstrap(
        (first.astype(bool), second.astype(bool)),
        kappa,
        paired=True,
        vectorized=False,
        n_resamples=2000,
        random_state=np.random.default_rng(1),
    )
    se = two_rater_stats(t).kappa_se
    assert result.standard_error == pytest.approx(se, rel=0.15)


def test_fleiss_kappa_equals_the_worked_example() -> None:
    """Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
    P-bar 0.378, P-bar-e 0.213, kappa 0.210. The bootstrap interval is close to scipy's own
    percentile bootstrap of the same statistic (another seed)."""
    table = np.array(
        [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
         [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    )  # fmt: skip
    assert fleiss_kappa(table) == pytest.approx(0.20993, abs=1e-5)
    s = fleiss_stats(table)
    assert s.kappa_ci.low < s.kappa < s.kappa_ci.high
    assert fleiss_stats(table) == s  # a fixed seed: the same interval every run
    library = bootstrap(
        (np.arange(len(table)),),
        lambda rows: fleiss_kappa(table[rows]),
        vectorized=False,
        method="percentile",
        n_resamples=2000,
        random_state=np.random.default_rng(99),
    ).confidence_interval
    assert s.kappa_ci.low == pytest.approx(library.low, abs=0.03)
    assert s.kappa_ci.high == pytest.approx(library.high, abs=0.03)


def test_fleiss_interval_is_withheld_when_resamples_have_no_kappa() -> None:
    """Nine attempts all Met by three raters and one split: most resamples hold only Met marks,
    where kappa is undefined, so no interval is given; the kappa itself is
    (P-bar - Pe) / (1 - Pe) with P-bar = (9 + 1/3) / 10, Pe = (29/30)^2 + (1/30)^2."""
    s = fleiss_stats(np.array([[3, 0]] * 9 + [[2, 1]]))
    expected = (29 / 30) ** 2 + (1 / 30) ** 2
    assert s.kappa == pytest.approx(((9 + 1 / 3) / 10 - expected) / (1 - expected))
    assert math.isnan(s.kappa_ci.low) and math.isnan(s.kappa_ci.high)


def test_fleiss_kappa_of_two_raters_is_scotts_pi() -> None:
    """Two raters, table (80, 10 / 5, 5): pooled shares 175/200 and 25/200, expected
    0.875^2 + 0.125^2 = 0.78125, pi = (0.85 - 0.78125) / 0.21875."""
    rows = [[2, 0]] * 80 + [[1, 1]] * 15 + [[0, 2]] * 5
    assert fleiss_kappa(np.array(rows)) == pytest.approx((0.85 - 0.78125) / 0.21875)


def test_fleiss_kappa_rejects_uneven_raters() -> None:
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa(np.array([[2, 1], [1, 1]]))


@pytest.mark.parametrize(
    ("kappa", "band"),
    [(-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
     (0.45, "moderate"), (0.61, "substantial"), (0.8, "substantial"), (0.81, "almost perfect"),
     (1.0, "almost perfect")],
)  # fmt: skip
def test_landis_koch_bands(kappa: float, band: str) -> None:
    assert landis_koch(kappa) == band


def test_pooled_intervals_resample_attempts_not_marks() -> None:
    """Each attempt's criteria copied twice add no evidence: resampling attempts gives exactly
    the interval of one copy, while the point estimates are the summed table's."""
    rng = np.random.default_rng(5)
    t = _simulated_raters(rng, 60, 0.5, 0.7)
    once = np.repeat(np.eye(4, dtype=int), [t.a, t.b, t.c, t.d], axis=0)  # one row per attempt
    single, doubled = clustered_stats(once), clustered_stats(2 * once)
    assert doubled.kappa == pytest.approx(
        two_rater_stats(Table(2 * t.a, 2 * t.b, 2 * t.c, 2 * t.d)).kappa
    )
    assert doubled.kappa_ci == single.kappa_ci and doubled.percent_ci == single.percent_ci
    assert doubled.interval_method == "cluster bootstrap over attempts"


def test_with_one_mark_per_attempt_the_bootstrap_agrees_with_the_formulas() -> None:
    rng = np.random.default_rng(6)
    t = _simulated_raters(rng, 300, 0.6, 0.7)
    boot = clustered_stats(np.repeat(np.eye(4, dtype=int), [t.a, t.b, t.c, t.d], axis=0))
    formula = two_rater_stats(t)
    width = formula.kappa_ci.high - formula.kappa_ci.low
    assert boot.kappa_ci.high - boot.kappa_ci.low == pytest.approx(width, rel=0.2)
    assert boot.kappa_se == pytest.approx(formula.kappa_se, rel=0.2)
    assert boot.percent_ci.low == pytest.approx(formula.percent_ci.low, abs=0.02)


def test_fleiss_grouped_resamples_groups() -> None:
    """Eight attempts marked by three raters, each row twice and grouped by attempt: the
    same interval as once; ungrouped, the copies would narrow it."""
    table = np.array([[3, 0], [2, 1], [0, 3], [1, 2], [3, 0], [0, 3], [2, 1], [3, 0]])
    once = fleiss_stats(table)
    twice = fleiss_stats(np.concatenate([table, table]), np.tile(np.arange(len(table)), 2))
    assert twice.kappa == pytest.approx(once.kappa)
    assert twice.kappa_ci == once.kappa_ci
    assert fleiss_stats(np.concatenate([table, table])).kappa_ci != once.kappa_ci
