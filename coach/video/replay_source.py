"""A recorded attempt played back as if it were a camera (a fake at the edge, for tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from coach.recording.attempt_folder import read_attempt
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame, RecordedPose, SourceInfo

VIDEO_FILE = "video.mp4"


class ReplaySource:
    """Yields the recorded frames with their recorded times and landmarks.

    The picture is the attempt's ``video.mp4`` when it was saved, else a blank frame of the
    recorded size (keypoints-only recordings are the default).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._attempt = read_attempt(self.folder)
        pose = self._attempt.pose
        self._info = SourceInfo(
            name=self.folder.name,
            size=pose.source_size,
            fps=pose.fps,
            frame_count=len(pose),
        )

    @property
    def info(self) -> SourceInfo:
        return self._info

    def frames(self) -> Iterator[Frame]:
        pose = self._attempt.pose
        video_path = self.folder / VIDEO_FILE
        pictures = VideoFileSource(video_path).frames() if video_path.is_file() else None
        width, height = pose.source_size
        blank = np.zeros((height, width, 3), dtype=np.uint8)
        blank.setflags(write=False)  # one picture for every frame: nobody may draw on it
        for i in range(len(pose)):
            shot = next(pictures, None) if pictures is not None else None
            picture = shot.image if shot is not None else blank  # the video may end first
            recorded = RecordedPose(
                image=pose.image[i], world=pose.world[i], visibility=pose.visibility[i]
            )
            yield Frame(index=i, t=float(pose.t[i]), image=picture, pose=recorded)

    def close(self) -> None:
        """Nothing to release: the recording is read whole."""
