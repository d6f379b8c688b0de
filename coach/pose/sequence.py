"""``PoseSequence``: the body landmarks of one attempt as typed, shape-checked arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.pose.landmarks import LANDMARK_NAMES, MIRROR_PERMUTATION, NUM_LANDMARKS, index_of


@dataclass(frozen=True, eq=False)
class PoseSequence:
    """Landmarks of one person over time; a frame without a person is a NaN row.

    Attributes:
        t: (T,) seconds from the source (container timestamps or camera clock), strictly
            increasing. Never assumed from a nominal frame rate.
        image: (T, 33, 3) MediaPipe image landmarks: x and y normalised to the source width
            and height (0..1 inside the frame, y down), z relative depth on the x scale.
        visibility: (T, 33) MediaPipe visibility in 0..1; NaN where no person was found.
        world: (T, 33, 3) metres, origin between the hips, y down (MediaPipe's convention).
        source_size: (width, height) of the source frames in pixels, after any rotation.
        fps: the source's nominal frame rate, for information only (use ``t`` for time).
        joint_names: the landmark names, in column order.
    """

    t: np.ndarray
    image: np.ndarray
    visibility: np.ndarray
    world: np.ndarray
    source_size: tuple[int, int]
    fps: float
    joint_names: tuple[str, ...] = field(default=LANDMARK_NAMES)

    def __post_init__(self) -> None:
        t = np.asarray(self.t, dtype=np.float64)
        n = t.shape[0] if t.ndim == 1 else -1
        _check_shape("t", t, (n,))
        j = len(self.joint_names)
        if tuple(self.joint_names) != LANDMARK_NAMES:
            raise ValueError(f"joint_names: expected the {NUM_LANDMARKS} MediaPipe names in order")
        image = _as_float("image", self.image, (n, j, 3))
        visibility = _as_float("visibility", self.visibility, (n, j))
        world = _as_float("world", self.world, (n, j, 3))
        if n > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("t: timestamps must be strictly increasing")
        if len(self.source_size) != 2 or min(self.source_size) <= 0:
            raise ValueError(f"source_size: expected (width, height) > 0, got {self.source_size}")
        for name, value in (
            ("t", t),
            ("image", image),
            ("visibility", visibility),
            ("world", world),
        ):
            value.setflags(write=False)
            object.__setattr__(self, name, value)
        object.__setattr__(
            self, "source_size", (int(self.source_size[0]), int(self.source_size[1]))
        )
        object.__setattr__(self, "fps", float(self.fps))
        object.__setattr__(self, "joint_names", tuple(self.joint_names))

    @classmethod
    def empty(
        cls, n_frames: int, t: np.ndarray, source_size: tuple[int, int], fps: float
    ) -> PoseSequence:
        """A sequence of ``n_frames`` NaN rows (no person anywhere) at the given times."""
        nan3 = np.full((n_frames, NUM_LANDMARKS, 3), np.nan)
        return cls(
            t, nan3, np.full((n_frames, NUM_LANDMARKS), np.nan), nan3.copy(), source_size, fps
        )

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @property
    def detected(self) -> np.ndarray:
        """(T,) bool: frames where a person was found."""
        return ~np.isnan(self.visibility).all(axis=1)

    @property
    def detected_fraction(self) -> float:
        """Share of frames with a person, 0..1 (0 for an empty sequence)."""
        return float(self.detected.mean()) if len(self) else 0.0

    @property
    def duration_s(self) -> float:
        return float(self.t[-1] - self.t[0]) if len(self) > 1 else 0.0

    def image_joint(self, name: str) -> np.ndarray:
        """(T, 3) image coordinates of one landmark by name."""
        return self.image[:, index_of(name)]

    def world_joint(self, name: str) -> np.ndarray:
        """(T, 3) world coordinates (metres) of one landmark by name."""
        return self.world[:, index_of(name)]

    def image_pixels(self) -> np.ndarray:
        """(T, 33, 2) image x, y in pixels of the source frame."""
        w, h = self.source_size
        return self.image[..., :2] * np.array([w, h], dtype=np.float64)

    def slice(self, start: int, stop: int) -> PoseSequence:
        """Frames ``start:stop`` as a new sequence (times kept, not re-based)."""
        return self.replace(
            t=self.t[start:stop],
            image=self.image[start:stop],
            visibility=self.visibility[start:stop],
            world=self.world[start:stop],
        )

    def replace(self, **changes: object) -> PoseSequence:
        """A copy with some fields replaced (shapes are checked again)."""
        fields = {
            "t": self.t,
            "image": self.image,
            "visibility": self.visibility,
            "world": self.world,
            "source_size": self.source_size,
            "fps": self.fps,
        }
        fields.update(changes)
        return PoseSequence(**fields)  # type: ignore[arg-type]

    def mirrored(self) -> PoseSequence:
        """The same movement done by the other side: x reflected, left and right swapped."""
        perm = list(MIRROR_PERMUTATION)
        image = self.image[:, perm].copy()
        image[..., 0] = 1.0 - image[..., 0]
        world = self.world[:, perm].copy()
        world[..., 0] = -world[..., 0]
        return self.replace(image=image, world=world, visibility=self.visibility[:, perm])


def _check_shape(name: str, array: np.ndarray, expected: tuple[int, ...]) -> None:
    shape_ok = array.ndim == len(expected) and all(
        e < 0 or a == e for a, e in zip(array.shape, expected, strict=True)
    )
    if not shape_ok:
        want = "(" + ", ".join("T" if e < 0 else str(e) for e in expected) + ")"
        raise ValueError(f"{name}: expected shape {want}, got {tuple(array.shape)}")


def _as_float(name: str, value: np.ndarray, expected: tuple[int, ...]) -> np.ndarray:
    array = np.array(value, dtype=np.float64, copy=True)
    _check_shape(name, array, expected)
    return array
