"""The package works when installed from a wheel, outside the repository: the default
technique library ships with it and the workspace is the current folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_installed_wheel_finds_the_library_and_writes_to_the_current_folder(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheels.glob("breakaway_coach-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # the dependencies (mediapipe, numpy, ...) come from the test environment's site-packages;
    # .pth files there are not read from PYTHONPATH, so the editable checkout stays out of it
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    env.pop("COACH_WORKSPACE", None)
    work = tmp_path / "centre"
    work.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import coach, sys; print(coach.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        check=True,
    )
    assert str(venv) in where.stdout  # the installed copy, not the checkout
    listed = subprocess.run(
        [str(python), "-m", "coach.cli", "techniques", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    for technique in ("ready_stance", "same_side_wrist_grab", "rear_strangle"):
        assert technique in listed.stdout
    # the demo's samples ship too: the keypoints and the rendered video the pose model runs on
    samples = subprocess.run(
        [
            str(python),
            "-c",
            "from coach.session.demo_sample import SAMPLE_DIR, SAMPLE_VIDEO; "
            "print(SAMPLE_VIDEO.stat().st_size, (SAMPLE_DIR / 'pose.npz').stat().st_size, "
            "SAMPLE_VIDEO)",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=120,
    )
    assert samples.returncode == 0, samples.stderr
    video_bytes, pose_bytes, video_path = samples.stdout.split()
    assert int(video_bytes) > 50_000 and int(pose_bytes) > 50_000
    assert str(venv) in video_path
    # the agreement page's template ships in the wheel
    header = "candidate,technique,attempt,item,mark,assessor,notes\n"
    for rater in ("coach", "ann"):
        (work / f"{rater}.csv").write_text(f"{header}c1,t,1,overall,met,{rater},\n")
    agreed = subprocess.run(
        [str(python), "-m", "coach.cli", "agreement", "coach.csv", "ann.csv", "-o", "out"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=120,
    )
    assert agreed.returncode == 0, agreed.stderr
    assert "Agreement with human assessors" in (work / "out" / "agreement.html").read_text()
