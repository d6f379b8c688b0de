"""``coach extract``: a video in, an attempt folder (pose.npz + attempt.json) out."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from coach import __version__
from coach.errors import CoachError, InterruptedRunError
from coach.native_stderr import native_stderr_silenced
from coach.pose.adapter import PoseEstimator, PoseMode
from coach.pose.extraction import DEFAULT_INFERENCE_LONG_SIDE, extract_poses
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import check_output, next_attempt_folder, write_attempt
from coach.recording.attempt_meta import AttemptMeta, SourceMeta
from coach.video.file_source import VideoFileSource


@dataclass(frozen=True)
class ExtractResult:
    folder: Path
    pose: PoseSequence
    warnings: tuple[str, ...]


def extract_video(
    video: Path,
    recordings: Path,
    out: Path | None = None,
    force: bool = False,
    trainee: str | None = None,
    technique: str | None = None,
    inference_long_side: int | None = DEFAULT_INFERENCE_LONG_SIDE,
    show_progress: bool = True,
) -> ExtractResult:
    """Extract the poses of ``video`` into an attempt folder, atomically.

    Refuses before any work when the output exists (unless ``force``). Writes nothing when
    no person is ever visible, the video is truncated, or the run is interrupted.
    """
    with native_stderr_silenced():
        return _extract_quietly(
            video, recordings, out, force, trainee, technique, inference_long_side, show_progress
        )


def _extract_quietly(
    video: Path,
    recordings: Path,
    out: Path | None,
    force: bool,
    trainee: str | None,
    technique: str | None,
    inference_long_side: int | None,
    show_progress: bool,
) -> ExtractResult:
    folder = (
        out if out is not None else next_attempt_folder(recordings, trainee, video.stem, technique)
    )
    check_output(folder, force)
    source = VideoFileSource(video)
    estimator = PoseEstimator(PoseMode.OFFLINE)
    bar = tqdm(
        total=source.info.frame_count,
        unit="frame",
        desc=video.name,
        disable=not show_progress,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    done = 0
    try:

        def advance(n: int) -> None:
            nonlocal done
            bar.update(n - done)
            done = n

        pose = extract_poses(source, estimator, inference_long_side, on_frame=advance)
    except KeyboardInterrupt:
        raise InterruptedRunError(
            video, f"interrupted at frame {done}; nothing was written"
        ) from None
    finally:
        bar.close()
        estimator.close()
        source.close()

    if pose.detected_fraction == 0.0:
        raise CoachError(
            video, f"no person is visible in any of its {len(pose)} frames; nothing written"
        )
    warnings: list[str] = []
    if pose.detected_fraction < 1.0:
        missing = int((~pose.detected).sum())
        warnings.append(
            f"{video}: a person is visible in {100 * pose.detected_fraction:.1f} % of frames; "
            f"the {missing} frames without one are kept as empty (NaN) rows"
        )
    info = source.info
    meta = AttemptMeta(
        created=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        software_version=__version__,
        source=SourceMeta(
            kind="video",
            name=str(video),
            size=info.size,
            fps=info.fps,
            frames_expected=info.frame_count,
            frames_read=len(pose),
            rotation_deg=info.rotation_deg,
        ),
        pose_model={**estimator.describe(), "inference_long_side": inference_long_side},
        detected_fraction=round(pose.detected_fraction, 4),
        trainee=trainee,
        technique=technique,
    )
    try:
        write_attempt(folder, pose, meta, force=force)
    except KeyboardInterrupt:
        raise InterruptedRunError(
            folder, "interrupted while writing; nothing was written"
        ) from None
    return ExtractResult(folder=folder, pose=pose, warnings=tuple(warnings))


def summary_lines(result: ExtractResult) -> list[str]:
    """A few lines a person reads after the run."""
    pose = result.pose
    width, height = pose.source_size
    return [
        f"frames: {len(pose)} over {pose.duration_s:.2f} s "
        f"({width}x{height}, {pose.fps:g} fps nominal)",
        f"person visible: {100 * pose.detected_fraction:.1f} % of frames",
        f"written: {result.folder}/pose.npz and attempt.json",
    ]
