"""Shared fixtures: real sample media (fetched from registry wheels and cached), output dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coach.pose.sequence import PoseSequence
from coach.samples import fetch_sample
from tests.real_landmarks import video_landmarks

TESTS_DIR = Path(__file__).parent
OUTPUT_DIR = TESTS_DIR / "output"
COACH = [sys.executable, "-m", "coach.cli"]
"""The real command line, run as a subprocess by the CLI tests."""


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """``tests/output/``: pictures and files kept after the run for a person to look at."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def demo_video() -> Path:
    """Real video: 230 frames, 30 fps, 1768x994, people walking and jumping (sports2d)."""
    return fetch_sample("demo.mp4")


@pytest.fixture(scope="session")
def bus_image() -> Path:
    """Real photo of people facing the camera (ultralytics' bus.jpg)."""
    return fetch_sample("bus.jpg")


@pytest.fixture(scope="session")
def demo_landmarks(demo_video: Path) -> PoseSequence:
    """The demo clip's landmarks through the project's extraction (cached between runs)."""
    return video_landmarks(demo_video, mirrored=False)


@pytest.fixture(scope="session")
def demo_landmarks_mirrored(demo_video: Path) -> PoseSequence:
    """The landmarks of the demo clip flipped left to right with ``cv2.flip`` (cached)."""
    return video_landmarks(demo_video, mirrored=True)
