"""Real sample media, taken from wheels on the package registry and cached locally.

No real video of people can be committed here, but some packages carry one: the ``sports2d``
wheel (BSD-3) has a 230-frame demo clip of people walking and jumping, and the
``ultralytics`` wheel (AGPL-3, used only as test input, never redistributed) has photos.
``fetch_sample`` downloads the wheel once with pip and unpacks the one file needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError

CACHE_ENV_VAR = "COACH_CACHE"


@dataclass(frozen=True)
class Sample:
    """One file inside one pinned wheel."""

    package: str
    version: str
    member: str

    @property
    def filename(self) -> str:
        return Path(self.member).name


SAMPLES: dict[str, Sample] = {
    "demo.mp4": Sample("sports2d", "0.8.34", "Sports2D/Demo/demo.mp4"),
    "bus.jpg": Sample("ultralytics", "8.4.190", "ultralytics/assets/bus.jpg"),
    "zidane.jpg": Sample("ultralytics", "8.4.190", "ultralytics/assets/zidane.jpg"),
}


def cache_dir() -> Path:
    """``$COACH_CACHE`` or ``~/.cache/breakaway-coach``, created on demand."""
    root = Path(os.environ.get(CACHE_ENV_VAR) or Path.home() / ".cache" / "breakaway-coach")
    path = root / "samples"
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch_sample(name: str) -> Path:
    """Local path of a sample, downloading its wheel the first time."""
    if name not in SAMPLES:
        raise CoachError(None, f"unknown sample {name!r}; known: {', '.join(sorted(SAMPLES))}")
    sample = SAMPLES[name]
    target = cache_dir() / sample.filename
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            f"{sample.package}=={sample.version}",
            "-d",
            tmp,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or not wheels:
            reason = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise CoachError(
                None, f"could not download {sample.package}=={sample.version}: {reason}"
            )
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(sample.member) as member:
            partial = target.with_suffix(target.suffix + ".partial")
            with partial.open("wb") as out:
                shutil.copyfileobj(member, out)
            partial.replace(target)
    return target
