"""The install lock: every package `make` installs is pinned there, with hashes, and current.

A fresh machine must install what the last `make lock` chose, not whatever PyPI serves that
day. This fails when a dependency is added to pyproject.toml without refreshing the lock, or
when the lock's pin no longer satisfies what pyproject.toml asks for.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$")


def _pins(python: str) -> dict[str, tuple[str, int]]:
    """{package: (version, hash count)} of the lock's pins that apply under ``python``."""
    env = {**default_environment(), "python_version": python, "python_full_version": f"{python}.0"}
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            package, version, marker = match.groups()
            applies = marker is None or Requirement(f"x ; {marker}").marker.evaluate(env)  # type: ignore[union-attr]
            name = canonicalize_name(package) if applies else None
            if name is not None:
                pins[name] = (version, 0)
        elif name is not None and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [Requirement(text) for text in wanted]


def test_every_dependency_is_pinned_in_the_lock_with_hashes() -> None:
    for python in ("3.10", "3.11", "3.12"):
        pins = _pins(python)
        assert len(pins) >= 40, (python, "the lock holds the whole tree, not only our names")
        for requirement in _requirements():
            env = {"python_version": python, "python_full_version": f"{python}.0"}
            if requirement.marker is not None and not requirement.marker.evaluate(env):
                continue
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is not in {LOCK.name}: run 'make lock'"
            version, hashes = pins[name]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{LOCK.name} pins {name}=={version}, pyproject.toml asks {requirement}: "
                "run 'make lock'"
            )
            assert hashes >= 1, f"{name} has no hash in {LOCK.name}"
        for tool in ("setuptools", "wheel", "pip"):
            assert tool in pins, f"{tool} (set-up itself) is not pinned"


def test_make_installs_from_the_lock_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "--upgrade pip" not in makefile  # pip itself comes from the lock
