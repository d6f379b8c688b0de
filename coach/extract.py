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
from coach.pose.adapter import PersonModel
from coach.pose.extraction import DEFAULT_INFERENCE_LONG_SIDE, extract_people
from coach.pose.people import PeopleTracker
from coach.pose.people_tracks import (
    DEFAULT_TRAINEE_RULE,
    PeopleTracks,
    TraineeChoice,
    choose_trainee,
    describe_choice,
)
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import check_output, next_attempt_folder, write_attempt
from coach.recording.attempt_meta import AttemptMeta, SourceMeta
from coach.video.file_source import VideoFileSource


@dataclass(frozen=True)
class ExtractResult:
    folder: Path
    pose: PoseSequence
    """the trainee"""
    warnings: tuple[str, ...]
    partner: PoseSequence | None = None
    choice: TraineeChoice | None = None
    tracks: PeopleTracks | None = None
    """every person followed (the bench re-chooses the trainee from them by other rules)"""


def extract_video(
    video: Path,
    recordings: Path,
    out: Path | None = None,
    force: bool = False,
    trainee: str | None = None,
    technique: str | None = None,
    inference_long_side: int | None = DEFAULT_INFERENCE_LONG_SIDE,
    show_progress: bool = True,
    trainee_rule: str = DEFAULT_TRAINEE_RULE,
) -> ExtractResult:
    """Extract the poses of ``video`` into an attempt folder, atomically.

    Every person is followed; the trainee is chosen by ``trainee_rule`` (breaks_away,
    largest, nearest, left, right) and the partner's landmarks are kept beside theirs.
    Refuses before any work when the output exists (unless ``force``). Writes nothing when no
    person is ever visible, the video is truncated, or the run is interrupted.
    """
    with native_stderr_silenced():
        return _extract_quietly(
            video,
            recordings,
            out,
            force,
            trainee,
            technique,
            inference_long_side,
            show_progress,
            trainee_rule,
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
    trainee_rule: str,
) -> ExtractResult:
    folder = (
        out if out is not None else next_attempt_folder(recordings, trainee, video.stem, technique)
    )
    check_output(folder, force)
    source = VideoFileSource(video)
    model = PersonModel()
    tracker = PeopleTracker(model)
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

        tracks = extract_people(source, tracker, inference_long_side, on_frame=advance)
    except KeyboardInterrupt:
        raise InterruptedRunError(
            video, f"interrupted at frame {done}; nothing was written"
        ) from None
    finally:
        bar.close()
        tracker.close()
        model.close()
        source.close()

    choice = choose_trainee(tracks.sequences, trainee_rule)
    pose, partner = _trainee_and_partner(tracks, choice)
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
        pose_model={
            **model.describe(),
            "mode": "offline",
            "inference_long_side": inference_long_side,
        },
        detected_fraction=round(pose.detected_fraction, 4),
        trainee=trainee,
        technique=technique,
        people=describe_choice(choice, tracks),
    )
    try:
        write_attempt(folder, pose, meta, force=force, partner=partner)
    except KeyboardInterrupt:
        raise InterruptedRunError(
            folder, "interrupted while writing; nothing was written"
        ) from None
    return ExtractResult(
        folder=folder,
        pose=pose,
        warnings=tuple(warnings),
        partner=partner,
        choice=choice,
        tracks=tracks,
    )


def _trainee_and_partner(
    tracks: PeopleTracks, choice: TraineeChoice
) -> tuple[PoseSequence, PoseSequence | None]:
    """The chosen tracks' sequences (an all-NaN trainee when nobody was seen)."""
    partner = None if choice.partner is None else tracks.sequences[choice.partner]
    return tracks.sequence_or_empty(choice.trainee), partner


def summary_lines(result: ExtractResult) -> list[str]:
    """A few lines a person reads after the run."""
    pose = result.pose
    width, height = pose.source_size
    return [
        f"frames: {len(pose)} over {pose.duration_s:.2f} s "
        f"({width}x{height}, {pose.fps:g} fps nominal)",
        f"trainee visible: {100 * pose.detected_fraction:.1f} % of frames",
        *_people_lines(result),
        f"written: {result.folder}/pose.npz and attempt.json",
    ]


def _people_lines(result: ExtractResult) -> list[str]:
    choice = result.choice
    if choice is None or choice.people_seen <= 1:
        return []
    lines = [
        f"people seen: {choice.people_seen}; trainee: {_decided(choice)} "
        f"(track {choice.trainee}, --trainee-person to choose another)"
    ]
    if result.partner is not None:
        lines.append(
            f"partner: track {choice.partner}, visible in "
            f"{100 * result.partner.detected_fraction:.1f} % of frames"
        )
    return lines


def _decided(choice: TraineeChoice) -> str:
    """How the trainee was chosen, in words (with the fallback and why, if one was used)."""
    if choice.decided_by == "breaks_away":
        return "the one who broke away"
    if choice.fallback_reason is not None:
        return f"the {choice.decided_by} ({choice.rule}: {choice.fallback_reason})"
    return f"the {choice.decided_by}"
