"""Every person in the frame, followed over time with a stable identity per person.

Each person has a track. Between detections a track follows its person the way MediaPipe's
own single-person pipeline does: the landmark model runs in a region predicted from the
previous frame's landmarks. The detector runs on tiles of the frame every ``detect_every``
frames (and just after a track is lost) to find people who came in; its findings are matched
to tracks by position and size, checked by the landmark model before a new track starts, and
given back to lost tracks by Hungarian assignment (scipy) on position, time gone and bone
lengths. Two tracks that stay on one body (a region slid from one person onto the other) are
caught by comparing their landmarks; the track whose hips jumped gives way. A change of body
proportions on a track is reported as an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from coach.pose.adapter import PersonFollower, PersonModel, PoseResult
from coach.pose.body_geometry import (
    VISIBLE,
    bone_lengths,
    hip_centre,
    hip_jump,
    same_body,
    torso_length,
)
from coach.pose.landmarks import index_of
from coach.pose.regions import (
    PersonDetection,
    Roi,
    detector_tiles,
    merge_detections,
    roi_from_detection,
)

MERGE_FRAMES = 3
"""Frames two tracks must stay on one body before one is dropped."""
RETRY_FRAMES = 3
"""After a track is lost the detector runs on every frame for this many frames, ..."""
SEARCH_EVERY = 5
"""... then every 5 frames until the person is back or forgotten."""
MATCH_DISTANCE_TORSOS = 1.0
"""A detection whose hips are within this many torso lengths of a tracked person's hips is
that person (when the sizes also agree)."""
BACK_REACH_TORSOS = 3.0
BACK_SPEED_TORSOS_PER_FRAME = 0.2
"""A lost person found again may have moved 3 torso lengths plus 0.2 a frame gone (6 a second
at 30 fps: running)."""
BACK_MAX_BONE_CHANGE = 0.45
"""... and their bone lengths may differ from the track's by this share at most (the same person
landing from a jump measured 0.31: world bone lengths vary with the pose)."""


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
    jump: float = 0.0
    """how far the hips moved at the last update, in torso lengths per frame"""

    @property
    def active(self) -> bool:
        return self.roi is not None


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
        change_ratio: float = 0.35,
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
        self._overlaps: dict[tuple[int, int], int] = {}
        self._frame_size = (1, 1)
        self._next_id = 0
        self._frame = -1

    def process(self, rgb: np.ndarray) -> list[TrackedPerson]:
        """The people in this RGB frame, each with its track id (sorted by id)."""
        self._frame += 1
        frame_size = self._frame_size = (rgb.shape[1], rgb.shape[0])
        for track in self._tracks:
            if track.roi is not None:
                self._follow(track, rgb)
        self._drop_duplicates(frame_size)
        if self._detection_due():
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

    def _detection_due(self) -> bool:
        """On schedule; on every frame just after a loss, then every ``SEARCH_EVERY`` frames
        while a lost person may come back (someone hidden behind the other); always when
        nobody is followed."""
        gone = [self._frame - t.last_seen for t in self._tracks if not t.active]
        return (
            self._frame % self.detect_every == 0
            or not any(t.active for t in self._tracks)
            or any(g <= RETRY_FRAMES for g in gone)
            or (bool(gone) and self._frame % SEARCH_EVERY == 0)
        )

    def _follow(self, track: _Track, rgb: np.ndarray) -> None:
        assert track.roi is not None
        found = track.follower.landmarks(rgb, track.roi)
        if found.result.found and found.next_roi is not None:
            self._update(track, found.result, found.next_roi)
        else:
            track.roi = None
            self.events.append(TrackEvent(self._frame, track.track_id, "lost"))

    def _update(self, track: _Track, result: PoseResult, next_roi: Roi) -> None:
        track.jump = hip_jump(track.result, result, self._frame - track.last_seen, self._frame_size)
        track.result = result
        track.roi = next_roi
        track.last_seen = self._frame
        bones = bone_lengths(result)
        if np.isfinite(bones).all():
            track.bones = [*track.bones[-29:], bones]
        self._check_person(track)

    def _check_person(self, track: _Track) -> None:
        """Report a change of person: the last 5 frames' bones against the 25 before.

        Weak evidence: world bone lengths vary with the pose (a person landing from a jump on
        the demo clip changed by 26 %), hence the 35 % default; two people of one build are
        not told apart this way."""
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
        """Two tracks on one body for ``MERGE_FRAMES`` frames: keep the one that moved least.

        A region that slid onto the other person's body jumped there; the track that stayed
        with its own person moved as a body moves. Two people only overlapping for a moment
        (one passing behind the other) are left alone.
        """
        current = [t for t in self._tracks if t.active and t.last_seen == self._frame]
        pairs = set()
        for i, a in enumerate(current):
            for b in current[i + 1 :]:
                if same_body(a.result, b.result, frame_size):
                    pairs.add((a.track_id, b.track_id))
        self._overlaps = {p: self._overlaps.get(p, 0) + 1 for p in pairs}
        by_id = {t.track_id: t for t in current}
        for (ida, idb), frames in sorted(self._overlaps.items()):
            a, b = by_id[ida], by_id[idb]
            if frames < MERGE_FRAMES or not (a.active and b.active):
                continue
            loser = a if a.jump > b.jump else b
            keeper = b if loser is a else a
            loser.roi = None
            loser.last_seen = self._frame - 1
            self.events.append(
                TrackEvent(self._frame, loser.track_id, "merged", f"onto track {keeper.track_id}")
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
    """A detection of a tracked person: their face in its (face) box, or, with the face
    unseen, their hips near its hips at about the same size."""
    nose = track.result.image[index_of("nose"), :2]
    if track.result.visibility[index_of("nose")] > VISIBLE:
        x0, y0, x1, y1 = detection.box
        grow_x, grow_y = 0.2 * (x1 - x0), 0.2 * (y1 - y0)
        return bool(x0 - grow_x <= nose[0] <= x1 + grow_x and y0 - grow_y <= nose[1] <= y1 + grow_y)
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
