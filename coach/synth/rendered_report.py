"""The rendered-quality report: the quality table on rendered video beside the noise model's,
per camera placement, then what the pose model got wrong per view and per joint.

Columns: ``n`` attempts; ``video`` and ``noise`` the quality report's ``rate`` (detection
among attempts where the oracle sees the fault clearly; for "correct", the false-alarm share)
from the pose model on the rendered video and from the noise model on the same attempts;
``*_all`` the ``rate_all`` of each (every attempt; for correct, borderline alarms too);
``brd`` borderline attempts (the oracle's, the same for both).
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.synth.noise_estimate import NoiseEstimate
from coach.synth.pose_errors import joint_table, view_rates
from coach.synth.quality_report import meets_target, report
from coach.synth.rendered_evaluation import RenderedOutcome


def placement_table(outcomes: Sequence[RenderedOutcome]) -> str:
    """The quality rows of one placement, video beside noise model."""
    video = {r.case: r for r in report(o.rendered for o in outcomes)}
    noise = {r.case: r for r in report(o.noise_model for o in outcomes)}
    lines = [
        f"{'case':22}{'n':>4}{'video':>8}{'noise':>8}{'video_all':>11}{'noise_all':>11}"
        f"{'brd':>5}  target (video / noise)"
    ]
    for case, v in video.items():
        nm = noise[case]
        lines.append(
            f"{case:22}{v.n:>4}{v.rate:>8.2f}{nm.rate:>8.2f}{v.rate_all:>11.2f}{nm.rate_all:>11.2f}"
            f"{v.borderline:>5}  {'met' if meets_target(v) else 'NOT met'} / "
            f"{'met' if meets_target(nm) else 'NOT met'}"
        )
    return "\n".join(lines)


def by_placement(outcomes: Sequence[RenderedOutcome]) -> dict[str, list[RenderedOutcome]]:
    groups: dict[str, list[RenderedOutcome]] = {}
    for o in outcomes:
        groups.setdefault(o.placement, []).append(o)
    return groups


def view_table(outcomes: Sequence[RenderedOutcome]) -> str:
    """Per placement: frames, no person, the partner followed, swaps, joint dropouts, errors."""
    lines = [
        f"{'placement':14}{'frames':>7}{'no person':>10}{'partner':>9}{'swapped':>9}"
        f"{'dropout':>9}{'image T':>9}{'world cm':>9}"
    ]
    for name, group in by_placement(outcomes).items():
        v = view_rates([o.errors for o in group])
        lines.append(
            f"{name:14}{v.frames:>7}{v.no_person:>10.3f}{v.on_partner:>9.3f}{v.swapped:>9.3f}"
            f"{v.joint_dropout:>9.3f}{v.image_err_median:>9.3f}{v.world_err_median_cm:>9.1f}"
        )
    return "\n".join(lines)


def joints_table(outcomes: Sequence[RenderedOutcome]) -> str:
    """Per joint: image error (torso lengths) and world error (cm), median and p90."""
    lines = [f"{'joint':18}{'image p50':>10}{'p90':>7}{'world cm p50':>14}{'p90':>7}"]
    for name, im50, im90, wo50, wo90 in joint_table([o.errors for o in outcomes]):
        lines.append(f"{name:18}{im50:>10.3f}{im90:>7.3f}{wo50:>14.1f}{wo90:>7.1f}")
    return "\n".join(lines)


def noise_lines(estimate: NoiseEstimate) -> str:
    e = estimate
    return "\n".join(
        [
            f"attempts: {e.attempts}",
            f"image: white {e.image_white_px:.2f} px, slow {e.image_slow_px:.2f} px, "
            f"bias {e.image_bias_px:.2f} px (per axis)",
            f"world x/y: white {100 * e.world_white_m:.2f} cm, slow {100 * e.world_slow_m:.2f} cm",
            f"world depth: white {100 * e.depth_white_m:.2f} cm, slow {100 * e.depth_slow_m:.2f} "
            f"cm, bias {100 * e.depth_bias_m:.2f} cm",
            f"no person: {e.frame_dropout:.3f} of frames; joints dropped: {e.joint_dropout:.4f}",
            f"left/right swapped: {e.swap_share:.3f} of frames, episodes {e.swap_episode_s:.2f} s",
        ]
    )
