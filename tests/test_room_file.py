"""calibration/room.json: round trip, bad files refused in one line naming the file and the
field, and ``coach calibrate`` end to end in a temporary workspace (a rendered floor board:
room.json, room.png, the numbers printed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.bodymodel.camera import Camera
from coach.errors import CoachError
from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import Room, load_room, read_room, room_path, write_room
from tests.cli_run import coach
from tests.room_scenes import floor_board_pose, render_board

ROOM = Room(
    Intrinsics(
        (1280, 720), 910.5, 912.0, 641.0, 358.5, (-0.1, 0.02, 0.0, 0.0, 0.0), "checkerboard"
    ),
    FloorPlane(1.12, 9.5, -0.7, "board"),
    1.68,
    "floor.jpg",
)


def test_round_trip(tmp_path: Path) -> None:
    path = write_room(tmp_path / "calibration", ROOM)
    assert path == tmp_path / "calibration" / "room.json"
    assert read_room(path) == ROOM
    assert not list(path.parent.glob(".*partial*"))


def test_no_room_is_none(tmp_path: Path) -> None:
    assert load_room(tmp_path) is None


def _edited(tmp_path: Path, edit: object) -> Path:
    body = ROOM.to_json()
    edit(body)  # type: ignore[operator]
    path = room_path(tmp_path)
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda b: b["floor"].pop("tilt_deg"), "floor.tilt_deg: missing"),
        (lambda b: b.update(version=2), "version: expected 1, got 2"),
        (lambda b: b.pop("camera"), "camera: expected an object, got null"),
        (lambda b: b["floor"].update(height_m=-1.0), "floor.height_m: expected a number"),
        (lambda b: b["camera"].update(size=[1280]), "camera.size: expected [width, height]"),
        (lambda b: b["camera"].update(source="guess"), "camera.source: expected one of"),
        (lambda b: b.update(trainee_height_m="tall"), "trainee_height_m: expected a number"),
    ],
)
def test_bad_files_name_the_file_and_field(tmp_path: Path, edit: object, message: str) -> None:
    path = _edited(tmp_path, edit)
    with pytest.raises(CoachError) as caught:
        load_room(tmp_path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_nan_is_refused(tmp_path: Path) -> None:
    path = room_path(tmp_path)
    text = json.dumps(ROOM.to_json()).replace('"height_m": 1.12', '"height_m": NaN')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CoachError, match=r"room\.json: not valid JSON \(NaN is not a number"):
        load_room(tmp_path)


def _workspace_with_board_photo(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    camera = Camera(distance_m=3.0, height_m=1.05, pitch_deg=12.0)
    k = Intrinsics.laptop_default(camera.size)
    rot, t = floor_board_pose(camera, (0.2, 0.6), (9, 6), 0.06, 15.0)
    photo = ws / "floor_board.png"
    cv2.imwrite(str(photo), render_board(k, rot, t, (9, 6), 0.06))
    return ws, photo


def test_calibrate_floor_board_end_to_end(tmp_path: Path, output_dir: Path) -> None:
    ws, photo = _workspace_with_board_photo(tmp_path)
    run = coach(
        "--workspace",
        ws,
        "calibrate",
        "--floor-board",
        photo,
        "--board",
        "9x6",
        "--square-mm",
        "60",
    )
    assert run.code == 0, run.stderr
    assert "camera 1.05" in run.stdout and "tilted 12.0 deg down" in run.stdout
    room = load_room(ws / "calibration")
    assert room is not None
    assert room.floor.height_m == pytest.approx(1.05, abs=0.01)
    assert room.floor.tilt_deg == pytest.approx(12.0, abs=0.3)
    assert room.intrinsics.source == "default" and room.made_from == "floor_board.png"
    picture = cv2.imread(str(ws / "calibration" / "room.png"))
    assert picture is not None and picture.shape == (720, 1280, 3)
    shutil.copy(ws / "calibration" / "room.png", output_dir / "room_floor_board.png")
    # the grid is drawn: the picture differs from the photo below the horizon only
    photo_px = cv2.imread(str(photo))
    changed = np.any(picture != photo_px, axis=2)
    assert changed[400:].mean() > 0.02 and changed[120:300].mean() < 0.001


def test_calibrate_bad_input_is_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    blank = ws / "blank.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 90, np.uint8))
    run = coach("--workspace", ws, "calibrate", "--floor-board", blank, "--square-mm", "60")
    assert run.code == 2
    assert f"{blank}: no 9x6 checkerboard found" in run.error_line()
    assert not (ws / "calibration" / "room.json").exists()
    run = coach("--workspace", ws, "calibrate", "--floor-board", ws / "missing.jpg")
    assert "missing.jpg: no such photo" in run.error_line()
    run = coach("--workspace", ws, "calibrate", "--standing", blank)
    assert "--standing needs --height-m" in run.error_line()
    run = coach("--workspace", ws, "calibrate", "--floor-board", blank, "--board", "9by6")
    assert "--board: expected COLUMNSxROWS" in run.error_line()
    assert not (ws / "calibration").exists() or not any((ws / "calibration").iterdir())


def test_score_room_without_a_room_is_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    folder = tmp_path / "attempt"
    folder.mkdir()
    run = coach("--workspace", ws, "score", folder, "--technique", "same_side_wrist_grab", "--room")
    assert run.code == 2
    assert "room.json: no room set-up yet: run coach calibrate first" in run.error_line()


def test_calibrate_with_measured_intrinsics_end_to_end(tmp_path: Path) -> None:
    """Six photos of the board held up, then the same board on the floor, from a camera
    that is not the laptop default (focal length 1000 px, principal point off centre)."""
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    k = Intrinsics((1280, 720), 1000.0, 1000.0, 630.0, 372.0)
    held = []
    poses = [(0, 0, 0), (25, 0, 5), (-25, 10, 0), (0, 30, -10), (15, -25, 20), (-20, -15, -15)]
    centre = np.array([4 * 0.06, 2.5 * 0.06, 0.0])
    for i, angles in enumerate(poses):
        rot, _ = cv2.Rodrigues(np.radians(np.array(angles, dtype=np.float64)))
        t = np.array([0.0, 0.0, 1.3 + 0.1 * i]) - rot @ centre
        path = ws / f"held_{i}.png"
        cv2.imwrite(str(path), render_board(k, rot, t, (9, 6), 0.06))
        held.append(path)
    camera = Camera(distance_m=3.0, height_m=1.05, pitch_deg=12.0)
    rot, t = floor_board_pose(camera, (0.2, 0.6), (9, 6), 0.06, 15.0)
    floor = ws / "floor.png"
    cv2.imwrite(str(floor), render_board(k, rot, t, (9, 6), 0.06))
    run = coach(
        "--workspace",
        ws,
        "calibrate",
        "--floor-board",
        floor,
        "--square-mm",
        "60",
        "--intrinsics",
        *held,
    )
    assert run.code == 0, run.stderr
    assert "from 6 photos" in run.stdout
    room = load_room(ws / "calibration")
    assert room is not None and room.intrinsics.source == "checkerboard"
    assert room.intrinsics.fx == pytest.approx(1000.0, rel=0.01)
    assert room.floor.height_m == pytest.approx(1.05, abs=0.01)
    assert room.floor.tilt_deg == pytest.approx(12.0, abs=0.3)


SAMPLE = (
    Path(__file__).resolve().parent.parent / "coach" / "sample_attempts" / "same_side_wrist_grab"
)


def _sample_attempt(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    folder = tmp_path / "attempt"
    shutil.copytree(SAMPLE, folder)
    return ws, folder


def test_score_with_the_room_measures_the_stance_on_the_floor(tmp_path: Path) -> None:
    """The bundled attempt (rendered from a camera 1 m up, level, 70 deg field of view) with
    that camera's room: the card's stance rows come from the floor."""
    ws, folder = _sample_attempt(tmp_path)
    args = ("--workspace", ws, "score", folder, "--technique", "same_side_wrist_grab", "--json")
    plain = json.loads(coach(*args).stdout)
    room = Room(Intrinsics.laptop_default((1280, 720)), FloorPlane(1.0, 0.0), None, "test")
    write_room(ws / "calibration", room)
    run = coach(*args, "--room")
    assert run.code == 0, run.stderr
    floor = json.loads(run.stdout)

    def width(card: dict[str, object]) -> dict[str, object]:
        rows = [r for r in card["criteria"] if r["kind"] == "stance_width"]  # type: ignore[index,union-attr]
        assert len(rows) == 1
        return rows[0]  # type: ignore[no-any-return]

    assert width(plain)["value"] != width(floor)["value"]
    assert width(floor)["status"] in ("Met", "Not met")


def test_score_with_a_room_of_another_camera_is_one_line(tmp_path: Path) -> None:
    ws, folder = _sample_attempt(tmp_path)
    room = Room(Intrinsics.laptop_default((640, 480)), FloorPlane(1.0, 0.0), None, "test")
    write_room(ws / "calibration", room)
    run = coach("--workspace", ws, "score", folder, "--technique", "same_side_wrist_grab", "--room")
    assert run.code == 2
    assert "filmed at 1280x720, another aspect ratio than the camera of" in run.error_line()
