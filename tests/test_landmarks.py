"""The landmark layout: names as MediaPipe numbers them, pairs, mirror map and skeleton."""

from __future__ import annotations

import pytest

from coach.pose.adapter import mediapipe_landmark_names
from coach.pose.landmarks import (
    LANDMARK_NAMES,
    LEFT_RIGHT_PAIRS,
    MIRROR_PERMUTATION,
    SKELETON_EDGES,
    index_of,
    mirror_name,
)


def test_names_are_mediapipe_enum_in_order() -> None:
    assert mediapipe_landmark_names() == LANDMARK_NAMES
    assert len(LANDMARK_NAMES) == 33


def test_index_lookup_by_name() -> None:
    assert index_of("nose") == 0
    assert index_of("left_shoulder") == 11
    assert index_of("right_foot_index") == 32
    with pytest.raises(KeyError, match="unknown landmark 'left_sholder'; valid names: nose"):
        index_of("left_sholder")


def test_sixteen_left_right_pairs_cover_every_sided_landmark() -> None:
    assert len(LEFT_RIGHT_PAIRS) == 16
    sided = {n for pair in LEFT_RIGHT_PAIRS for n in pair}
    assert sided == set(LANDMARK_NAMES) - {"nose"}
    assert ("mouth_left", "mouth_right") in LEFT_RIGHT_PAIRS


def test_mirror_permutation_is_an_involution_that_swaps_sides() -> None:
    perm = MIRROR_PERMUTATION
    assert [perm[i] for i in perm] == list(range(33))
    assert perm[index_of("left_wrist")] == index_of("right_wrist")
    assert perm[index_of("nose")] == index_of("nose")
    assert mirror_name("right_ankle") == "left_ankle"
    assert mirror_name("mouth_left") == "mouth_right"


def test_skeleton_is_connected_and_mirror_symmetric() -> None:
    assert len(SKELETON_EDGES) == 35
    edges = {frozenset(e) for e in SKELETON_EDGES}
    assert {frozenset((mirror_name(a), mirror_name(b))) for a, b in SKELETON_EDGES} == edges
    # MediaPipe draws three pieces: the face around the nose, the mouth, and the body
    face = {n for n in LANDMARK_NAMES if "eye" in n or "ear" in n} | {"nose"}
    mouth = {"mouth_left", "mouth_right"}
    body = set(LANDMARK_NAMES) - face - mouth
    assert _reachable("nose") == face
    assert _reachable("mouth_left") == mouth
    assert _reachable("left_ankle") == body


def _reachable(start: str) -> set[str]:
    reached, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        for a, b in SKELETON_EDGES:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in reached:
                    reached.add(there)
                    frontier.append(there)
    return reached
