"""Is this recording an attempt at the technique at all? The evidence the gate decides on.

A low mean distance from the reference is not enough: the alignment always finds the closest
path, and someone standing and watching is close to a ready stance that holds still for most of
the reference. An attempt also goes through the technique's phases in order, moving in each
phase about as much as the reference does there, and lasts about as long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment_features import LIMB_POINTS
from coach.analysis.checks.base import at_least, at_most
from coach.scoring.phase_mapping import PhaseMapping
from coach.scoring.reference_model import ReferenceModel

LIMB_DIMS = 3 * len(LIMB_POINTS)
"""The alignment features that describe the pose (not the travel or the turn)."""


@dataclass(frozen=True)
class MatchEvidence:
    """What the alignment says about how well a recording follows the technique.

    mean_distance: mean frame cost along the alignment (feature rms, torso lengths).
    duration_ratio: the recording's duration over the reference's.
    phase_distance: per phase, the mean distance of its attempt frames from their matches.
    phase_motion: per phase, how far the attempt's features travel (summed frame-to-frame
        rms steps) in the phase's window, over how far the reference's travel in the phase.
    reference_motion: per phase, the reference's own travel (torso lengths).
    phase_time: per phase, the attempt's time in it over the reference's.
    phase_speed: per phase, the attempt's travel per second there (torso lengths / s).
    """

    mean_distance: float
    duration_ratio: float
    phase_distance: tuple[float, ...]
    phase_motion: tuple[float, ...]
    reference_motion: tuple[float, ...]
    phase_time: tuple[float, ...]
    phase_speed: tuple[float, ...]
    phase_pose_distance: tuple[float, ...]
    phase_spread: tuple[float, ...]
    excursion: float
    """How far the attempt's features (pose, travel and turn) go from their ready values after
    the start, over how far the reference's go (``excursion``)."""


def _rms_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N,) rms difference of rows of a and b over the features finite in both (NaN if none)."""
    d = a - b
    valid = np.isfinite(d)
    count = valid.sum(axis=1)
    total = np.where(valid, d, 0.0) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.sqrt(total.sum(axis=1) / count))


def travel(x: np.ndarray) -> float:
    """How far a feature track moves: the sum of its frame-to-frame rms steps."""
    if len(x) < 2:
        return 0.0
    steps = _rms_rows(x[1:], x[:-1])
    return float(np.nansum(steps))


def spread(x: np.ndarray) -> float:
    """How much a pose track varies: the median rms distance of its frames from their median
    pose (torso lengths; NaN for no frames). Jitter gives a few hundredths; walking or
    jumping a few tenths."""
    x = x[:, np.isfinite(x).any(axis=0)]  # a joint never seen here says nothing
    if x.size == 0:
        return float("nan")
    centre = np.nanmedian(x, axis=0)
    return float(np.nanmedian(_rms_rows(x, np.broadcast_to(centre, x.shape))))


def excursion(pose: np.ndarray, ready: slice, after: slice) -> float:
    """How far a pose track goes from its ready pose (the median over ``ready``): the 90th
    percentile over the frames ``after`` of their rms distance from it (torso lengths)."""
    x = pose[:, np.isfinite(pose[ready]).any(axis=0)]
    if x.size == 0 or after.stop <= after.start:
        return float("nan")
    start = np.nanmedian(x[ready], axis=0)
    d = _rms_rows(x[after], np.broadcast_to(start, x[after].shape))
    return float(np.nanpercentile(d, 90)) if np.isfinite(d).any() else float("nan")


def match_evidence(
    features: np.ndarray,
    t: np.ndarray,
    reference: ReferenceModel,
    mapping: PhaseMapping,
    mean_distance: float,
) -> MatchEvidence:
    """The evidence for one alignment of attempt ``features`` (T, F) at times ``t``."""
    matched = reference.features[np.clip(mapping.ref_index, 0, len(reference) - 1)]
    distance = _rms_rows(features, matched)
    pose_distance = _rms_rows(features[:, :LIMB_DIMS], matched[:, :LIMB_DIMS])
    phase_pose, phase_spread = [], []
    phase_distance, phase_motion, reference_motion = [], [], []
    phase_time, phase_speed = [], []
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    ref_dt = float(np.median(np.diff(reference.t)))
    for k, window in enumerate(mapping.windows):
        inside = distance[window]
        phase_distance.append(
            float(np.nanmean(inside)) if np.isfinite(inside).any() else float("nan")
        )
        phase_spread.append(spread(features[window, :LIMB_DIMS]))
        pose = pose_distance[window]
        phase_pose.append(float(np.nanmean(pose)) if np.isfinite(pose).any() else float("nan"))
        ref_travel = travel(reference.features[reference.phase_of_frame == k])
        reference_motion.append(ref_travel)
        # one frame either side: the phase's motion includes the step into it
        lo, hi = max(0, window.start - 1), min(len(features), window.stop + 1)
        own = travel(features[lo:hi]) if window.stop > window.start else 0.0
        phase_motion.append(own / ref_travel if ref_travel > 0 else float("nan"))
        seconds = (window.stop - window.start) * dt
        phase_time.append(seconds / (np.sum(reference.phase_of_frame == k) * ref_dt))
        phase_speed.append(own / seconds if seconds > 0 else float("nan"))
    start = reference.technique.phase_index(reference.technique.timing.start_phase)
    ref_ready = slice(0, max(1, int(np.argmax(reference.phase_of_frame >= start))))
    ref_reach = excursion(reference.features, ref_ready, slice(ref_ready.stop, len(reference)))
    own_ready = slice(0, max(1, mapping.windows[start].start))
    own_reach = excursion(features, own_ready, slice(own_ready.stop, len(features)))
    ref_duration = float(reference.t[-1] - reference.t[0])
    duration = float(t[-1] - t[0]) if len(t) > 1 else 0.0
    return MatchEvidence(
        mean_distance=float(mean_distance),
        duration_ratio=duration / ref_duration if ref_duration > 0 else float("nan"),
        phase_distance=tuple(phase_distance),
        phase_motion=tuple(phase_motion),
        reference_motion=tuple(reference_motion),
        phase_time=tuple(phase_time),
        phase_speed=tuple(phase_speed),
        phase_pose_distance=tuple(phase_pose),
        phase_spread=tuple(phase_spread),
        excursion=own_reach / ref_reach if ref_reach > 0 else float("nan"),
    )


MEAN_DISTANCE_LIMIT_T = 0.3
"""Mean alignment distance (feature rms, torso lengths) above which a recording is not an
attempt. Synthetic attempts (any fault, 0.5x-2x) reach 0.23; real people walking, jumping and
waving their arms on the sample clip, against each technique, come to 0.16-0.69."""
SHORTEST_RATIO = 0.45
"""A recording shorter than half the technique cannot hold it even at 2x, the fastest pace
the engine is built for; 0.45, as a 2x attempt cut at its last frame comes to 0.49-0.50."""
LONGEST_RATIO = 4.0
"""A recording more than four times the technique's length (twice as long as the slowest pace,
0.5x, needs) is not one attempt. Synthetic attempts reach 2.9 (0.64x with a release three times
slower than taught)."""
MOVING_PHASE_T = 0.1
"""A phase whose reference moves at least this far (feature travel, torso lengths) is one the
trainee must go through."""
PHASE_TIME_SHARE = 0.1
"""... and spend at least this share of its reference time in (a 2x trainee spends 0.5;
synthetic attempts 0.15 or more). Less is a phase skipped: the alignment crossed it in a frame
or two because nothing in the recording looked like it."""


HOLD_SPREAD_T = 0.08
"""Where the technique holds still after the start (a stance held, a grip held), the trainee
holds still too: the pose's spread there (``spread``) is at most this. Synthetic attempts:
0.054 at most (MediaPipe-like jitter); people jumping or walking on the sample clip matched to
the ready stance drill's hold: 0.11-0.25."""


EXCURSION_SHARE = 0.3
"""After the start the trainee's pose goes at least this share as far from their ready pose as
the reference's goes from its own: someone standing still in the ready stance goes nowhere."""


def match_verdict(
    e: MatchEvidence, phase_names: tuple[str, ...], start_phase: int
) -> tuple[bool, str]:
    """Is the recording an attempt? (taken, and when not the first reason why).

    start_phase: index of the phase that starts at t0; a hold before it (the ready stance) is
    not asked to be still, as a recording may begin with the trainee walking into place."""
    if not at_most(e.mean_distance, MEAN_DISTANCE_LIMIT_T):
        return False, f"mean distance from the reference over {MEAN_DISTANCE_LIMIT_T:g} T"
    if not at_least(e.excursion, EXCURSION_SHARE):
        return False, f"the pose hardly changes ({e.excursion:.2f} of the reference's change)"
    if not at_least(e.duration_ratio, SHORTEST_RATIO):
        return False, f"{e.duration_ratio:.2f}x the technique's length: too short for it"
    if not at_most(e.duration_ratio, LONGEST_RATIO):
        return False, f"{e.duration_ratio:.1f}x the technique's length: too long for one attempt"
    for name, motion, share in zip(phase_names, e.reference_motion, e.phase_time, strict=True):
        if motion >= MOVING_PHASE_T and not at_least(share, PHASE_TIME_SHARE):
            return False, f"phase {name!r} skipped ({share:.2f} of its time)"
    holds = zip(phase_names, e.reference_motion, e.phase_spread, strict=True)
    for k, (name, motion, still) in enumerate(holds):
        held = k >= start_phase and motion < MOVING_PHASE_T and math.isfinite(still)
        if held and not at_most(still, HOLD_SPREAD_T):  # a hold given no frames: nothing to see
            return False, f"moving ({still:.2f} T) through the hold {name!r}"
    return True, "mean distance from the reference along the alignment"
