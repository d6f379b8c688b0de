"""``coach reference build``: demonstrations averaged into a reference that scoring then uses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from coach.errors import CoachError
from coach.recording.attempt_folder import write_attempt
from coach.scoring.offline import score_sequence
from coach.scoring.reference_build import build_reference, load_reference, save_reference
from coach.synth.attempts import AttemptSpec, Noise, synthesize_attempt
from coach.technique.library import find_technique
from tests.conftest import COACH
from tests.test_recording_format import make_meta

TECH = "same_side_wrist_grab"


def demonstration(seed: int, speed: float, faults: tuple[str, ...] = ()) -> tuple:
    technique = find_technique(None, TECH)
    spec = AttemptSpec(
        speed=speed,
        height_m=1.6 + 0.05 * (seed % 7),
        noise=Noise.typical(),
        seed=seed,
        side="right",
        faults=faults,
    )
    return synthesize_attempt(technique, spec)


def test_built_reference_has_a_band_and_scores_like_the_keyframed_one(tmp_path: Path) -> None:
    technique = find_technique(None, TECH)
    demos = [demonstration(seed, speed).sequence for seed, speed in enumerate((0.9, 1.0, 1.15))]
    model = build_reference(demos, technique)
    assert model.tolerance is not None and model.tolerance.shape == model.features.shape
    assert 0.0 < float(np.nanmean(model.tolerance)) < 0.2  # demonstrations agree, not identical
    assert list(np.unique(model.phase_of_frame)) == list(range(len(technique.phases)))
    assert np.all(np.diff(model.phase_of_frame) >= 0)
    path = tmp_path / "ref.npz"
    save_reference(path, model)
    loaded = load_reference(path, technique)
    np.testing.assert_allclose(loaded.features, model.features)
    refs = {"right": loaded}
    good = demonstration(7, 1.05)
    card = score_sequence(good.sequence, technique, "right", good.events.t0_s, good.scene, refs)
    assert card.failed() == []
    bad = demonstration(8, 1.0, ("hands_down",))
    card = score_sequence(bad.sequence, technique, "right", bad.events.t0_s, bad.scene, refs)
    assert {c.kind for c in card.failed()} == {"guard"}


def test_loading_refuses_another_techniques_reference(tmp_path: Path) -> None:
    technique = find_technique(None, TECH)
    demos = [demonstration(seed, 1.0).sequence for seed in range(2)]
    path = tmp_path / "ref.npz"
    save_reference(path, build_reference(demos, technique))
    with pytest.raises(CoachError, match="is a reference for same_side_wrist_grab"):
        load_reference(path, find_technique(None, "cross_wrist_grab"))
    path.write_text("junk")
    with pytest.raises(CoachError, match="not a readable reference file"):
        load_reference(path, technique)


def test_cli_builds_into_the_workspace_and_score_uses_it(tmp_path: Path) -> None:
    workspace = tmp_path / "centre"
    (workspace / "techniques").mkdir(parents=True)
    folders = []
    for seed, speed in enumerate((0.9, 1.0, 1.1)):
        demo = demonstration(seed, speed)
        folders.append(write_attempt(tmp_path / f"demo{seed}", demo.sequence, make_meta()))
    done = subprocess.run(
        [
            *COACH,
            "--workspace",
            str(workspace),
            "reference",
            "build",
            *map(str, folders),
            "--technique",
            TECH,
            "--side",
            "right",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    built = workspace / "techniques" / f"{TECH}.right.reference.npz"
    assert built.is_file() and f"Written: {built}" in done.stdout
    one = subprocess.run(
        [
            *COACH,
            "--workspace",
            str(workspace),
            "reference",
            "build",
            str(folders[0]),
            "--technique",
            TECH,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert one.returncode == 2 and "at least 2 demonstrations" in one.stderr
    scored = subprocess.run(
        [
            *COACH,
            "--workspace",
            str(workspace),
            "score",
            str(folders[1]),
            "--technique",
            TECH,
            "--side",
            "right",
            "--t0",
            "1.0",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["outcomes"]["it_worked_broke_free"] is True
