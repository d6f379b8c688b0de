"""Who may draw on a frame's picture: the live session draws its overlay on the camera picture
itself, so a source hands out a fresh array per frame, or a read-only one when it shares it."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.commands.demo import HeldTail
from coach.session.demo_sample import SAMPLE_DIR
from coach.video.file_source import VideoFileSource
from coach.video.replay_source import ReplaySource


def test_video_file_frames_are_fresh_and_writable(demo_video: Path) -> None:
    a, b = islice(VideoFileSource(demo_video).frames(), 2)
    assert a.image.flags.writeable and b.image.flags.writeable
    assert not np.shares_memory(a.image, b.image)


def test_shared_pictures_are_read_only() -> None:
    """A keypoints-only recording replays one blank picture; the demo holds its last frame."""
    source = HeldTail(ReplaySource(SAMPLE_DIR), 0.5)
    frames = list(source.frames())
    info = ReplaySource(SAMPLE_DIR).info
    assert len(frames) == (info.frame_count or 0) + round(0.5 * info.fps)
    assert all(not f.image.flags.writeable for f in frames)
    assert np.shares_memory(frames[-1].image, frames[-2].image)  # the held tail: one picture
    with pytest.raises(cv2.error):  # so drawing on it fails loudly instead of smearing
        cv2.line(frames[-1].image, (0, 0), (10, 10), (255, 255, 255), 2)
    assert frames[-1].image.max() == 0
