"""Numbers for alignment: DTW against a loop, paths, bands, the live aligner and DBA."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.alignment import (
    StreamingAligner,
    cost_matrix,
    dba,
    dtw,
    dtw_cost,
    dtw_loop,
    get_distance,
)
from coach.analysis.alignment.cost import COST_GRID_BITS, ReferenceCost, rms_cost
from coach.analysis.alignment.dtw import accumulated_cost
from coach.analysis.alignment.spring import (
    SpringColumn,
    SpringTracker,
    spring_column,
    spring_column_loop,
)

FPS = 30.0
N_FEATURES = 6


def curve(u: np.ndarray) -> np.ndarray:
    """(len(u), 6) smooth movement over progress u in 0..1, eased so it starts and ends still."""
    eased = 0.5 - 0.5 * np.cos(np.pi * np.asarray(u))
    k = np.arange(1, N_FEATURES + 1)
    return np.sin(2.0 * np.outer(eased, k) + k) - np.sin(k)


# --- frame costs -------------------------------------------------------------------------


def test_cost_matches_a_loop_with_nan_and_weights() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(7, 5)), rng.normal(size=(9, 5))
    x[2, [0, 3]] = np.nan
    y[4, :] = np.nan  # a frame with nothing assessable
    w = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
    got = rms_cost(x, y, w)
    for i in range(7):
        for j in range(9):
            m = np.isfinite(x[i]) & np.isfinite(y[j])
            squares = w[m] * (x[i, m] - y[j, m]) ** 2
            want = np.sqrt(squares.sum() / w[m].sum()) if m.any() else np.nan
            np.testing.assert_allclose(got[i, j], want, rtol=1e-9, atol=1e-12)
    filled = cost_matrix(x, y, weights=w)
    np.testing.assert_allclose(filled[:, 4], np.nanmean(got))  # neutral: the mean valid cost
    live = ReferenceCost(y, weights=w)
    for i in range(7):
        np.testing.assert_allclose(live(x[i])[:4], got[i, :4], rtol=1e-9, atol=1e-12)
    with pytest.raises(KeyError, match="valid names: rms, mean_square"):
        get_distance("cosine")


@pytest.mark.parametrize("distance", ["rms", "mean_square"])
def test_live_frame_costs_match_the_matrix_and_skip_empty_frames(distance: str) -> None:
    rng = np.random.default_rng(10)
    y = rng.normal(size=(9, 5))
    w = np.array([1.0, 0.0, 0.5, 1.0, 3.0])  # a zero weight: that feature never counts
    live = ReferenceCost(y, weights=w, distance=distance)
    out = np.empty(9)
    x = rng.normal(size=5)
    got = live.frame(x, out)
    assert got is out  # the finite frame is written in place
    np.testing.assert_array_equal(got, live(x))
    want = get_distance(distance)(x[None], y, w)[0]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    # Unassessable features (NaN, or an infinite value, even under a zero weight) are left out.
    for bad in (np.nan, np.inf):
        x_bad = x.copy()
        x_bad[[1, 3]] = bad
        kept = np.array([True, False, True, False, True])
        with np.errstate(all="raise"):
            got = live.frame(x_bad, out)
        assert got is not None
        want = get_distance(distance)(x[None, kept], y[:, kept], w[kept])[0]
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    # A frame with nothing assessable: None live (the aligner holds), zeros from __call__.
    assert live.frame(np.full(5, np.nan), out) is None
    np.testing.assert_array_equal(live(np.full(5, np.nan)), np.zeros(9))


# --- offline DTW -------------------------------------------------------------------------


@pytest.mark.parametrize("band", [None, 0, 3, 10])
@pytest.mark.parametrize("shape", [(30, 30), (25, 41), (40, 17)])
def test_vectorised_dtw_equals_the_loop(shape: tuple[int, int], band: int | None) -> None:
    rng = np.random.default_rng(shape[0] * 100 + shape[1])
    # Integer costs: every sum is exact in float64, so the two must agree to the bit.
    integer = rng.integers(0, 6, shape).astype(float)
    fast, slow = dtw_cost(integer, band=band), dtw_loop(integer, band=band)
    assert fast.distance == slow.distance
    np.testing.assert_array_equal(fast.path, slow.path)
    assert fast.band == slow.band
    # Real costs: the closed form rounds differently in the last bits only.
    real = rng.random(shape)
    fast, slow = dtw_cost(real, band=band), dtw_loop(real, band=band)
    assert fast.distance == pytest.approx(slow.distance, rel=1e-12)
    np.testing.assert_array_equal(fast.path, slow.path)


def test_path_is_monotone_continuous_with_end_points() -> None:
    rng = np.random.default_rng(1)
    result = dtw(rng.normal(size=(50, 4)), rng.normal(size=(70, 4)), band=30)
    path = result.path
    assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (49, 69)
    steps = np.diff(path, axis=0)
    assert set(map(tuple, steps)) <= {(0, 1), (1, 0), (1, 1)}
    assert result.normalized_distance == pytest.approx(result.distance / len(path))


def test_time_warped_copy_has_zero_distance_and_the_path_recovers_the_warp() -> None:
    # y plays x with every third frame held twice: a known warp, no noise.
    x = curve(np.linspace(0, 1, 60))
    source = np.repeat(np.arange(60), np.where(np.arange(60) % 3 == 0, 2, 1))
    y = x[source]
    result = dtw(y, x)
    # Not exactly 0: the matrix-product form of the distance leaves ~1e-14 in a square, 1e-7
    # after the root.
    assert result.distance == pytest.approx(0.0, abs=1e-5)
    np.testing.assert_array_equal(result.path[:, 1], source)  # y frame i matched to x[source[i]]
    np.testing.assert_array_equal(result.path[:, 0], np.arange(len(source)))


def test_band_too_narrow_is_widened_to_the_length_difference() -> None:
    rng = np.random.default_rng(2)
    cost = rng.random((20, 32))
    narrow = dtw_cost(cost, band=2)
    assert narrow.band == 12 and np.isfinite(narrow.distance)
    assert narrow.distance == dtw_cost(cost, band=12).distance
    assert np.all(np.abs(narrow.path[:, 0] - narrow.path[:, 1]) <= 12)


def test_band_excludes_far_paths() -> None:
    # The only cheap route runs 8 frames off the diagonal; a band of 3 must not take it.
    cost = np.ones((30, 30))
    for i in range(30):
        cost[i, min(29, i + 8)] = 0.0
    cost[:, -1] = 0.0
    free, banded = dtw_cost(cost), dtw_cost(cost, band=3)
    assert np.max(np.abs(free.path[:, 0] - free.path[:, 1])) >= 8
    assert np.max(np.abs(banded.path[:, 0] - banded.path[:, 1])) <= 3
    assert banded.distance > free.distance
    acc = accumulated_cost(cost, band=3)
    assert np.isinf(acc[0, 4]) and np.isinf(acc[10, 2])


def test_nan_features_are_ignored_and_empty_frames_cost_the_neutral_value() -> None:
    x = curve(np.linspace(0, 1, 40))
    y = x + 0.0
    y[:, 2] = 99.0  # a wrong value ...
    y[:, 2] = np.nan  # ... that is not assessable, so it cannot count
    y[10:15] = np.nan  # five frames with nothing assessable
    cost = cost_matrix(x, y)
    valid = rms_cost(x, y)
    neutral = float(np.nanmean(valid))
    np.testing.assert_allclose(cost[:, 10:15], neutral)
    result = dtw(x, y)
    np.testing.assert_array_equal(result.path, np.stack([np.arange(40)] * 2, axis=1))
    # The identical frames cost ~0; each empty frame costs the neutral value once.
    assert result.distance == pytest.approx(5 * neutral, abs=1e-5)


# --- streaming ---------------------------------------------------------------------------


def test_spring_column_equals_the_loop() -> None:
    rng = np.random.default_rng(3)
    col_fast = col_slow = SpringColumn.empty(25)
    for k in range(12):
        c = rng.integers(0, 5, 25).astype(float)
        col_fast = spring_column(col_fast, c, k / FPS, 3)
        col_slow = spring_column_loop(col_slow, c, k / FPS, 3)
        np.testing.assert_array_equal(col_fast.cost, col_slow.cost)
        reachable = np.isfinite(col_fast.cost)
        np.testing.assert_array_equal(col_fast.start_t[reachable], col_slow.start_t[reachable])
        np.testing.assert_array_equal(col_fast.length[reachable], col_slow.length[reachable])


@pytest.mark.parametrize("max_advance", [1, 2, 3, 5])
def test_spring_tracker_in_place_equals_the_loop(max_advance: int) -> None:
    rng = np.random.default_rng(11 + max_advance)
    n = 30
    tracker = SpringTracker(n, max_advance)
    slow = SpringColumn.empty(n)
    for k in range(40):
        if k == 25:  # a new attempt: both forget the stream
            tracker.reset()
            slow = SpringColumn.empty(n)
        c = rng.integers(0, 4, n).astype(float)  # integer costs: ties happen, sums are exact
        tracker.step(c, k / FPS)
        slow = spring_column_loop(slow, c, k / FPS, max_advance)
        np.testing.assert_array_equal(tracker.cost, slow.cost)
        reachable = np.isfinite(slow.cost)
        np.testing.assert_array_equal(tracker.start_t[reachable], slow.start_t[reachable])
        np.testing.assert_array_equal(tracker.length[reachable], slow.length[reachable])
        kept = tracker.column()  # a copy, which the next step leaves alone
    np.testing.assert_array_equal(kept.cost, tracker.cost)
    tracker.step(np.zeros(n), 40 / FPS)
    np.testing.assert_array_equal(kept.cost, slow.cost)


def aligner_loop(
    reference: np.ndarray, phases: np.ndarray, ref_t: np.ndarray, stream: np.ndarray
) -> list[tuple[int, int, bool, float, float, float]]:
    """The live aligner's rules in plain Python over ``spring_column_loop``: the reference."""
    n, costs = len(reference), ReferenceCost(reference)
    column, index, started, out = SpringColumn.empty(n), 0, False, []
    for i, x in enumerate(stream):
        t = i / FPS
        column = spring_column_loop(column, costs(x), t, 3)
        mean = [float(column.cost[j]) / float(column.length[j]) for j in range(n)]
        best = min(range(n), key=lambda j: (mean[j], j))
        index = min(max(best, index if started else 0), index + 3)
        started = started or index >= max(2, n // 10)
        start_t = float(column.start_t[index])
        lag = (t - start_t) - (ref_t[index] - ref_t[0]) if started else 0.0
        out.append((index, int(phases[index]), started, mean[index], start_t, lag))
    return out


def test_streaming_aligner_equals_the_plain_loop() -> None:
    rng = np.random.default_rng(12)
    n_ref = 60
    reference = curve(np.linspace(0, 1, n_ref))
    stream = np.vstack([np.repeat(reference[:1], 10, axis=0), curve(np.linspace(0, 1, 45))])
    stream += rng.normal(0.0, 0.05, stream.shape)
    phases = np.arange(n_ref) * 4 // n_ref
    ref_t = np.cumsum(rng.uniform(0.02, 0.05, n_ref))  # uneven reference timing
    aligner = StreamingAligner(reference, phases, ref_t)
    want = aligner_loop(reference, phases, ref_t, stream)
    for i, (x, w) in enumerate(zip(stream, want, strict=True)):
        s = aligner.step(i / FPS, x)
        assert (s.ref_index, s.phase_index, s.started) == w[:3]
        assert s.progress == w[0] / (n_ref - 1)
        assert s.cost == pytest.approx(w[3], rel=1e-12)
        assert s.start_t == w[4]
        assert s.lag_s == pytest.approx(w[5], rel=1e-12, abs=1e-12)
    assert want[-1][2] and want[-1][0] > n_ref // 2  # the case exercises a started attempt


def run_playback(speed: float, lead: int, seed: int, tail: int = 15):
    """A still lead-in at the reference's first pose, the reference at ``speed``, a still end."""
    rng = np.random.default_rng(seed)
    n_ref = 90
    reference = curve(np.linspace(0, 1, n_ref))
    n_play = round((n_ref - 1) / speed) + 1
    stream = np.vstack(
        [
            np.repeat(reference[:1], lead, axis=0),
            curve(np.linspace(0, 1, n_play)),
            np.repeat(reference[-1:], tail, axis=0),
        ]
    )
    stream += rng.normal(0.0, 0.03, stream.shape)
    phases = np.arange(n_ref) * 3 // n_ref
    aligner = StreamingAligner(reference, phases, np.arange(n_ref) / FPS, max_advance=3)
    states = [aligner.step(i / FPS, frame) for i, frame in enumerate(stream)]
    return reference, stream, n_play, states


@pytest.mark.parametrize(("speed", "lead", "seed"), [(0.5, 23, 4), (1.0, 37, 5), (2.0, 11, 6)])
def test_streaming_tracks_playback_at_three_speeds(speed: float, lead: int, seed: int) -> None:
    _, stream, n_play, states = run_playback(speed, lead, seed)
    index = np.array([s.ref_index for s in states])
    # Never more than max_advance reference frames per stream frame; never back once started.
    assert np.diff(index).max() <= 3
    started = np.array([s.started for s in states])
    first = int(np.argmax(started))
    assert started[first:].all()
    assert np.all(np.diff(index[first:]) >= 0)
    # Start found within 4 reference frames (0.13 s of the reference) of the truth. Measured:
    # 0-2 at 1x and 2x; 2.5-4 at 0.5x, where the eased start stays below the noise for longer
    # and SPRING, whose costs are >= 0, takes the latest start that explains the movement.
    assert abs(states[-1].start_t * FPS - lead) * speed <= 4 + 1e-9
    # The flag rises once the match passes a tenth of the reference (9 frames): 4-18 stream
    # frames after the true start depending on speed.
    assert first - lead <= 9 / speed + 2
    # Tracking: the reference index stays within 4 frames of the truth during playback
    # (measured at most 2-3.5).
    truth = np.clip((np.arange(len(stream)) - lead) * speed, 0, 89)
    playing = slice(lead + 2, lead + n_play)
    assert np.max(np.abs(index[playing] - truth[playing])) <= 4
    assert index[-1] == 89 and states[-1].progress == 1.0 and states[-1].phase_index == 2
    # Lag at the end of playback: trainee time minus reference time (2.97 s of reference):
    # +2.97 s at 0.5x, 0 at 1x, -1.48 s at 2x. Measured 2.70, -0.07, -1.50: the late start
    # estimate at 0.5x shortens the trainee's time by up to 0.27 s.
    end = states[lead + n_play - 1]
    expected = (n_play - 1) / FPS - 89 / FPS
    assert end.lag_s == pytest.approx(expected, abs=0.3)
    if abs(expected) > 0.5:
        assert np.sign(end.lag_s) == np.sign(expected)


def test_streaming_end_agrees_with_offline_dtw() -> None:
    reference, stream, _, states = run_playback(1.0, 20, seed=7, tail=0)
    start = round(states[-1].start_t * FPS)
    attempt = stream[start:]
    offline = dtw(attempt, reference)
    assert tuple(offline.path[-1]) == (len(attempt) - 1, states[-1].ref_index)
    # Frame by frame, the live index is within 3 frames of the offline path's match.
    offline_index = np.zeros(len(attempt), dtype=int)
    np.maximum.at(offline_index, offline.path[:, 0], offline.path[:, 1])
    live_index = np.array([s.ref_index for s in states[start:]])
    assert np.max(np.abs(live_index - offline_index)) <= 3


def test_streaming_holds_on_frames_without_features_and_resets() -> None:
    reference = curve(np.linspace(0, 1, 40))
    aligner = StreamingAligner(reference, np.zeros(40, dtype=int), np.arange(40) / FPS)
    for i in range(20):
        aligner.step(i / FPS, reference[i])
    before = aligner.state
    held = aligner.step(20 / FPS, np.full(N_FEATURES, np.nan))
    assert not held.tracking and held.ref_index == before.ref_index
    assert held.lag_s == pytest.approx(before.lag_s + 1 / FPS)
    with pytest.raises(ValueError, match="increase"):
        aligner.step(20 / FPS, reference[21])
    aligner.reset()
    assert aligner.state.ref_index == 0 and not aligner.state.started


# --- barycenter --------------------------------------------------------------------------


def test_dba_recovers_the_curve_better_than_any_copy() -> None:
    rng = np.random.default_rng(8)
    truth = curve(np.linspace(0, 1, 100))
    copies = []
    for _ in range(5):
        n = int(rng.integers(80, 121))
        v = np.linspace(0, 1, n)
        warp = v + 0.08 * np.sin(np.pi * v) * rng.uniform(-1, 1)  # monotone, 0 -> 1
        copy = np.stack([np.interp(warp, np.linspace(0, 1, 100), f) for f in truth.T], axis=1)
        copies.append(copy + rng.normal(0.0, 0.1, copy.shape))
    result = dba(copies, n_iter=10)
    # Mean frame distance to the truth after alignment: copies 0.09-0.10 (the noise), the
    # average about 0.05 (noise / sqrt(5) = 0.045 plus what warping leaves).
    to_truth = dtw(result.mean, truth).normalized_distance
    copies_to_truth = [dtw(c, truth).normalized_distance for c in copies]
    assert to_truth < 0.7 * min(copies_to_truth)
    assert 1 < result.n_iter <= 10
    # The 2-sigma band covers at least 95 % of the copies' aligned values (measured about 99 %).
    lower, upper = result.band(2.0)
    for c in copies:
        path = dtw(result.mean, c).path
        values = c[path[:, 1]]
        inside = (values >= lower[path[:, 0]]) & (values <= upper[path[:, 0]])
        assert inside.mean() >= 0.95
    # The band reflects the noise: mean std near 0.1 (measured 0.08).
    assert 0.05 < float(result.std.mean()) < 0.12


def test_dba_loop_baseline_gives_the_same_mean_and_nan_stays_nan() -> None:
    rng = np.random.default_rng(9)
    base = curve(np.linspace(0, 1, 30))
    copies = [base + rng.normal(0, 0.05, base.shape) for _ in range(3)]
    for c in copies:
        c[:, 1] = np.nan  # never assessable
    fast = dba(copies, n_iter=3)
    slow = dba(copies, n_iter=3, dtw_impl=dtw_loop)
    np.testing.assert_allclose(fast.mean, slow.mean, rtol=0, atol=1e-12)
    assert np.isnan(fast.mean[:, 1]).all() and np.isfinite(np.delete(fast.mean, 1, axis=1)).all()
    assert fast.count.sum() >= 3 * 30


def test_costs_lie_on_the_exact_grid_and_identical_frames_tie_exactly() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(30, 7))
    held = np.repeat(rng.normal(size=(1, 7)), 12, axis=0)  # a reference that holds still
    y = np.concatenate([rng.normal(size=(5, 7)), held, rng.normal(size=(5, 7))])
    cost = cost_matrix(x, y)
    scaled = cost * 2.0**COST_GRID_BITS
    np.testing.assert_array_equal(scaled, np.rint(scaled))  # multiples of the grid step
    assert np.all(cost[:, 5:17] == cost[:, 5:6])  # identical frames, identical costs
    live = ReferenceCost(y)
    for i in range(30):
        row = live(x[i])
        np.testing.assert_array_equal(row[5:17], np.full(12, row[5]))
        np.testing.assert_allclose(row, cost[i], atol=2.0**-COST_GRID_BITS)
    # Sums along any path are exact: the DTW distance is the path's costs added in any order.
    result = dtw_cost(cost)
    along = cost[result.path[:, 0], result.path[:, 1]]
    assert result.distance == float(np.sum(along)) == float(np.sum(along[::-1]))


def test_flips_of_the_hip_line_do_not_add_up_to_whole_turns() -> None:
    """Each left/right flip adds 180 deg to the unwrapped hip angle; past three-quarters of a
    turn the alignment's turn feature is taken round by whole turns, offline and live alike."""
    from coach.analysis.alignment_features import LONGEST_TURN_DEG, plausible_turn_deg

    turns = np.array([0.0, 180.0, 200.0, 360.0, 540.0, -400.0, LONGEST_TURN_DEG, np.nan])
    np.testing.assert_allclose(
        plausible_turn_deg(turns), [0.0, 180.0, 200.0, 0.0, 180.0, -40.0, 270.0, np.nan]
    )
    assert float(plausible_turn_deg(361.0)) == pytest.approx(1.0)
