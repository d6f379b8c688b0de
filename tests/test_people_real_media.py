"""Every person in real photos and video, with the models of the MediaPipe wheel."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.pose.adapter import PersonModel, PoseEstimator, PoseMode
from coach.pose.extraction import prepare_for_inference
from coach.pose.landmarks import index_of
from coach.pose.people import PeopleTracker, TrackedPerson, hip_centre
from coach.samples import fetch_sample
from coach.video.file_source import VideoFileSource

pytestmark = pytest.mark.pose


def _people_in_photo(path: Path) -> list[TrackedPerson]:
    rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    with PersonModel() as model:
        tracker = PeopleTracker(model, zooms=(1.0, 0.6))
        try:
            return tracker.process(rgb)
        finally:
            tracker.close()


def test_both_men_in_zidane_jpg_are_found() -> None:
    """Neither is found by the single-person solution (its detector sees the wide frame
    letterboxed to 224 px); the tiles find both, upper bodies only."""
    people = _people_in_photo(fetch_sample("zidane.jpg"))
    noses = sorted(float(p.result.image[index_of("nose"), 0]) for p in people)
    assert len(people) == 2
    assert noses == pytest.approx([0.46, 0.77], abs=0.05)


def test_the_two_people_in_full_view_in_bus_jpg_are_found(bus_image: Path) -> None:
    """Four people: two in full view, two cut by the picture's edges with their faces out of
    the picture (the detector finds people by the face; these two are not found)."""
    people = _people_in_photo(bus_image)
    hips_x = sorted(float(hip_centre(p.result)[0]) for p in people)
    assert hips_x == pytest.approx([0.16, 0.36], abs=0.04)
    for person in people:  # both face the camera: their left is on the picture's right
        x = person.result.image[:, 0]
        assert x[index_of("left_shoulder")] > x[index_of("right_shoulder")]


def test_a_lone_person_gets_the_landmarks_of_the_single_person_solution(
    demo_video: Path,
) -> None:
    """The first 45 frames of the demo clip have one person: the people tracker follows them
    with the same landmark chain as the single-person solution. That solution finds nobody in
    the first 3 frames (its detector sees the whole wide frame) and settles over the next 5,
    so the landmarks are compared from frame 10 on; the tracker has the person in all 45."""
    with VideoFileSource(demo_video) as source:
        frames = [prepare_for_inference(f.image, 1280) for f in source.frames() if f.index < 45]
    with PoseEstimator(PoseMode.OFFLINE) as single, PersonModel() as model:
        tracker = PeopleTracker(model)
        shifts = []
        for index, rgb in enumerate(frames):
            alone = single.process(rgb)
            people = tracker.process(rgb)
            assert len(people) == 1
            if index < 10:
                continue
            seen = (alone.visibility > 0.5) & (people[0].result.visibility > 0.5)
            shift = np.abs(alone.image[seen, :2] - people[0].result.image[seen, :2]).max(axis=1)
            shifts.extend(shift)
        tracker.close()
    assert np.percentile(shifts, 95) < 0.02  # of the image size; measured 0.5 %
    assert np.median(shifts) < 0.004  # measured 0.12 %
