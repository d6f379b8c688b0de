"""Damaged and hostile recordings (issue 15, defects 7, 10, 14 and 15).

pose.npz, attempt.json, scene.json and built references are checked value by value: arrays
where scalars belong, zero frames, 1e38 or infinite landmarks, a header claiming 1e12 frames,
``extra: null``, ``go_t_s: true``, NaN fps, deep nesting and non-UTF-8 text are refused with
the file and the field named; a recording with no person (or a few frames of one) is refused
by ``score`` and ``reference build`` instead of getting verdicts.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.recording.attempt_folder import read_attempt, write_attempt
from coach.recording.attempt_meta import read_attempt_meta
from coach.recording.pose_file import read_pose_file, write_pose_file
from coach.session.scene_profile import load_exit_side, save_exit_side
from tests.cli_run import assert_refused, coach, debris
from tests.test_pose_sequence import make_sequence
from tests.test_recording_format import make_meta

REPO = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "recordings").mkdir(parents=True)
    (ws / "calibration").mkdir()
    shutil.copytree(REPO / "techniques", ws / "techniques")
    return ws


def _rewrite(path: Path, **changes: object) -> None:
    with np.load(path, allow_pickle=False) as data:
        content = {k: data[k] for k in data.files}
    content.update(changes)
    with path.open("wb") as handle:
        np.savez(handle, **content)


def _attempt(ws: Path, frames: int = 40, name: str = "a_1") -> Path:
    folder = ws / "recordings" / name
    write_attempt(folder, make_sequence(frames), make_meta())
    return folder


def _score(ws: Path, folder: Path) -> str:
    run = coach("--workspace", ws, "score", folder, "--technique", "same_side_wrist_grab")
    line = assert_refused(run, str(folder))
    assert not (folder / "score.json").exists() and not debris(ws)
    return line


def test_no_person_anywhere_is_not_scored(tmp_path: Path) -> None:
    """Defect 7: all-NaN landmarks got "Movement matches: Met (0 T)"."""
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    nan = np.full((40, 33, 3), np.nan, dtype=np.float32)
    _rewrite(folder / "pose.npz", image=nan, world=nan, visibility=nan[..., 0])
    assert "no person is visible in any of its 40 frames" in _score(ws, folder)


def test_two_frame_attempt_is_not_scored(tmp_path: Path) -> None:
    """Defect 7: a 1-2 frame attempt got ten Not met rows without values."""
    ws = _workspace(tmp_path)
    folder = _attempt(ws, frames=2)
    assert "visible in only 2 of its 2 frames; at least 10" in _score(ws, folder)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"image": np.full((40, 33, 3), np.inf, dtype=np.float32)}, "image: expected finite"),
        ({"world": np.full((40, 33, 3), 1e38, dtype=np.float32)}, "world: expected finite "
         "values within +-1000"),
        ({"fps": np.array([30.0, 30.0])}, "fps: expected a single value"),
        ({"fps": np.float64(np.nan)}, "fps: expected a number"),
        ({"format_version": np.array([1])}, "format_version: expected a single value"),
        ({"t": np.zeros(0)}, "t: expected 1 to"),
        ({"t": np.full(40, np.nan)}, "t: expected finite numbers, found NaN"),
        ({"visibility": np.full((40, 33), -0.5)}, "visibility: expected values from 0 to 1"),
        ({"source_size": np.array([640.5, 480.0])}, "source_size: expected (width, height)"),
        ({"joint_names": np.array(["nose"])}, "joint_names differ"),
    ],
)
def test_pose_file_values_are_checked(tmp_path: Path, change: dict[str, object],
                                      problem: str) -> None:
    """Defect 14 (pose.npz): tracebacks or silent acceptance before."""
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    _rewrite(folder / "pose.npz", **change)
    assert problem in _score(ws, folder)


def test_header_claiming_a_trillion_frames_is_refused_before_reading(tmp_path: Path) -> None:
    """Defect 14: numpy would allocate what the header claims (8 TB) before reading."""
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    path = folder / "pose.npz"
    with np.load(path) as data:
        content = {k: data[k] for k in data.files}
    with zipfile.ZipFile(path, "w") as archive:
        for key, value in content.items():
            buffer = io.BytesIO()
            if key == "t":
                np.lib.format.write_array_header_1_0(
                    buffer, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
                buffer.write(b"\0" * 64)
            else:
                np.lib.format.write_array(buffer, value)
            archive.writestr(f"{key}.npy", buffer.getvalue())
    assert "t.npy: its header claims 8000000000000 bytes" in _score(ws, folder)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda b: b.update(extra=None), "extra: expected an object, got null"),
        (lambda b: b["extra"].update(go_t_s=True), "extra.go_t_s: expected a number"),
        (lambda b: b["extra"].update(go_t_s=1e300), "extra.go_t_s: expected a number in seconds"),
        (lambda b: b["source"].update(fps=[30]), "source.fps: expected a number"),
        (lambda b: b["source"].update(size=[0, 480]), "source.size: expected a whole number"),
        (lambda b: b.update(detected_fraction=7), "detected_fraction: expected a number"),
        (lambda b: b.update(trainee=["x"]), "trainee: expected a text"),
        (lambda b: b.update(pose_model="mediapipe"), "pose_model: expected an object"),
    ],
)
def test_attempt_json_values_are_checked(tmp_path: Path, edit: object, problem: str) -> None:
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    body = json.loads((folder / "attempt.json").read_text())
    edit(body)  # type: ignore[operator]
    (folder / "attempt.json").write_text(json.dumps(body))
    assert problem in _score(ws, folder)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"format_version": 1, "fps": NaN}', "NaN is not a number"),
        ("[" * 200_000 + "]" * 200_000, "nested more than 64 levels"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        ("1e400", "source.fps: expected a number"),  # json reads it as inf
    ],
)
def test_attempt_json_text_is_checked(tmp_path: Path, text: str | bytes, problem: str) -> None:
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    if text == "1e400":
        text = (folder / "attempt.json").read_text().replace('"fps": 30.0', '"fps": 1e400')
    raw = text if isinstance(text, bytes) else text.encode()
    (folder / "attempt.json").write_bytes(raw)
    assert problem in _score(ws, folder)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [(b"\xff\xfe\x00", "not UTF-8 text"), (b"[" * 10_000, "nested more than 64"),
     (b'{"exit_side": NaN}', "not valid JSON (NaN"), (b"[]", "expected a JSON object")],
)
def test_scene_json_damage_is_named_and_never_overwritten(tmp_path: Path, raw: bytes,
                                                          problem: str) -> None:
    """Defect 15: UnicodeDecodeError / RecursionError before; saving over it lost the rest."""
    calibration = tmp_path / "calibration"
    calibration.mkdir()
    (calibration / "scene.json").write_bytes(raw)
    for call in (lambda: load_exit_side(calibration),
                 lambda: save_exit_side(calibration, "left")):
        with pytest.raises(CoachError) as info:
            call()
        assert f"scene.json: {problem}" in str(info.value)
    assert (calibration / "scene.json").read_bytes() == raw and not debris(tmp_path)


def _bad_demo(ws: Path, name: str, frames: int, person: bool) -> Path:
    folder = _attempt(ws, frames, name)
    if not person:
        nan = np.full((frames, 33, 3), np.nan, dtype=np.float32)
        _rewrite(folder / "pose.npz", image=nan, world=nan, visibility=nan[..., 0])
    return folder


@pytest.mark.parametrize(("frames", "person", "problem"),
                         [(40, False, "no person is visible"), (1, True, "visible in only 1")])
def test_reference_build_refuses_degenerate_demonstrations(
    tmp_path: Path, frames: int, person: bool, problem: str
) -> None:
    """Defect 10: an empty room or one frame silently became the workspace reference."""
    ws = _workspace(tmp_path)
    good = _attempt(ws, 60, "good_1")
    bad = _bad_demo(ws, "bad_1", frames, person)
    run = coach("--workspace", ws, "reference", "build", good, bad,
                "--technique", "same_side_wrist_grab")
    assert_refused(run, str(bad), "not a usable demonstration", problem)
    assert list((ws / "techniques").glob("*.npz")) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"features": np.full((5, 3), np.inf)}, "features: expected"),
     ({"phase_of_frame": np.full(5, 99)}, "phase_of_frame: expected phase numbers"),
     ({"t": np.zeros((5, 5))}, "t: expected 2 to"),
     ({"technique_id": np.array(["a", "b"])}, "technique_id: expected a single value")],
)
def test_damaged_reference_is_named(tmp_path: Path, change: dict[str, object],
                                    problem: str) -> None:
    ws = _workspace(tmp_path)
    folder = _attempt(ws)
    ref = ws / "techniques" / "same_side_wrist_grab.right.reference.npz"
    base = {"format_version": np.int64(1), "technique_id": np.str_("same_side_wrist_grab"),
            "side": np.str_("right"), "source": np.str_("x"), "t": np.arange(5.0),
            "features": np.zeros((5, 3)), "tolerance": np.zeros(0),
            "phase_of_frame": np.zeros(5, dtype=np.int64), "moving": np.ones(5, bool),
            "body": np.zeros((5, 33, 3)), "pixels": np.zeros((5, 33, 2))}
    np.savez(ref, **{**base, **change})
    run = coach("--workspace", ws, "score", folder, "--technique", "same_side_wrist_grab",
                "--side", "right")
    assert_refused(run, str(ref), problem)


KEYS = ("format_version", "t", "image", "visibility", "world", "source_size", "fps",
        "joint_names")
ARRAYS = st.one_of(
    st.builds(np.array, st.floats(allow_nan=True, allow_infinity=True)),
    st.builds(lambda n, v: np.full((n, 33, 3), v), st.integers(0, 50),
              st.floats(allow_nan=True, allow_infinity=True)),
    st.builds(lambda n: np.arange(float(n)), st.integers(0, 60)),
    st.builds(lambda n: np.zeros((n, 33)), st.integers(0, 60)),
    st.builds(np.array, st.lists(st.integers(-10**9, 10**9), max_size=4)),
    st.builds(np.array, st.text(max_size=5)),
)


@FUZZ
@given(key=st.sampled_from(KEYS), value=ARRAYS)
def test_fuzz_pose_file_arrays(tmp_path: Path, key: str, value: np.ndarray) -> None:
    """Any one array replaced by anything: read as a valid sequence, or refused by name."""
    path = tmp_path / "pose.npz"
    write_pose_file(path, make_sequence(40))
    _rewrite(path, **{key: value})
    try:
        seq = read_pose_file(path)
    except CoachError as error:
        assert str(error).startswith(f"{path}: ")
        return
    assert len(seq) >= 1 and np.isfinite(seq.t).all() and seq.fps >= 0
    for array in (seq.image, seq.world, seq.visibility):
        assert not np.isinf(array).any() and np.nanmax(np.abs(array), initial=0) <= 1000


@FUZZ
@given(offset=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_fuzz_pose_file_bytes(tmp_path: Path, offset: int, byte: int) -> None:
    """A byte of the archive damaged: read whole or refused by name, nothing else."""
    path = tmp_path / "pose.npz"
    write_pose_file(path, make_sequence(40))
    raw = bytearray(path.read_bytes())
    raw[offset % len(raw)] = byte
    path.write_bytes(bytes(raw))
    try:
        read_pose_file(path)
    except CoachError as error:
        assert str(error).startswith(f"{path}: ")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                    children, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(data=st.data(), value=JSON_VALUES)
def test_fuzz_attempt_json_fields(tmp_path: Path, data: st.DataObject, value: object) -> None:
    """Any one field (top level, source or extra) replaced by any JSON value."""
    path = tmp_path / "attempt.json"
    body = json.loads(make_meta().to_json())
    body["extra"] = {"go_t_s": 1.0}
    where = data.draw(st.sampled_from([body, body["source"], body["extra"]]))
    key = data.draw(st.sampled_from(sorted(where)))
    where[key] = value
    path.write_text(json.dumps(body))
    try:
        meta = read_attempt_meta(path)
    except CoachError as error:
        assert str(error).startswith(f"{path}: ")
        return
    assert isinstance(meta.extra, dict) and meta.source.fps >= 0
    assert all(isinstance(s, int) and s > 0 for s in meta.source.size)


def test_attempt_round_trip_still_reads(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    write_attempt(folder, make_sequence(40), make_meta())
    assert len(read_attempt(folder).pose) == 40
