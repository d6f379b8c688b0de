"""Where people are in a frame: detections, regions of interest and detector tiles.

Plain geometry around the pose models (no MediaPipe here). The wheel's person detector sees
its input letterboxed to 224x224, so in a wide frame people are a few pixels tall and many are
missed (none of the two people in ultralytics' zidane.jpg is found on the whole frame). It is
therefore also run on square tiles that overlap by half, and the tiles' findings are merged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ROI_SCALE = 1.25
"""The region around a detected person is 1.25 times the detector's body circle, as in
MediaPipe's PoseDetectionToRoi."""


@dataclass(frozen=True)
class Roi:
    """A rotated rectangle, normalised to the frame (MediaPipe's NormalizedRect)."""

    x_center: float
    y_center: float
    width: float
    height: float
    rotation: float
    """radians, the body's up direction turned to the picture's up."""


@dataclass(frozen=True)
class PersonDetection:
    """One person found by the detector, in the coordinates of the image it was run on.

    ``hip_centre`` and ``body_end`` are the detector's first two key points: the middle of the
    hips and a point whose distance from it is the radius of a circle around the whole body.
    """

    score: float
    box: tuple[float, float, float, float]
    """x0, y0, x1, y1 of the detector's (face) box."""
    hip_centre: tuple[float, float]
    body_end: tuple[float, float]

    def in_frame(self, tile: Tile, frame_size: tuple[int, int]) -> PersonDetection:
        """The same detection in whole-frame normalised coordinates."""

        def x(value: float) -> float:
            return (tile.x0 + value * tile.size) / frame_size[0]

        def y(value: float) -> float:
            return (tile.y0 + value * tile.size) / frame_size[1]

        x0, y0, x1, y1 = self.box
        return PersonDetection(
            score=self.score,
            box=(x(x0), y(y0), x(x1), y(y1)),
            hip_centre=(x(self.hip_centre[0]), y(self.hip_centre[1])),
            body_end=(x(self.body_end[0]), y(self.body_end[1])),
        )


@dataclass(frozen=True)
class Tile:
    """A square part of the frame in pixels: columns x0..x0+size, rows y0..y0+size."""

    x0: int
    y0: int
    size: int

    def crop(self, image: np.ndarray) -> np.ndarray:
        return image[self.y0 : self.y0 + self.size, self.x0 : self.x0 + self.size]


def detector_tiles(frame_size: tuple[int, int], zooms: tuple[float, ...] = (1.0,)) -> list[Tile]:
    """Square tiles overlapping by half along each axis, one grid per zoom.

    Zoom 1 tiles have the frame's short side; zoom 0.6 tiles are 0.6 of it (for people far
    away). Tiles cover the whole frame at every zoom.
    """
    width, height = frame_size
    tiles: list[Tile] = []
    for zoom in zooms:
        size = max(1, round(min(width, height) * zoom))
        for y0 in _starts(height, size):
            for x0 in _starts(width, size):
                tiles.append(Tile(x0, y0, size))
    return tiles


def _starts(length: int, size: int) -> list[int]:
    if size >= length:
        return [0]
    count = math.ceil((length - size) / (size / 2)) + 1
    return [round(v) for v in np.linspace(0, length - size, count)]


def roi_from_detection(detection: PersonDetection, frame_size: tuple[int, int]) -> Roi:
    """The region the landmark model should look at for one detection (frame coordinates).

    MediaPipe's PoseDetectionToRoi: centred on the hips, a square of twice the body radius
    scaled by 1.25, turned so that the hips-to-body-end direction points up.
    """
    width, height = frame_size
    hx, hy = detection.hip_centre[0] * width, detection.hip_centre[1] * height
    ex, ey = detection.body_end[0] * width, detection.body_end[1] * height
    side = 2.0 * math.hypot(ex - hx, ey - hy) * ROI_SCALE
    rotation = _normalised_angle(math.pi / 2 - math.atan2(-(ey - hy), ex - hx))
    return Roi(hx / width, hy / height, side / width, side / height, rotation)


def _normalised_angle(angle: float) -> float:
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def box_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two x0, y0, x1, y1 boxes (0 when either is empty)."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def merge_detections(
    detections: list[PersonDetection], min_iou: float = 0.3
) -> list[PersonDetection]:
    """One detection per person from overlapping tiles: the best-scoring of each group."""
    kept: list[PersonDetection] = []
    for detection in sorted(detections, key=lambda d: -d.score):
        if all(box_iou(detection.box, other.box) < min_iou for other in kept):
            kept.append(detection)
    return kept
