"""From an alignment to the attempt's phase windows and event times.

The warping path says which reference frame each attempt frame corresponds to. A phase's
window is the attempt frames matched into that phase's reference frames; the release is the
first attempt frame matched at or past the reference's release; t0, when no start signal was
recorded, is the first frame matched at or past the reference's t0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.scoring.reference_model import ReferenceModel
from coach.scoring.still_stretches import settle_still_matches


@dataclass(frozen=True)
class PhaseMapping:
    """Attempt frame -> reference frame (monotone), with phase windows over attempt frames."""

    ref_index: np.ndarray  # (T,) reference frame matched by each attempt frame
    windows: tuple[slice, ...]

    def first_frame_at_or_past(self, ref_frame: int) -> int | None:
        hits = np.nonzero(self.ref_index >= ref_frame)[0]
        return int(hits[0]) if hits.size else None


def mapping_from_path(
    path: np.ndarray,
    n_frames: int,
    reference: ReferenceModel,
    features: np.ndarray | None = None,
) -> PhaseMapping:
    """Collapse a DTW path (K, 2) of (attempt, reference) pairs into a per-frame mapping.

    With the attempt's ``features`` (T, F), matches inside the reference's still stretches are
    settled (see still_stretches.py).
    """
    if features is not None:
        return mapping_from_ref_index(
            settled_ref_index(path, features, reference.features), reference
        )
    return mapping_from_ref_index(_path_ref_index(path, n_frames), reference)


def _path_ref_index(path: np.ndarray, n_frames: int) -> np.ndarray:
    """(T,) the last reference frame each attempt frame is matched with (monotone)."""
    ref_index = np.zeros(n_frames, dtype=np.int64)
    np.maximum.at(ref_index, path[:, 0], path[:, 1])
    return np.maximum.accumulate(ref_index)


def settled_ref_index(
    path: np.ndarray, features: np.ndarray, reference_features: np.ndarray
) -> np.ndarray:
    """The path's per-frame reference index with the matches inside the reference's still
    stretches settled (see still_stretches.py)."""
    ref_index = _path_ref_index(path, len(features))
    return settle_still_matches(ref_index, features, reference_features)


def mapping_from_ref_index(ref_index: np.ndarray, reference: ReferenceModel) -> PhaseMapping:
    """Phase windows from a monotone per-frame reference index (offline or streaming)."""
    phases = reference.phase_of_frame[np.clip(ref_index, 0, len(reference) - 1)]
    windows = []
    n_phases = len(reference.technique.phases)
    start = 0
    for k in range(n_phases):
        inside = np.nonzero(phases == k)[0]
        if inside.size:
            lo, hi = int(inside[0]), int(inside[-1]) + 1
        else:  # a phase the attempt never reached (or skipped): an empty window where it would be
            later = np.nonzero(phases > k)[0]
            lo = hi = int(later[0]) if later.size else len(phases)
        lo = max(lo, start)
        windows.append(slice(lo, max(hi, lo)))
        start = max(hi, lo)
    return PhaseMapping(ref_index=ref_index, windows=tuple(windows))


HELD_BEFORE_T0_S = 1.0
"""The phases before the start signal are judged on this last stretch before it: the stance the
trainee was in when it came, not someone walking into the picture a minute earlier."""


def clip_before_t0(
    windows: tuple[slice, ...] | list[slice], t: np.ndarray, t0_s: float, start_phase: int
) -> list[slice]:
    """``windows`` with those of the phases before ``start_phase`` cut to the last
    HELD_BEFORE_T0_S before t0 (each keeps at least its last frame)."""
    first = int(np.searchsorted(t, t0_s - HELD_BEFORE_T0_S - 1e-9))
    out = list(windows)
    for k in range(min(start_phase, len(out))):
        w = out[k]
        if w.stop > w.start:
            out[k] = slice(min(max(w.start, first), w.stop - 1), w.stop)
    return out
