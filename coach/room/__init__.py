"""The room set-up: the camera's intrinsics, the floor plane, image points on the floor, the
room file ``calibration/room.json``. The geometry modules import numpy only; the checkerboard
and standing calibrations (which read pictures) import OpenCV and the pose model."""
