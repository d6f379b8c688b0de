"""The numpy Butterworth (coach.pose.zero_phase) against scipy.signal's, to the last bit.

scipy.signal is the oracle here only: the coach itself no longer imports it (38 MB a process).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from coach.pose.filters import butterworth, visible_runs
from coach.pose.sequence import PoseSequence
from coach.pose.zero_phase import butter2_lowpass, sosfiltfilt2

RATES = [30.0, 29.97002997, 60.0, 59.94, 25.0, 24.0, 15.0, 12.5, 10.0, 7.0, 120.0, 240.0]


@pytest.mark.parametrize("fs", RATES)
@pytest.mark.parametrize("cutoff", [8.0, 6.0, 10.0, 3.3, None])
def test_design_and_filter_are_scipys_bit_for_bit(fs: float, cutoff: float | None) -> None:
    wn = 0.45 * fs if cutoff is None else min(cutoff, 0.45 * fs)
    ours = butter2_lowpass(wn, fs)
    theirs = butter(2, wn, btype="low", fs=fs, output="sos")
    assert theirs.shape == (1, 6)
    np.testing.assert_array_equal(ours, theirs[0])
    rng = np.random.default_rng(round(fs * 100))
    for n in (10, 11, 37, 300, 2000):
        x = np.cumsum(rng.normal(size=(n, 7)), axis=0)
        np.testing.assert_array_equal(
            sosfiltfilt2(ours, x, 9), sosfiltfilt(theirs, x, axis=0, padlen=9)
        )


def _scipy_butterworth(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``filters.butterworth`` as it was, on scipy.signal, per channel and finite run."""
    fs = 1.0 / float(np.median(np.diff(t)))
    sos = butter(2, min(8.0, 0.45 * fs), btype="low", fs=fs, output="sos")
    flat = x.reshape(x.shape[0], -1)
    out = flat.copy()
    for col in range(flat.shape[1]):
        for a, b in visible_runs(np.isfinite(flat[:, col])):
            if b - a > 9:
                out[a:b, col] = sosfiltfilt(sos, flat[a:b, col], padlen=9)
    return out.reshape(x.shape)


def test_real_landmarks_filter_as_with_scipy(demo_landmarks: PoseSequence) -> None:
    """The sample clip's landmarks (MediaPipe on a real video, with its gaps): the same
    numbers as scipy's filter gave, channel by channel."""
    seq = demo_landmarks
    assert not np.isfinite(seq.image).all()  # gaps: the per-run path is exercised
    for points in (seq.image, seq.world):
        np.testing.assert_array_equal(butterworth(points, seq.t), _scipy_butterworth(points, seq.t))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="cutoff"):
        butter2_lowpass(20.0, 30.0)
    with pytest.raises(ValueError, match="T > padlen"):
        sosfiltfilt2(butter2_lowpass(8.0, 30.0), np.zeros((9, 2)), 9)

