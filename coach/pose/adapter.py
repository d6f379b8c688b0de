"""The MediaPipe adapter: the only module that imports MediaPipe.

It turns MediaPipe's legacy Pose results into plain arrays once, at the boundary: image
landmarks (33, 3), world landmarks (33, 3) in metres and visibility (33,). A frame without a
person becomes NaN rows, never an exception. Moving to the Tasks API later touches this file only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from coach.native_stderr import native_stderr_silenced
from coach.pose.landmarks import NUM_LANDMARKS

MODEL_NAME = "mediapipe-pose-legacy"
MODEL_COMPLEXITY = 1  # the only pose model inside the 0.10.21 wheel; others download at run time


class PoseMode(str, Enum):
    """How the model is run.

    offline: video tracking on, MediaPipe's smoothing off (it assumes 30 fps timestamps);
        our own zero-phase filter runs afterwards on the real timestamps.
    live: video tracking and MediaPipe's smoothing on, for the lowest jitter on screen.
    still: every image on its own (no tracking), for photographs.
    """

    OFFLINE = "offline"
    LIVE = "live"
    STILL = "still"


@dataclass(frozen=True)
class PoseResult:
    """Landmarks of one frame; all NaN when no person was found."""

    image: np.ndarray  # (33, 3) x, y normalised to the frame, z relative depth
    world: np.ndarray  # (33, 3) metres, hip-centred, y down
    visibility: np.ndarray  # (33,) 0..1

    @property
    def found(self) -> bool:
        return bool(np.isfinite(self.visibility).any())


def mediapipe_landmark_names() -> tuple[str, ...]:
    """The landmark names from MediaPipe's own enum, lower case, in index order."""
    from mediapipe.python.solutions.pose import PoseLandmark

    return tuple(landmark.name.lower() for landmark in PoseLandmark)


def mediapipe_version() -> str:
    import mediapipe

    return str(mediapipe.__version__)


def _no_person() -> PoseResult:
    nan3 = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
    return PoseResult(nan3, nan3.copy(), np.full(NUM_LANDMARKS, np.nan, dtype=np.float32))


class PoseEstimator:
    """MediaPipe Pose (legacy solution API, full model) over RGB frames."""

    def __init__(
        self,
        mode: PoseMode = PoseMode.OFFLINE,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        self.mode = PoseMode(mode)
        with native_stderr_silenced():
            from mediapipe.python.solutions.pose import Pose

            self._pose = Pose(
                static_image_mode=self.mode is PoseMode.STILL,
                model_complexity=MODEL_COMPLEXITY,
                smooth_landmarks=self.mode is PoseMode.LIVE,
                enable_segmentation=False,
                min_detection_confidence=min_detection_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )

    def describe(self) -> dict[str, object]:
        """What produced the landmarks, for ``attempt.json``."""
        return {
            "name": MODEL_NAME,
            "mediapipe_version": mediapipe_version(),
            "model_complexity": MODEL_COMPLEXITY,
            "mode": self.mode.value,
        }

    def process(self, rgb: np.ndarray) -> PoseResult:
        """Landmarks of the most prominent person in an (H, W, 3) uint8 RGB frame."""
        results = self._pose.process(rgb)
        if results.pose_landmarks is None:
            return _no_person()
        image = np.array(
            [(p.x, p.y, p.z) for p in results.pose_landmarks.landmark], dtype=np.float32
        )
        visibility = np.array(
            [p.visibility for p in results.pose_landmarks.landmark], dtype=np.float32
        )
        if results.pose_world_landmarks is not None:
            world = np.array(
                [(p.x, p.y, p.z) for p in results.pose_world_landmarks.landmark],
                dtype=np.float32,
            )
        else:
            world = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
        return PoseResult(image=image, world=world, visibility=visibility)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
