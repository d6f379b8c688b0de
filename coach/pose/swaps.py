"""Left/right swaps of the landmarks: found from the body's own track and undone before measuring.

MediaPipe sometimes labels a person's left side as their right for a fraction of a second (most
often facing the camera with the arms out): the body, or part of it, then
appears to turn by about 180 deg in one frame and back, and each of its left landmarks jumps to
where the right one was. A trainee cannot do that, so such a stretch is relabelled.

The body is searched in three parts: the upper body (head, shoulders, arms), the hips and the
legs. The model swaps them together most of the time, but not always (one frame with the
shoulders swapped and the hips not, between two swapped frames, is common on real video), and a
half-swapped frame would break the chain of evidence a whole-body search relies on. For each
part, each frame is either as labelled or swapped; the labelling of the whole sequence is the
one of least cost (Viterbi over the two states), where a cost is paid for
- the facing direction of the part (its shoulder or hip line, world landmarks) turning faster
  from one frame to the next than a person turns (``TURN_RATE_DEG_S``);
- each side's track in the image (shoulder, elbow, wrist; hip; knee, ankle; in torso lengths)
  jumping faster than a limb moves (``LIMB_SPEED_T_S``);
- every second spent swapped (``SWAPPED_COST_PER_S``), so the labelling the body keeps most
  of the time wins, and a real turn, which is continuous, is never undone. The legs have no
  facing line: they keep the hips' labelling unless their own track says otherwise.
Each jump costs at most ``JUMP_COST`` per cue, so a swap costs the same at 30 and at 60 fps,
and an episode longer than about ``2 * 2 * JUMP_COST / SWAPPED_COST_PER_S`` (1.6 s) is taken as
real. The live scorer uses the forward pass alone (``CausalSwapRepair``): a frame is relabelled
when the best labelling ending at it says so, which gives up on an episode after about 0.8 s.

A repaired part gets the other side's landmarks, and their depths (world z about the hips,
image z) are reflected: the model took the part's back for its front, so the picture's x and y
are right but the names and the depth order were wrong. Relabelling without the reflection
leaves a mirror-image body, which the body-frame features then read as a different pose (a
rendered same-side wrist grab: mean alignment distance 0.235 unrepaired, 0.673 relabelled only,
0.265 relabelled and reflected; a rendered rear strangle: 0.380, 0.346, 0.331).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.pose.landmarks import LANDMARK_NAMES, MIRROR_PERMUTATION, index_of, indices_of
from coach.pose.sequence import PoseSequence

TURN_RATE_DEG_S: Final[float] = 1350.0
"""A turn this fast (45 deg between 30 fps frames) costs 1; a swap is a 180 deg jump."""
LIMB_SPEED_T_S: Final[float] = 15.0
"""A side's track moving this fast (torso lengths per second; 0.5 T between 30 fps frames)
costs 1; a swap moves the arms and legs of someone facing the camera by about 1 T at once.
Slower limits (8 T/s for the legs) make the search take sides on the crossed legs of a small
figure walking past side-on, where it cannot tell which labelling is right (measured: the
wrong one on the sample clip), so the legs get the same generous limit."""
COST_POWER: Final[int] = 4
"""Each cue costs (speed / its limit) to this power: steep, so that a real movement of half
the limit costs next to nothing (1/16), while a jump across a missed frame or two, which halves
or thirds the apparent speed, still costs the most or nearly (16 or 3)."""
JUMP_COST: Final[float] = 16.0
"""Ceiling of each cue's cost between two frames (a 180 deg jump at 30 fps)."""
SWAPPED_COST_PER_S: Final[float] = 40.0
"""Cost of each second labelled against the raw landmarks."""
LIVE_SWAPPED_COST_PER_S: Final[float] = 20.0
"""The same for the live repair, which cannot see an episode's end: half the offline cost, so
it holds on to an episode about as long as the offline search would (0.5-0.8 s)."""
NEW_TRACK_GAP_S: Final[float] = 0.5
"""After this long without a person, the track starts again (no cost to change labels)."""
NEW_TRACK_JUMP_T: Final[float] = 1.0
"""The same when the mid-hip, which a swap leaves where it is, jumps further than this (torso
lengths) between frames: the model has moved to another person."""

_SHOULDERS: Final = indices_of("left_shoulder", "right_shoulder")
_HIPS: Final = indices_of("left_hip", "right_hip")


@dataclass(frozen=True)
class _Part:
    """One part of the body: the line that gives its facing, the points of its side tracks,
    and every landmark that is relabelled with it."""

    name: str
    line: list[int] | None  # None: the part has no line of its own (the legs)
    track: np.ndarray  # left points, then their right partners
    members: np.ndarray  # landmark indices of this part (both sides and the middle)


def _part(
    name: str,
    line: str | None,
    points: tuple[str, ...],
    members: tuple[str, ...],
) -> _Part:
    return _Part(
        name,
        None if line is None else indices_of(f"left_{line}", f"right_{line}"),
        np.array(indices_of(*(f"left_{p}" for p in points), *(f"right_{p}" for p in points))),
        np.array(indices_of(*members)),
    )


_LEG_NAMES: Final = tuple(n for n in LANDMARK_NAMES if index_of(n) >= index_of("left_knee"))
PARTS: Final[tuple[_Part, ...]] = (
    _part(
        "upper",
        "shoulder",
        ("shoulder", "elbow", "wrist"),
        tuple(n for n in LANDMARK_NAMES if index_of(n) < index_of("left_hip")),
    ),
    _part("hips", "hip", ("hip",), ("left_hip", "right_hip")),
    _part("legs", None, ("knee", "ankle"), _LEG_NAMES),
)


@dataclass(frozen=True)
class SwapRepair:
    """The outcome of the swap search over one sequence."""

    sequence: PoseSequence
    """The sequence with the swapped frames relabelled."""
    swapped_parts: np.ndarray
    """(T, 3) bool: the frames whose upper body, hips or legs (``PARTS`` order) were
    relabelled."""

    @property
    def swapped(self) -> np.ndarray:
        """(T,) bool: frames with any part relabelled."""
        return np.asarray(self.swapped_parts.any(axis=1))

    @property
    def frames(self) -> int:
        return int(self.swapped.sum())

    @property
    def episodes(self) -> int:
        """Separate stretches of relabelled frames."""
        s = self.swapped.astype(np.int8)
        return int(np.sum(np.diff(np.concatenate(([0], s))) == 1))

    def note(self) -> str:
        """One line for the score card, or "" when nothing was relabelled."""
        if not self.frames:
            return ""
        plural = "s" if self.episodes != 1 else ""
        return (
            f"left/right swap of the landmarks repaired in {self.frames} of "
            f"{len(self.swapped)} frames ({self.episodes} episode{plural})"
        )


@dataclass(frozen=True)
class _Frame:
    """What the costs need of one part in one frame: its facing angle and side tracks."""

    t: float
    yaw: float  # radians, NaN where the world landmarks are missing
    track: np.ndarray  # (2k, 2) the sides' points in torso lengths (left k, right k)
    centre: np.ndarray  # (2,) the mid-hip in torso lengths (the same under either labelling)


def _frame(
    t: float, image: np.ndarray, world: np.ndarray, size: np.ndarray, part: _Part
) -> _Frame | None:
    """The cue values of one part in one frame, or None when it is not seen."""
    px = image[:, :2] * size
    if not np.isfinite(px[part.track]).all():
        return None
    torso = np.linalg.norm(px[_SHOULDERS].mean(axis=0) - px[_HIPS].mean(axis=0))
    if not torso > 0:
        return None
    yaw = np.nan
    if part.line is not None:
        d = world[part.line[0]] - world[part.line[1]]
        yaw = float(np.arctan2(d[2], d[0]))
    return _Frame(t, yaw, px[part.track] / torso, px[_HIPS].mean(axis=0) / torso)


def _step_costs(prev: _Frame, here: _Frame) -> tuple[float, float]:
    """(keep, flip): the cost of the labels staying as they are from ``prev`` to ``here``,
    and of one of the two being relabelled."""
    dt = here.t - prev.t
    reach = LIMB_SPEED_T_S * dt
    moved = float(np.linalg.norm(here.centre - prev.centre))
    if dt >= NEW_TRACK_GAP_S or dt <= 0 or moved > max(reach, NEW_TRACK_JUMP_T):
        return 0.0, 0.0  # a new track: after a long gap, or the model moved to someone else
    keep = flip = 0.0
    turn = abs((here.yaw - prev.yaw + np.pi) % (2 * np.pi) - np.pi)  # 0..pi
    if np.isfinite(turn):
        rate = np.radians(TURN_RATE_DEG_S) * dt
        keep += min((turn / rate) ** COST_POWER, JUMP_COST)
        flip += min(((np.pi - turn) / rate) ** COST_POWER, JUMP_COST)
    k = len(here.track) // 2
    swapped_track = np.concatenate([here.track[k:], here.track[:k]])
    keep += min((_mean_jump(here.track, prev.track) / reach) ** COST_POWER, JUMP_COST)
    flip += min((_mean_jump(swapped_track, prev.track) / reach) ** COST_POWER, JUMP_COST)
    return keep, flip


def _mean_jump(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.linalg.norm(a - b, axis=1)))


def _transitions(cost: np.ndarray, keep: float, flip: float) -> tuple[np.ndarray, np.ndarray]:
    """One Viterbi step: the best previous state for each state, and the new path costs."""
    total = cost[:, None] + np.array([[keep, flip], [flip, keep]])  # [from, to]
    best_from = np.argmin(total, axis=0)
    return best_from, total[best_from, [0, 1]]


def _state_cost(share_s: float, anchor: bool, per_s: float = SWAPPED_COST_PER_S) -> np.ndarray:
    """Cost of (as labelled, swapped) for one frame: its time share for the state that
    differs from ``anchor`` (the raw labels, or for the legs the hips' labelling)."""
    cost = per_s * share_s
    return np.array([cost, 0.0]) if anchor else np.array([0.0, cost])


def _find_part_swaps(
    seq: PoseSequence, part: _Part, anchor: np.ndarray | None = None
) -> np.ndarray:
    """(T,) bool: frames whose ``part`` has its left and right labels swapped.

    anchor: (T,) bool, the labelling this part keeps unless its own track says otherwise
    (the raw labels by default)."""
    size = np.array(seq.source_size, dtype=np.float64)
    swapped = np.zeros(len(seq), dtype=bool)
    cost = np.zeros(2)
    back: list[tuple[int, np.ndarray]] = []  # (frame, best previous state of each state)
    prev: _Frame | None = None
    for i in range(len(seq)):
        frame = _frame(float(seq.t[i]), seq.image[i], seq.world[i], size, part)
        if frame is None:
            continue
        if prev is None:
            best_from, cost = np.array([0, 1]), np.zeros(2)
        else:
            best_from, cost = _transitions(cost, *_step_costs(prev, frame))
        anchored = anchor is not None and bool(anchor[i])
        cost = cost + _state_cost(_frame_share_s(seq.t, i), anchored)
        back.append((i, best_from))
        prev = frame
    state = int(np.argmin(cost))
    for i, best_from in reversed(back):
        swapped[i] = state == 1
        state = int(best_from[state])
    return swapped


def _frame_share_s(t: np.ndarray, i: int) -> float:
    """The time frame ``i`` stands for: the mean interval to its neighbours (capped)."""
    if len(t) < 2:
        return 1 / 30
    lo, hi = max(0, i - 1), min(len(t) - 1, i + 1)
    return float(min((t[hi] - t[lo]) / (hi - lo), NEW_TRACK_GAP_S))


def find_swaps(seq: PoseSequence) -> np.ndarray:
    """(T, 3) bool: frames whose upper body, hips or legs (columns in ``PARTS`` order) are
    swapped. The legs have no facing line of their own, and with the feet together their
    swap moves little: they follow the hips unless their own track says otherwise."""
    upper = _find_part_swaps(seq, PARTS[0])
    hips = _find_part_swaps(seq, PARTS[1])
    legs = _find_part_swaps(seq, PARTS[2], anchor=hips)
    return np.stack([upper, hips, legs], axis=1)


def _relabel_part(
    image: np.ndarray, world: np.ndarray, visibility: np.ndarray, part: _Part
) -> None:
    """Exchange the left and right landmarks of ``part`` in place (arrays (..., 33, ...))."""
    source = np.array(MIRROR_PERMUTATION)[part.members]
    image[..., part.members, :] = image[..., source, :].copy()
    world[..., part.members, :] = world[..., source, :].copy()
    visibility[..., part.members] = visibility[..., source].copy()
    # the model took this part's back for its front: its depths are mirrored about the hips
    hips = world[..., _HIPS, 2].mean(axis=-1)[..., None]
    world[..., part.members, 2] = 2 * hips - world[..., part.members, 2]
    image[..., part.members, 2] = -image[..., part.members, 2]


def repair_swaps(seq: PoseSequence) -> SwapRepair:
    """The sequence with every swapped part relabelled, and which frames those were."""
    swapped = find_swaps(seq)
    if not swapped.any():
        return SwapRepair(seq, swapped)
    image, world, visibility = seq.image.copy(), seq.world.copy(), seq.visibility.copy()
    for k, part in enumerate(PARTS):
        rows = swapped[:, k]
        im, wo, vi = image[rows], world[rows], visibility[rows]
        _relabel_part(im, wo, vi, part)
        image[rows], world[rows], visibility[rows] = im, wo, vi
    return SwapRepair(seq.replace(image=image, world=world, visibility=visibility), swapped)


class CausalSwapRepair:
    """The same search one frame at a time (live): each part of each frame is relabelled when
    the best labelling ending at it says so, without waiting for the frames after it."""

    def __init__(self, source_size: tuple[int, int]) -> None:
        self._size = np.array(source_size, dtype=np.float64)
        self._cost = [np.zeros(2) for _ in PARTS]
        self._prev: list[_Frame | None] = [None for _ in PARTS]
        self._prev_t: float | None = None
        self.frames = 0
        """Frames with a part relabelled so far."""

    def __call__(
        self, t: float, image: np.ndarray, world: np.ndarray, visibility: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """This frame's landmarks, with any swapped part relabelled."""
        image = np.array(image, dtype=np.float64)
        world = np.array(world, dtype=np.float64)
        visibility = np.array(visibility, dtype=np.float64)
        dt = 1 / 30 if self._prev_t is None else min(t - self._prev_t, NEW_TRACK_GAP_S)
        swaps: list[_Part] = []
        for k, part in enumerate(PARTS):
            frame = _frame(t, image, world, self._size, part)
            if frame is None:
                continue
            self._prev_t = t
            prev = self._prev[k]
            cost = (
                np.zeros(2)
                if prev is None
                else _transitions(self._cost[k], *_step_costs(prev, frame))[1]
            )
            cost = cost + _state_cost(
                dt, part is PARTS[2] and PARTS[1] in swaps, LIVE_SWAPPED_COST_PER_S
            )
            self._cost[k] = cost - cost.min()  # only the difference matters; keep it bounded
            self._prev[k] = frame
            if cost[1] < cost[0]:
                swaps.append(part)
        for part in swaps:
            _relabel_part(image, world, visibility, part)
        self.frames += bool(swaps)
        return image, world, visibility
