"""Features of one attempt: the measurements every check is built from. numpy only.

Conventions (MediaPipe's): world x to the image right, y down, z away from the camera, metres,
origin between the hips. A joint seen with visibility < 0.5 is NaN here, so every measure that
needs it is NaN (not assessable), never a wrong number. Scales are the notation of domain.md:
T = torso length (mid-shoulder to mid-hip) and SW = shoulder width, medians over the first
second of the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from coach.analysis.floor_features import FloorTrack, floor_track
from coach.pose.filters import bridge_short_gaps
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from coach.room.room_file import Room

VISIBLE = 0.5
"""Visibility below which a joint is not assessable."""

BASELINE_S = 1.0
SW_PER_TORSO = 0.259 / (0.818 - 0.530)
"""Shoulder width over torso length (shoulder to hip height), Drillis & Contini's fractions of
body height as tabulated by Winter (the body model's, ``coach.bodymodel.body_model``)."""
_MIDPOINTS = {
    "mid_hip": ("left_hip", "right_hip"),
    "mid_shoulder": ("left_shoulder", "right_shoulder"),
    "chin": ("mouth_left", "mouth_right"),
}


@dataclass(frozen=True, eq=False)
class Features:
    """Visibility-gated arrays of one attempt plus its body scales.

    t: (T,) seconds. world: (T, 33, 3) metres, NaN where not visible. pixels: (T, 33, 2)
    image pixels, NaN where not visible. torso_m, shoulder_m: T and SW in metres (baseline).
    torso_px: (T,) torso length in pixels per frame (the image scale at the body's depth).
    floor: the feet placed on the floor plane when the room is calibrated, else None
    (``floor_features``); checks that can measure on the floor then do.
    """

    t: np.ndarray
    world: np.ndarray
    pixels: np.ndarray
    torso_m: float
    shoulder_m: float
    torso_px: np.ndarray
    floor: FloorTrack | None = None

    @classmethod
    def from_sequence(cls, seq: PoseSequence, room: Room | None = None) -> Features:
        """The features of ``seq``; with ``room`` (the set-up of the camera that filmed it)
        the feet are placed on its floor plane too."""
        hidden = ~(np.nan_to_num(seq.visibility, nan=0.0) >= VISIBLE)
        world = seq.world.copy()
        world[hidden] = np.nan
        pixels = seq.image_pixels()
        pixels[hidden] = np.nan
        base = seq.t <= seq.t[0] + BASELINE_S if len(seq) else np.zeros(0, bool)
        draft = cls(seq.t, world, pixels, np.nan, np.nan, np.zeros(len(seq)))
        torso = np.linalg.norm(draft.point("mid_shoulder") - draft.point("mid_hip"), axis=1)
        shoulders = np.linalg.norm(
            draft.point("left_shoulder") - draft.point("right_shoulder"), axis=1
        )
        torso_px = np.linalg.norm(draft.pixel("mid_shoulder") - draft.pixel("mid_hip"), axis=1)
        floor = None if room is None else floor_track(pixels, room.for_size(seq.source_size), base)
        return cls(
            seq.t,
            world,
            pixels,
            _nanmedian(torso[base]),
            _nanmedian(shoulders[base]),
            torso_px,
            floor,
        )

    @property
    def floor_shoulder_m(self) -> float:
        """The shoulder width (SW) in true metres, with the room; NaN without one.

        The torso's length measured on the floor-anchored vertical (``floor_features``) times
        Drillis & Contini's shoulder width to torso ratio, 0.259 H / 0.288 H. Not the pose
        model's own shoulder width: a length across the body carries the model's depth error
        as soon as the body turns from the camera, while the torso stands vertical and is seen
        without depth. It is still the trainee's own scale (a tall trainee's torso is longer),
        and it needs no height to be given.
        """
        if self.floor is None:
            return float("nan")
        return self.floor.torso_m * SW_PER_TORSO

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def point(self, name: str) -> np.ndarray:
        """(T, 3) world position of a landmark or virtual point (mid_hip, mid_shoulder, chin)."""
        if name in _MIDPOINTS:
            a, b = _MIDPOINTS[name]
            return 0.5 * (self.point(a) + self.point(b))
        return self.world[:, index_of(name)]

    def pixel(self, name: str) -> np.ndarray:
        """(T, 2) image position in pixels of a landmark or virtual point."""
        if name in _MIDPOINTS:
            a, b = _MIDPOINTS[name]
            return 0.5 * (self.pixel(a) + self.pixel(b))
        return self.pixels[:, index_of(name)]

    @property
    def dt(self) -> float:
        """Median frame interval in seconds."""
        return float(np.median(np.diff(self.t))) if len(self) > 1 else 1.0 / 30.0

    def frame_at(self, time_s: float) -> int:
        """Index of the first frame at or after ``time_s`` (len if none)."""
        return int(np.searchsorted(self.t, time_s - 1e-9))


def _nanmedian(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.median(finite)) if finite.size else float("nan")


def joint_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(T,) angle a-b-c at b in degrees (180 = straight); NaN where any point is missing."""
    u = a - b
    v = c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


_ANGLE_TRIPLES = {
    "elbow": ("shoulder", "elbow", "wrist"),
    "knee": ("hip", "knee", "ankle"),
    "shoulder": ("hip", "shoulder", "elbow"),
    "hip": ("shoulder", "hip", "knee"),
}
ANGLE_JOINTS = tuple(f"{side}_{j}" for side in ("left", "right") for j in _ANGLE_TRIPLES)


def limb_angle_deg(f: Features, joint: str) -> np.ndarray:
    """(T,) the angle at ``left_elbow``, ``right_knee`` etc. (3D, world landmarks)."""
    side, _, name = joint.partition("_")
    if joint not in ANGLE_JOINTS:
        raise KeyError(f"no angle defined at {joint!r}; valid: {', '.join(ANGLE_JOINTS)}")
    a, b, c = (f"{side}_{n}" for n in _ANGLE_TRIPLES[name])
    return joint_angle_deg(f.point(a), f.point(b), f.point(c))


def _unwrap_deg(angle_rad: np.ndarray) -> np.ndarray:
    out = np.full(angle_rad.shape, np.nan)
    ok = np.isfinite(angle_rad)
    out[ok] = np.degrees(np.unwrap(angle_rad[ok]))
    return out


def facing_yaw_deg(
    f: Features, left: str = "left_shoulder", right: str = "right_shoulder"
) -> np.ndarray:
    """(T,) which way the chest faces, about the vertical, degrees, unwrapped over time.

    0 = squarely facing the camera; + = turned toward the image right (the person's left
    when facing the camera). Mirroring negates it. From the shoulder line by default; pass
    the hips for the pelvis.
    """
    d = f.point(left) - f.point(right)
    return _unwrap_deg(np.arctan2(d[:, 2], d[:, 0]))


def wrap_deg(angle: np.ndarray | float) -> np.ndarray:
    """Angle(s) wrapped into [-180, 180)."""
    return (np.asarray(angle, dtype=np.float64) + 180.0) % 360.0 - 180.0


def body_frame(f: Features, heading: str = "hips") -> np.ndarray:
    """(T, 33, 3) landmarks in the body frame, in torso lengths.

    Origin at the mid-hip; scaled by T; rotated about the vertical (y) so the hip line lies on
    +x (left hip at +x). A rotation only, never a reflection, so a mirrored stance stays
    mirrored. The person's front is -z (as when facing the camera), y is down.
    heading="torso" turns by the mean direction of the hip and shoulder lines instead: about
    half the angular jitter (landmark depth is noisy), for measures that compare the feet.
    """
    d = f.point("left_hip") - f.point("right_hip")
    if heading == "torso":
        hips = d / np.linalg.norm(d, axis=1, keepdims=True)
        s = f.point("left_shoulder") - f.point("right_shoulder")
        d = hips + s / np.linalg.norm(s, axis=1, keepdims=True)
    return _rotated(f, np.arctan2(d[:, 2], d[:, 0])[:, None])


def _rotated(f: Features, theta: np.ndarray) -> np.ndarray:
    """Hip-centred, torso-scaled landmarks turned by -theta (T, 1) about the vertical."""
    p = (f.world - f.point("mid_hip")[:, None, :]) / f.torso_m
    c, s = np.cos(theta), np.sin(theta)
    out = p.copy()
    out[..., 0] = p[..., 0] * c + p[..., 2] * s
    out[..., 2] = -p[..., 0] * s + p[..., 2] * c
    return out


def hip_height_t(f: Features) -> np.ndarray:
    """(T,) height of the mid-hip above the mean ankle height, in torso lengths."""
    ankles = 0.5 * (f.point("left_ankle")[:, 1] + f.point("right_ankle")[:, 1])
    return (ankles - f.point("mid_hip")[:, 1]) / f.torso_m


def nose_shoulder_gap_m(f: Features) -> np.ndarray:
    """(T,) distance from the nose to the line through both shoulders, metres (chin-tuck proxy)."""
    a = f.point("left_shoulder")
    d = f.point("right_shoulder") - a
    w = f.point("nose") - a
    cross = np.cross(w, d)
    return np.linalg.norm(cross, axis=1) / np.linalg.norm(d, axis=1)


def _smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along axis 0 (edges use the available frames).

    A gap of up to ``width`` frames (the model missed a frame or two) is first bridged
    linearly, so it neither blanks the whole window around it nor, averaged lopsidedly,
    bends a moving joint's path into a false speed spike; a window that reaches into a
    longer gap is NaN.
    """
    if width <= 1 or x.shape[0] < width:
        return x
    frames = np.arange(x.shape[0], dtype=np.float64)
    flat = bridge_short_gaps(x, frames, float(width) - 1.0)[0].reshape(x.shape[0], -1)
    pad = width // 2
    padded = np.pad(flat, ((pad, pad), (0, 0)), mode="edge")
    seen = np.isfinite(padded)
    zero = np.zeros((1, flat.shape[1]))
    sums = np.concatenate([zero, np.cumsum(np.where(seen, padded, 0.0), axis=0)])
    counts = np.concatenate([zero, np.cumsum(seen, axis=0)])
    total, count = sums[width:] - sums[:-width], counts[width:] - counts[:-width]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count == width, total / np.maximum(count, 1), np.nan)
    return out.reshape(x.shape)


def smoothing_width(f: Features, seconds: float = 0.1) -> int:
    return max(1, round(seconds / f.dt) | 1)


def speed_t_per_s(f: Features, name: str, smoothing_s: float = 0.1) -> np.ndarray:
    """(T,) speed of a point relative to the hips (world), torso lengths per second."""
    p = _smooth(f.point(name), smoothing_width(f, smoothing_s))
    v = np.gradient(p, f.t, axis=0) if len(f) > 1 else np.zeros_like(p)
    return np.linalg.norm(v, axis=1) / f.torso_m


MOTION_JOINTS = (
    "left_wrist",
    "right_wrist",
    "left_elbow",
    "right_elbow",
    "left_ankle",
    "right_ankle",
    "left_knee",
    "right_knee",
    "left_shoulder",
    "right_shoulder",
    "nose",
)


def motion_speed_t_per_s(f: Features, smoothing_s: float = 0.1) -> np.ndarray:
    """(T,) how fast the body moves, T/s: the larger of the travel speed of the mid-hip in the
    image and the fastest joint relative to the hips (both smoothed over ``smoothing_s``)."""
    joints = np.stack([speed_t_per_s(f, n, smoothing_s) for n in MOTION_JOINTS], axis=1)
    joints = np.where(np.isfinite(joints), joints, -np.inf)
    fastest = np.max(joints, axis=1)
    travel = _smooth(mid_hip_travel_t(f, 0), smoothing_width(f, smoothing_s))
    root = (
        np.linalg.norm(np.gradient(travel, f.t, axis=0), axis=1) if len(f) > 1 else np.zeros(len(f))
    )
    out = np.fmax(fastest, np.nan_to_num(root, nan=-np.inf))
    return np.where(np.isfinite(out), out, np.nan)


def mid_hip_travel_t(f: Features, from_frame: int) -> np.ndarray:
    """(T, 2) image displacement of the mid-hip since ``from_frame``, in torso lengths.

    World landmarks are hip-centred and lose travel, so it comes from the image, scaled by the
    torso length in pixels at the current frame (both shrink alike with distance).
    """
    p = f.pixel("mid_hip")
    return (p - travel_anchor_px(f, p, from_frame)) / f.torso_px[:, None]


TRAVEL_ANCHOR_S = 0.2
"""Where the body was at a frame: the median place over this long up to it. One frame alone
may be a dropout (no person, or a hip below visibility), which would make the whole escape
route unassessable; the trainee is still there (held) in the moments before t0."""


def travel_anchor_px(f: Features, p: np.ndarray, frame: int) -> np.ndarray:
    """(2,) median of the finite rows of ``p`` (T, 2) within TRAVEL_ANCHOR_S up to ``frame``;
    failing that the first finite row after it; NaN if there is none."""
    if len(f) == 0:
        return np.full(2, np.nan)
    frame = min(max(frame, 0), len(f) - 1)
    seen = np.isfinite(p).all(axis=1)
    window = seen & (f.t >= f.t[frame] - TRAVEL_ANCHOR_S - 1e-9) & (f.t <= f.t[frame] + 1e-9)
    if window.any():
        return np.median(p[window], axis=0)
    later = np.nonzero(seen[frame:])[0]
    return p[frame + later[0]] if later.size else np.full(2, np.nan)
