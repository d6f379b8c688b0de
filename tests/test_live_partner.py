"""``coach live --partner`` on real video: both people followed, the partner drawn in grey."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.commands.live import run_live, session_techniques
from coach.render.partner import PARTNER_COLOUR
from coach.session.display import HeadlessVideo
from coach.session.state_machine import Timing
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame
from coach.workspace import Workspace, find_workspace
from tests.video_frames import read_video

pytestmark = pytest.mark.pose


class TwoPeopleStretch:
    """Frames 60-119 of the demo clip: the jumper on the box and the walker below."""

    def __init__(self, video: Path) -> None:
        self._source = VideoFileSource(video)
        self.info = self._source.info

    def frames(self) -> Iterator[Frame]:
        for frame in self._source.frames():
            if 60 <= frame.index < 120:
                yield frame

    def close(self) -> None:
        self._source.close()


def _slate_pixels(frames: list[np.ndarray]) -> np.ndarray:
    colour = np.array(PARTNER_COLOUR, dtype=np.int16)
    return np.array([(np.abs(f.astype(np.int16) - colour).max(axis=2) <= 12).sum() for f in frames])


def _run(video: Path, folder: Path, partner: bool) -> list[np.ndarray]:
    out = folder / f"live_partner_{partner}.mp4"
    source = TwoPeopleStretch(video)
    display = HeadlessVideo(out, 30.0, source.info.size)
    techniques = session_techniques(find_workspace(None), "same_side_wrist_grab", None)
    result = run_live(
        Workspace(folder), source, display, techniques, exit_side="left", timing=Timing(),
        realtime=False, sound_on=False, partner=partner,
    )  # fmt: skip
    assert result.stats.frames_processed == 60
    return read_video(out)


def test_partner_drill_draws_the_partner(
    demo_video: Path, tmp_path: Path, output_dir: Path
) -> None:
    """The solo drill draws one skeleton (whoever the single-person model follows); with
    --partner the second person is drawn too, in slate grey (no cue colours)."""
    solo = _run(demo_video, tmp_path, partner=False)
    pair = _run(demo_video, tmp_path, partner=True)
    cv2.imwrite(str(output_dir / "live_partner_frame.png"), pair[30])
    # the partner's bones: thousands of slate pixels a frame more than in the solo drill
    assert np.median(_slate_pixels(pair)) > np.median(_slate_pixels(solo)) + 2000
