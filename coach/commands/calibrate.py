"""``coach calibrate``: measure the room (camera, floor plane) offline, from photos or a video.

    coach calibrate --floor-board PHOTO --board 9x6 --square-mm 25 [--intrinsics PHOTOS...]
    coach calibrate --standing VIDEO_OR_PHOTO... --height-m 1.75 [--intrinsics PHOTOS...]

Writes ``calibration/room.json`` and the picture ``calibration/room.png`` (the floor grid in
metres over the photo, the camera's height and tilt on it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from coach.errors import CoachError
from coach.render.room_grid import room_picture
from coach.room.board import Board, floor_from_board, intrinsics_from_photos, read_picture
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import ROOM_PICTURE, Room, write_room
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="measure the room: the camera and the floor plane (writes calibration/room.json)",
        description="Measure the room from pictures: the camera's intrinsics (from photos of a "
        "checkerboard, else a laptop-camera default of 70 deg horizontal field of view) and the "
        "floor plane (from a checkerboard lying on the floor, or from the trainee standing "
        "upright with their height given). Writes calibration/room.json and calibration/room.png.",
    )
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--floor-board",
        type=Path,
        metavar="PHOTO",
        help="a photo from the coaching camera of a checkerboard lying on the floor",
    )
    how.add_argument(
        "--standing",
        type=Path,
        nargs="+",
        metavar="VIDEO_OR_PHOTO",
        help="photos or videos of the trainee standing upright, feet to ears in the "
        "picture; stepping toward and away from the camera lets the tilt be measured",
    )
    parser.add_argument(
        "--board",
        default="9x6",
        metavar="COLSxROWS",
        help="the checkerboard's inner corners (default 9x6: 10 x 7 squares)",
    )
    parser.add_argument(
        "--square-mm",
        type=float,
        default=25.0,
        metavar="MM",
        help="a checkerboard square's side in millimetres (default 25)",
    )
    parser.add_argument(
        "--intrinsics",
        type=Path,
        nargs="+",
        metavar="PHOTO",
        help="photos of the checkerboard held at different angles (six is good) "
        "from the coaching camera, at its resolution",
    )
    parser.add_argument(
        "--height-m",
        type=float,
        metavar="M",
        help="the trainee's height in metres (with --standing)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    try:
        board = Board.parse(args.board, args.square_mm)
    except ValueError as error:
        raise CoachError(None, str(error)) from None
    if args.standing is not None and args.height_m is None:
        raise CoachError(None, "--standing needs --height-m, the trainee's height in metres")
    if args.height_m is not None and not 1.0 <= args.height_m <= 2.3:
        raise CoachError(None, f"--height-m: expected 1.0-2.3 m, got {args.height_m:g}")
    measured: Intrinsics | None = None
    lines: list[str] = []
    if args.intrinsics:
        fit = intrinsics_from_photos(args.intrinsics, board)
        measured = fit.intrinsics
        lines.append(
            f"camera: fx {measured.fx:.1f} px, fy {measured.fy:.1f} px, horizontal field of view "
            f"{measured.hfov_deg:.1f} deg, from {len(args.intrinsics)} photos "
            f"(reprojection {fit.rms_px:.2f} px)"
        )
    if args.floor_board is not None:
        image = read_picture(args.floor_board)
        size = (image.shape[1], image.shape[0])
        k = _intrinsics_for(measured, size, args.floor_board, lines)
        found = floor_from_board(image, board, k, args.floor_board)
        room = Room(k, found.floor, None, args.floor_board.name)
        lines.append(
            f"floor from the board: camera {found.floor.height_m:.3f} m above the floor, tilted "
            f"{found.floor.tilt_deg:.1f} deg down, roll {found.floor.roll_deg:.1f} deg "
            f"(reprojection {found.rms_px:.2f} px)"
        )
        marks, segments = found.corners, None
    else:
        from coach.room.standing import floor_from_standing
        from coach.room.standing_input import read_standing

        views = read_standing(args.standing)
        image = views.picture
        k = _intrinsics_for(measured, views.size, args.standing[0], lines)
        fit_s = floor_from_standing(views.ankles, views.ears, k, args.height_m)
        room = Room(k, fit_s.floor, args.height_m, ", ".join(p.name for p in args.standing)[:1000])
        how = (
            "taken as level: the trainee did not stand at different distances, so the tilt "
            f"could not be measured (+-{fit_s.tilt_std_deg:.1f} deg)"
            if fit_s.tilt_assumed
            else f"{fit_s.floor.tilt_deg:.1f} deg down (+-{fit_s.tilt_std_deg:.1f} deg)"
        )
        lines.append(
            f"floor from the trainee standing ({fit_s.frames} upright frames, height "
            f"{args.height_m:g} m): camera {fit_s.floor.height_m:.3f} m above the floor, "
            f"tilt {how} (fit {fit_s.rms_px:.1f} px)"
        )
        marks = None
        segments = np.stack([views.ankles, views.ears], axis=1)
    picture = room_picture(image, room, _picture_lines(room), marks, segments)
    workspace.calibration.mkdir(parents=True, exist_ok=True)
    _write_png(workspace.calibration / ROOM_PICTURE, picture)
    path = write_room(workspace.calibration, room)
    for line in lines:
        print(line)
    print(f"wrote {path} and {path.with_name(ROOM_PICTURE)}")
    return 0


def _intrinsics_for(
    measured: Intrinsics | None, size: tuple[int, int], path: Path, lines: list[str]
) -> Intrinsics:
    if measured is None:
        k = Intrinsics.laptop_default(size)
        lines.append(
            f"camera: laptop default ({k.hfov_deg:.0f} deg horizontal field of view, "
            f"{size[0]}x{size[1]}); give --intrinsics photos to measure it"
        )
        return k
    try:
        return measured.scaled_to(size)
    except ValueError as error:
        raise CoachError(path, str(error)) from None


def _picture_lines(room: Room) -> list[str]:
    f = room.floor
    return [
        f"camera {f.height_m:.2f} m above the floor, tilt {f.tilt_deg:.1f} deg down, "
        f"roll {f.roll_deg:.1f} deg",
        f"floor from: {f.source}; camera: {room.intrinsics.source} "
        f"({room.intrinsics.hfov_deg:.0f} deg field of view)",
        "grid: 0.5 m squares on the floor; depth marked from the camera",
    ]


def _write_png(path: Path, image: np.ndarray) -> None:
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise CoachError(path, "the picture could not be encoded")
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data.tobytes())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
