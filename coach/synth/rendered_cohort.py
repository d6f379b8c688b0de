"""Practical videos for ``coach assess`` tests and bench: attempts rendered as people
(``coach/synth/figure``) at the rendered-quality bench's laptop placements, with a known fault
or none."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from coach.synth.attempts import AttemptSpec
from coach.synth.evaluation import CORRECT
from coach.synth.figure.attempt_video import AttemptScene, attempt_scene, write_attempt_video
from coach.synth.rendered_evaluation import PLACEMENTS, jobs_for
from coach.technique.loader import load_technique
from coach.workspace import default_techniques_dir

TECHNIQUES = default_techniques_dir()


def render_attempt(technique_id: str, fault: str, seed: int, path: Path) -> Path:
    """Render one attempt (``fault`` or CORRECT) at a laptop placement drawn from ``seed``."""
    scene, spec = cohort_attempt(technique_id, fault, seed)
    return write_attempt_video(scene, spec, path)


def cohort_attempt(technique_id: str, fault: str, seed: int) -> tuple[AttemptScene, AttemptSpec]:
    """The scene and spec ``render_attempt`` draws for these arguments (its ``truth`` is what
    the pose model should see)."""
    technique = load_technique(TECHNIQUES / f"{technique_id}.toml")
    job = jobs_for(technique, [fault], "laptop", 1, seed)[0]
    v = job.variation
    spec = AttemptSpec(
        height_m=v.height_m,
        speed=v.speed,
        side=v.side,
        camera=job.camera,
        faults=() if fault == CORRECT else (fault,),
        seed=v.seed,
        fps=PLACEMENTS["laptop"].fps,
    )
    return attempt_scene(technique, spec, job.partner_height_m), spec


CLAP_RATE_HZ = 48_000


def clap_track(duration_s: float, clap_s: float, seed: int = 0) -> np.ndarray:
    """Mono samples: a quiet room (-60 dBFS noise) and a clap at ``clap_s`` (a 60 ms burst of
    noise at about -6 dBFS, decaying 20 dB in 15 ms)."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * CLAP_RATE_HZ)
    samples = 0.001 * rng.standard_normal(n)
    start = int(clap_s * CLAP_RATE_HZ)
    burst = np.arange(int(0.06 * CLAP_RATE_HZ)) / CLAP_RATE_HZ
    clap = 0.5 * rng.standard_normal(burst.size) * np.exp(-burst / 0.0065)
    end = min(n, start + burst.size)
    samples[start:end] += clap[: end - start]
    return np.clip(samples, -1.0, 1.0).astype(np.float32)


def with_clap(video: Path, out: Path, clap_s: float) -> Path:
    """``video`` with a sound track holding one clap at ``clap_s`` (the video packets copied
    unchanged, the sound Opus-coded), as a phone records the instructor's start signal."""
    import av

    with av.open(str(video)) as source, av.open(str(out), "w") as target:
        v_in = source.streams.video[0]
        v_out = target.add_stream_from_template(v_in)
        a_out = target.add_stream("libopus", rate=CLAP_RATE_HZ, layout="mono")
        packets = [p for p in source.demux(v_in) if p.dts is not None]
        # the sound ends with the pictures: a longer track would make the video look truncated
        frames = len(packets)
        duration = frames / float(v_in.average_rate or 30)
        for packet in packets:
            packet.stream = v_out
            target.mux(packet)
        samples = clap_track(duration - 0.04, clap_s)
        frame_len = 960  # 20 ms, an Opus frame
        for k in range(0, len(samples) - frame_len + 1, frame_len):
            frame = av.AudioFrame.from_ndarray(
                samples[None, k : k + frame_len], format="flt", layout="mono"
            )
            frame.sample_rate = CLAP_RATE_HZ
            frame.pts = k
            target.mux(a_out.encode(frame))
        target.mux(a_out.encode(None))
    return out
