"""The MediaPipe adapter: the only module that imports MediaPipe.

It turns MediaPipe's legacy Pose results into plain arrays once, at the boundary: image
landmarks (33, 3), world landmarks (33, 3) in metres and visibility (33,). A frame without a
person becomes NaN rows, never an exception. Moving to the Tasks API later touches this file only.

``PersonModel`` runs the same two models of the wheel as separate MediaPipe graphs, so that
every person can be found (``detect``, on a part of the frame) and followed (``landmarks`` in a
region of interest); the tracking that uses it lives in ``coach.pose.people``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from coach.native_stderr import native_stderr_silenced
from coach.pose.landmarks import NUM_LANDMARKS
from coach.pose.regions import PersonDetection, Roi

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
    others: tuple[PoseResult, ...] = ()
    """the other people in the frame (the partner first), when every person is followed"""

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


def segment_person(rgb: np.ndarray) -> np.ndarray:
    """(H, W) 0..1: the most prominent person's silhouette in an RGB photo.

    The legacy solution's segmentation output (the full model carries it). Used to cut real
    people out of photos and compose test scenes of people crossing and overlapping.
    """
    with native_stderr_silenced():
        from mediapipe.python.solutions.pose import Pose

        with Pose(
            static_image_mode=True, model_complexity=MODEL_COMPLEXITY, enable_segmentation=True
        ) as pose:
            results = pose.process(rgb)
    mask = results.segmentation_mask
    if mask is None:
        return np.zeros(rgb.shape[:2], dtype=np.float32)
    return np.asarray(mask, dtype=np.float32)


def _no_person() -> PoseResult:
    nan3 = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
    return PoseResult(nan3, nan3.copy(), np.full(NUM_LANDMARKS, np.nan, dtype=np.float32))


def _to_result(landmarks: object, world_landmarks: object | None) -> PoseResult:
    """MediaPipe landmark lists -> arrays (world NaN when the model gave none)."""
    points = landmarks.landmark  # type: ignore[attr-defined]
    image = np.array([(p.x, p.y, p.z) for p in points], dtype=np.float32)
    visibility = np.array([p.visibility for p in points], dtype=np.float32)
    if world_landmarks is not None:
        world = np.array(
            [(p.x, p.y, p.z) for p in world_landmarks.landmark],  # type: ignore[attr-defined]
            dtype=np.float32,
        )
    else:
        world = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
    return PoseResult(image=image, world=world, visibility=visibility)


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
        return _to_result(results.pose_landmarks, results.pose_world_landmarks)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# The person detector of the wheel, wired as MediaPipe's own PoseDetectionCpu graph does it
# (224x224 letterboxed input scaled to -1..1, 2254 SSD anchors, weighted non-maximum
# suppression), with the score threshold left to the caller: a person at the edge of a tile
# often scores 0.3-0.5 and is confirmed or refused by the landmark model afterwards.
_DETECTOR_GRAPH = """
input_stream: "IMAGE:image"
output_stream: "DETECTIONS:detections"
node { calculator: "ImageToTensorCalculator" input_stream: "IMAGE:image"
  output_stream: "TENSORS:input_tensors" output_stream: "LETTERBOX_PADDING:letterbox_padding"
  options { [mediapipe.ImageToTensorCalculatorOptions.ext] { output_tensor_width: 224
    output_tensor_height: 224 keep_aspect_ratio: true
    output_tensor_float_range { min: -1.0 max: 1.0 } border_mode: BORDER_ZERO } } }
node { calculator: "InferenceCalculator" input_stream: "TENSORS:input_tensors"
  output_stream: "TENSORS:detection_tensors"
  options { [mediapipe.InferenceCalculatorOptions.ext] {
    model_path: "mediapipe/modules/pose_detection/pose_detection.tflite"
    delegate { xnnpack {} } } } }
node { calculator: "SsdAnchorsCalculator" output_side_packet: "anchors"
  options { [mediapipe.SsdAnchorsCalculatorOptions.ext] { num_layers: 5
    min_scale: 0.1484375 max_scale: 0.75 input_size_height: 224 input_size_width: 224
    anchor_offset_x: 0.5 anchor_offset_y: 0.5 strides: 8 strides: 16 strides: 32 strides: 32
    strides: 32 aspect_ratios: 1.0 fixed_anchor_size: true } } }
node { calculator: "TensorsToDetectionsCalculator" input_stream: "TENSORS:detection_tensors"
  input_side_packet: "ANCHORS:anchors" output_stream: "DETECTIONS:unfiltered_detections"
  options { [mediapipe.TensorsToDetectionsCalculatorOptions.ext] { num_classes: 1
    num_boxes: 2254 num_coords: 12 box_coord_offset: 0 keypoint_coord_offset: 4
    num_keypoints: 4 num_values_per_keypoint: 2 sigmoid_score: true
    score_clipping_thresh: 100.0 reverse_output_order: true x_scale: 224.0 y_scale: 224.0
    h_scale: 224.0 w_scale: 224.0 min_score_thresh: %(min_score)s } } }
node { calculator: "NonMaxSuppressionCalculator" input_stream: "unfiltered_detections"
  output_stream: "filtered_detections"
  options { [mediapipe.NonMaxSuppressionCalculatorOptions.ext] {
    min_suppression_threshold: 0.3 overlap_type: INTERSECTION_OVER_UNION
    algorithm: WEIGHTED } } }
node { calculator: "DetectionLetterboxRemovalCalculator"
  input_stream: "DETECTIONS:filtered_detections"
  input_stream: "LETTERBOX_PADDING:letterbox_padding" output_stream: "DETECTIONS:detections" }
"""

# One person's landmarks in a given region of interest, chained exactly as the legacy solution
# does it, minus its single-person detector gate: PoseLandmarkByRoiCpu (crop, rotate, run,
# project back; no landmarks when the model says no person is there), PoseLandmarkFiltering
# (which always smooths the auxiliary landmarks that place the next region, and the others
# only when asked) and PoseLandmarksToRoi (the next frame's region).
_LANDMARK_GRAPH = """
input_stream: "IMAGE:image"
input_stream: "ROI:roi"
input_side_packet: "MODEL_COMPLEXITY:model_complexity"
input_side_packet: "ENABLE_SEGMENTATION:enable_segmentation"
input_side_packet: "SMOOTH_LANDMARKS:smooth_landmarks"
output_stream: "LANDMARKS:landmarks"
output_stream: "WORLD_LANDMARKS:world_landmarks"
output_stream: "NEXT_ROI:next_roi"
node { calculator: "ImagePropertiesCalculator" input_stream: "IMAGE_CPU:image"
  output_stream: "SIZE:image_size" }
node { calculator: "PoseLandmarkByRoiCpu" input_stream: "IMAGE:image" input_stream: "ROI:roi"
  output_stream: "LANDMARKS:raw_landmarks" output_stream: "AUXILIARY_LANDMARKS:raw_auxiliary"
  output_stream: "WORLD_LANDMARKS:raw_world_landmarks" output_stream: "SEGMENTATION_MASK:mask"
  input_side_packet: "MODEL_COMPLEXITY:model_complexity"
  input_side_packet: "ENABLE_SEGMENTATION:enable_segmentation" }
node { calculator: "PoseLandmarkFiltering" input_stream: "IMAGE_SIZE:image_size"
  input_stream: "NORM_LANDMARKS:raw_landmarks" input_stream: "AUX_NORM_LANDMARKS:raw_auxiliary"
  input_stream: "WORLD_LANDMARKS:raw_world_landmarks"
  output_stream: "FILTERED_NORM_LANDMARKS:landmarks"
  output_stream: "FILTERED_AUX_NORM_LANDMARKS:auxiliary"
  output_stream: "FILTERED_WORLD_LANDMARKS:world_landmarks"
  input_side_packet: "ENABLE:smooth_landmarks" }
node { calculator: "PoseLandmarksToRoi" input_stream: "LANDMARKS:auxiliary"
  input_stream: "IMAGE_SIZE:image_size" output_stream: "ROI:next_roi" }
"""


@dataclass(frozen=True)
class LandmarksInRoi:
    """The landmark model's answer for one region: a person (or none) and where to look next."""

    result: PoseResult
    next_roi: Roi | None


def _graph_config(text: str) -> object:
    from google.protobuf import text_format
    from mediapipe.framework import calculator_pb2

    return text_format.Parse(text, calculator_pb2.CalculatorGraphConfig())


class PersonFollower:
    """The landmark model for one person over time (its own graph: the smoothing has state)."""

    def __init__(self, smooth: bool = False) -> None:
        with native_stderr_silenced():
            from mediapipe.python.solution_base import SolutionBase

            self._graph = SolutionBase(
                graph_config=_graph_config(_LANDMARK_GRAPH),
                side_inputs={
                    "model_complexity": MODEL_COMPLEXITY,
                    "enable_segmentation": False,
                    "smooth_landmarks": smooth,
                },
            )

    def landmarks(self, rgb: np.ndarray, roi: Roi) -> LandmarksInRoi:
        """Landmarks of the person in ``roi`` of an RGB frame (NaN when the model sees none)."""
        from mediapipe.framework.formats import rect_pb2

        rect = rect_pb2.NormalizedRect(
            x_center=roi.x_center,
            y_center=roi.y_center,
            width=roi.width,
            height=roi.height,
            rotation=roi.rotation,
        )
        out = self._graph.process({"image": np.ascontiguousarray(rgb), "roi": rect})
        landmarks = out.landmarks
        if landmarks is None:
            return LandmarksInRoi(_no_person(), None)
        result = _to_result(landmarks, out.world_landmarks)
        nxt = out.next_roi
        next_roi = (
            None
            if nxt is None
            else Roi(nxt.x_center, nxt.y_center, nxt.width, nxt.height, nxt.rotation)
        )
        return LandmarksInRoi(result, next_roi)

    def reset(self) -> None:
        """Forget the smoothing state (a new person, or the same one after a gap)."""
        self._graph.reset()

    def close(self) -> None:
        self._graph.close()


class PersonModel:
    """The wheel's person detector as a graph, and landmark followers, for several people.

    ``detect`` finds people in an RGB image (a whole frame or a tile of it); ``follower``
    makes a landmark model for one person (MediaPipe graphs are not shared between people
    because the landmark smoothing keeps state).
    """

    def __init__(self, min_detection_score: float = 0.3, smooth: bool = False) -> None:
        self.smooth = smooth
        with native_stderr_silenced():
            from mediapipe.python.solution_base import SolutionBase

            self._detector = SolutionBase(
                graph_config=_graph_config(
                    _DETECTOR_GRAPH % {"min_score": float(min_detection_score)}
                )
            )

    def describe(self) -> dict[str, object]:
        return {
            "name": MODEL_NAME,
            "mediapipe_version": mediapipe_version(),
            "model_complexity": MODEL_COMPLEXITY,
            "people": "detector on tiles, landmarks per person",
        }

    def detect(self, rgb: np.ndarray) -> list[PersonDetection]:
        """People in an (H, W, 3) uint8 RGB image; coordinates normalised to that image."""
        out = self._detector.process({"image": np.ascontiguousarray(rgb)})
        found: list[PersonDetection] = []
        for detection in out.detections or []:
            box = detection.location_data.relative_bounding_box
            keypoints = detection.location_data.relative_keypoints
            found.append(
                PersonDetection(
                    score=float(detection.score[0]),
                    box=(box.xmin, box.ymin, box.xmin + box.width, box.ymin + box.height),
                    hip_centre=(keypoints[0].x, keypoints[0].y),
                    body_end=(keypoints[1].x, keypoints[1].y),
                )
            )
        return found

    def follower(self) -> PersonFollower:
        return PersonFollower(self.smooth)

    def close(self) -> None:
        self._detector.close()

    def __enter__(self) -> PersonModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
