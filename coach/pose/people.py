"""Every person in the frame, followed over time with a stable identity per person.

Each person has a track. Between detections a track follows its person the way MediaPipe's
own single-person pipeline does: the landmark model runs in a region predicted from the
previous frame's landmarks. The detector runs on the whole frame and on tiles every few
frames (and whenever a track is lost) to find people who came in; its findings are matched
to tracks by position and size (Hungarian assignment, scipy), and checked by the landmark
model before a new track starts. Two tracks that end up on one body (people overlapping: a
region slides from one person onto the other) are caught by comparing their landmarks; the
track whose person moved least like itself gives way. A track that comes back after being
lost, or whose body proportions change, reports it as an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from coach.pose.adapter import PersonFollower, PersonModel, PoseResult
from coach.pose.landmarks import index_of
from coach.pose.regions import (
    PersonDetection,
    Roi,
    box_iou,
    detector_tiles,
    merge_detections,
    roi_from_detection,
)

VISIBLE = 0.5
DUPLICATE_DISTANCE_TORSOS = 0.3
"""Two poses whose visible joints are on average closer than this (in torso lengths) are one
person seen twice."""
RETRY_FRAMES = 3
"""After a track is lost the detector runs on every frame for this many frames, then only on
its schedule."""
SAME_BOX_IOU = 0.6
"""Two poses whose landmark boxes overlap this much, with hips within half a torso, are one
person (a second fit of the same body, e.g. with the arms on other limbs)."""
MATCH_DISTANCE_TORSOS = 1.0
BACK_REACH_TORSOS = 3.0
BACK_SPEED_TORSOS_PER_FRAME = 0.2
"""A lost person found again may have moved 3 torso lengths plus 0.2 a frame gone (6 a second
at 30 fps: running)."""
BACK_MAX_BONE_CHANGE = 0.3
"""A detection whose hips are within this many torso lengths of a tracked person's hips is
that person (when the sizes also agree)."""

_BONES = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_elbow"),
    ("right_shoulder", "right_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"),
    ("right_hip", "right_knee"),
)


@dataclass(frozen=True)
class TrackedPerson:
    """One person in one frame: the track's id and the landmarks."""

    track_id: int
    result: PoseResult


@dataclass(frozen=True)
class TrackEvent:
    """Something that happened to a track: ``new``, ``lost``, ``back``, ``merged`` (it was on
    the same body as another track and was dropped) or ``person_changed``."""

    frame: int
    track_id: int
    kind: str
    detail: str = ""


@dataclass
class _Track:
    track_id: int
    result: PoseResult
    roi: Roi | None
    last_seen: int
    follower: PersonFollower
    bones: list[np.ndarray] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.roi is not None


def hip_centre(result: PoseResult) -> np.ndarray:
    """(2,) normalised image x, y of the middle of the hips."""
    return np.asarray(
        (result.image[index_of("left_hip"), :2] + result.image[index_of("right_hip"), :2]) / 2
    )


def torso_length(result: PoseResult, frame_size: tuple[int, int]) -> float:
    """Mid-shoulder to mid-hip in pixels."""
    scale = np.asarray(frame_size, dtype=np.float64)
    shoulders = (
        result.image[index_of("left_shoulder"), :2] + result.image[index_of("right_shoulder"), :2]
    ) / 2
    return float(np.linalg.norm((shoulders - hip_centre(result)) * scale))


def landmark_box(result: PoseResult) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 (normalised) around the visible landmarks (all when none is visible)."""
    seen = result.visibility > VISIBLE
    points = result.image[seen if seen.sum() >= 4 else np.isfinite(result.visibility), :2]
    return (
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    )


def same_body(a: PoseResult, b: PoseResult, frame_size: tuple[int, int]) -> bool:
    """Two poses that are one person: joints nearly the same, or hips and box the same."""
    if pose_distance(a, b, frame_size) < DUPLICATE_DISTANCE_TORSOS:
        return True
    scale = np.asarray(frame_size, dtype=np.float64)
    torso = max(torso_length(a, frame_size), torso_length(b, frame_size), 1.0)
    hips_gap = float(np.linalg.norm((hip_centre(a) - hip_centre(b)) * scale)) / torso
    return hips_gap < 0.5 and box_iou(landmark_box(a), landmark_box(b)) > SAME_BOX_IOU


def pose_distance(a: PoseResult, b: PoseResult, frame_size: tuple[int, int]) -> float:
    """Mean pixel distance of the joints visible in both, in the larger torso length."""
    both = (a.visibility > VISIBLE) & (b.visibility > VISIBLE)
    if both.sum() < 4:
        both = np.isfinite(a.visibility) & np.isfinite(b.visibility)
    if not both.any():
        return float("inf")
    scale = np.asarray(frame_size, dtype=np.float64)
    gaps = np.linalg.norm((a.image[both, :2] - b.image[both, :2]) * scale, axis=1)
    torso = max(torso_length(a, frame_size), torso_length(b, frame_size), 1.0)
    return float(gaps.mean() / torso)


def bone_lengths(result: PoseResult) -> np.ndarray:
    """(8,) lengths in metres of bones that do not change with the pose (world landmarks)."""
    return np.array(
        [np.linalg.norm(result.world[index_of(a)] - result.world[index_of(b)]) for a, b in _BONES]
    )


class PeopleTracker:
    """Finds and follows every person; ``process`` is called once per frame, in order."""

    def __init__(
        self,
        model: PersonModel,
        detect_every: int = 30,
        zooms: tuple[float, ...] = (1.0,),
        min_score: float = 0.5,
        max_people: int = 4,
        forget_after: int = 90,
        change_ratio: float = 0.25,
    ) -> None:
        self.model = model
        self.detect_every = detect_every
        self.zooms = zooms
        self.min_score = min_score
        self.max_people = max_people
        self.forget_after = forget_after
        self.change_ratio = change_ratio
        self.events: list[TrackEvent] = []
        self._tracks: list[_Track] = []
        self._spares: list[PersonFollower] = []
        self._next_id = 0
        self._frame = -1

    def process(self, rgb: np.ndarray) -> list[TrackedPerson]:
        """The people in this RGB frame, each with its track id (sorted by id)."""
        self._frame += 1
        frame_size = (rgb.shape[1], rgb.shape[0])
        for track in self._tracks:
            if track.roi is not None:
                self._follow(track, rgb)
        self._drop_duplicates(frame_size)
        recently_lost = any(
            not t.active and self._frame - t.last_seen <= RETRY_FRAMES for t in self._tracks
        )
        if (
            self._frame % self.detect_every == 0
            or recently_lost
            or not any(t.active for t in self._tracks)
        ):
            self._find_people(rgb, frame_size)
        for track in self._tracks:
            if self._frame - track.last_seen > self.forget_after:
                self._release(track.follower)
        self._tracks = [t for t in self._tracks if self._frame - t.last_seen <= self.forget_after]
        return [
            TrackedPerson(t.track_id, t.result)
            for t in sorted(self._tracks, key=lambda t: t.track_id)
            if t.active and t.last_seen == self._frame
        ]

    def _follow(self, track: _Track, rgb: np.ndarray) -> None:
        assert track.roi is not None
        found = track.follower.landmarks(rgb, track.roi)
        if found.result.found and found.next_roi is not None:
            self._update(track, found.result, found.next_roi)
        else:
            track.roi = None
            self.events.append(TrackEvent(self._frame, track.track_id, "lost"))

    def _update(self, track: _Track, result: PoseResult, next_roi: Roi) -> None:
        track.result = result
        track.roi = next_roi
        track.last_seen = self._frame
        bones = bone_lengths(result)
        if np.isfinite(bones).all():
            track.bones = [*track.bones[-29:], bones]
        self._check_person(track)

    def _check_person(self, track: _Track) -> None:
        """Report a change of person: the last 5 frames' bones against the 25 before."""
        if len(track.bones) < 30:
            return
        before = np.median(np.stack(track.bones[:25]), axis=0)
        now = np.median(np.stack(track.bones[25:]), axis=0)
        change = float(np.median(np.abs(now - before) / np.maximum(before, 1e-6)))
        if change > self.change_ratio:
            self.events.append(
                TrackEvent(
                    self._frame,
                    track.track_id,
                    "person_changed",
                    f"body proportions changed by {100 * change:.0f} %",
                )
            )
            track.bones = track.bones[25:]

    def _drop_duplicates(self, frame_size: tuple[int, int]) -> None:
        """Two tracks on one body: keep the one that moved least from its own last pose."""
        current = [t for t in self._tracks if t.active and t.last_seen == self._frame]
        for i, a in enumerate(current):
            for b in current[i + 1 :]:
                if not (a.active and b.active):
                    continue
                if same_body(a.result, b.result, frame_size):
                    loser = b if len(b.bones) < len(a.bones) else a
                    loser.roi = None
                    loser.last_seen = self._frame - 1
                    keeper = a if loser is b else b
                    self.events.append(
                        TrackEvent(
                            self._frame, loser.track_id, "merged", f"onto track {keeper.track_id}"
                        )
                    )

    def _find_people(self, rgb: np.ndarray, frame_size: tuple[int, int]) -> None:
        detections = self.detect(rgb)
        active = [t for t in self._tracks if t.active and t.last_seen == self._frame]
        fresh = [d for d in detections if not any(_same_person(d, t, frame_size) for t in active)]
        people: list[tuple[PoseResult, Roi, PersonFollower]] = []
        for detection in fresh:
            follower = self._spares.pop() if self._spares else self.model.follower()
            found = follower.landmarks(rgb, roi_from_detection(detection, frame_size))
            known = [t.result for t in active] + [p for p, _, _ in people]
            if (
                not found.result.found
                or found.next_roi is None
                or any(same_body(found.result, k, frame_size) for k in known)
            ):
                self._release(follower)
                continue
            people.append((found.result, found.next_roi, follower))
        self._assign(people, frame_size)

    def detect(self, rgb: np.ndarray) -> list[PersonDetection]:
        """Detections on the frame's tiles, merged, in frame coordinates.

        Zoom-1 tiles have the frame's short side, so a square frame is one tile; the whole
        of a wide frame letterboxed would add nothing a tile does not see larger."""
        frame_size = (rgb.shape[1], rgb.shape[0])
        found: list[PersonDetection] = []
        for tile in detector_tiles(frame_size, self.zooms):
            found += [
                d.in_frame(tile, frame_size)
                for d in self.model.detect(tile.crop(rgb))
                if d.score >= self.min_score
            ]
        return merge_detections(found)

    def _release(self, follower: PersonFollower) -> None:
        follower.reset()
        self._spares.append(follower)

    def close(self) -> None:
        """Close every landmark graph."""
        for follower in [t.follower for t in self._tracks] + self._spares:
            follower.close()
        self._tracks, self._spares = [], []

    def _assign(
        self, people: list[tuple[PoseResult, Roi, PersonFollower]], frame_size: tuple[int, int]
    ) -> None:
        """New people: back onto lost tracks they fit (Hungarian on hip distance), else new."""
        lost = [t for t in self._tracks if not t.active]
        matched: set[int] = set()
        if people and lost:
            cost = np.array(
                [
                    [_track_cost(p, t, frame_size, self._frame - t.last_seen) for t in lost]
                    for p, _, _ in people
                ]
            )
            rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e6))
            for row, col in zip(rows, cols, strict=True):
                if np.isfinite(cost[row, col]):
                    track = lost[col]
                    result, roi, follower = people[row]
                    self._release(track.follower)
                    track.follower = follower
                    self._update(track, result, roi)
                    self.events.append(TrackEvent(self._frame, track.track_id, "back"))
                    matched.add(row)
        for index, (result, roi, follower) in enumerate(people):
            if index in matched:
                continue
            if sum(t.active for t in self._tracks) >= self.max_people:
                self._release(follower)
                continue
            track = _Track(self._next_id, result, None, self._frame, follower)
            self._next_id += 1
            self._tracks.append(track)
            self._update(track, result, roi)
            self.events.append(TrackEvent(self._frame, track.track_id, "new"))


def _same_person(detection: PersonDetection, track: _Track, frame_size: tuple[int, int]) -> bool:
    """A detection whose hips are near a tracked person's, at about the same size."""
    scale = np.asarray(frame_size, dtype=np.float64)
    torso = max(torso_length(track.result, frame_size), 1.0)
    gap = np.linalg.norm((np.asarray(detection.hip_centre) - hip_centre(track.result)) * scale)
    radius = np.linalg.norm(
        (np.asarray(detection.body_end) - np.asarray(detection.hip_centre)) * scale
    )
    return bool(gap < MATCH_DISTANCE_TORSOS * torso and 0.5 < radius / (2.5 * torso) < 2.0)


def _track_cost(
    result: PoseResult, track: _Track, frame_size: tuple[int, int], frames_gone: int
) -> float:
    """Hip distance in torso lengths between a new person and a lost track (inf: not them).

    The person may have moved ``BACK_REACH_TORSOS`` plus ``BACK_SPEED_TORSOS_PER_FRAME`` per
    frame gone, and must have about the same bone lengths (``change_ratio``)."""
    scale = np.asarray(frame_size, dtype=np.float64)
    torso = max(torso_length(track.result, frame_size), 1.0)
    gap = float(np.linalg.norm((hip_centre(result) - hip_centre(track.result)) * scale) / torso)
    reach = BACK_REACH_TORSOS + BACK_SPEED_TORSOS_PER_FRAME * frames_gone
    if gap > reach:
        return float("inf")
    bones = bone_lengths(result)
    if track.bones and np.isfinite(bones).all():
        known = np.median(np.stack(track.bones), axis=0)
        change = float(np.median(np.abs(bones - known) / np.maximum(known, 1e-6)))
        if change > BACK_MAX_BONE_CHANGE:
            return float("inf")
    return gap
