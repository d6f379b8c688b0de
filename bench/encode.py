"""Browser-playable video: the project's VP9 writer (PyAV, real-time libvpx settings) beside
OpenCV's own VP9 writer (the baseline: libvpx at its "good" settings and a bit rate of about
twice fps x width x height, no way to pass codec options), on real frames of the sports2d clip.

ms/frame includes the flush at the end (OpenCV's libvpx holds about 25 frames back), so it is
what a real-time writer has to keep up with. Also: size, and PSNR against the frames written.

    python bench/encode.py [--frames 45]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from coach.native_stderr import native_stderr_silenced
from coach.samples import fetch_sample
from coach.video.sink import BrowserVideoWriter

SIZES = ((960, 540), (1280, 720))


class OpenCvVp9:
    """OpenCV's VideoWriter with fourcc VP90, as BrowserVideoWriter was before PyAV."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        with native_stderr_silenced():
            self._writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"VP90"), fps, size)

    def write(self, frame: np.ndarray) -> None:
        self._writer.write(frame)

    def close(self) -> None:
        self._writer.release()


def measure(
    make: Callable[[Path, float, tuple[int, int]], OpenCvVp9 | BrowserVideoWriter],
    frames: list[np.ndarray],
    path: Path,
) -> tuple[float, int, float]:
    """(ms per frame including the flush, KiB, mean PSNR dB)."""
    h, w = frames[0].shape[:2]
    writer = make(path, 30.0, (w, h))
    t0 = time.perf_counter()
    for frame in frames:
        writer.write(frame)
    writer.close()
    ms = (time.perf_counter() - t0) * 1e3 / len(frames)
    capture = cv2.VideoCapture(str(path))
    psnr = []
    for frame in frames:
        ok, decoded = capture.read()
        if not ok:
            break
        psnr.append(cv2.PSNR(frame, decoded))
    return ms, path.stat().st_size // 1024, float(np.mean(psnr)) if psnr else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=45)
    args = parser.parse_args()
    capture = cv2.VideoCapture(str(fetch_sample("demo.mp4")))
    raw = []
    while len(raw) < args.frames:
        ok, image = capture.read()
        if not ok:
            break
        raw.append(image)
    writers: dict[str, Callable[[Path, float, tuple[int, int]], OpenCvVp9 | BrowserVideoWriter]]
    writers = {"opencv VP90 (baseline)": OpenCvVp9, "pyav vp9 real-time": BrowserVideoWriter}
    print(f"VP9 encoding, {len(raw)} real frames ({Path(__file__).name})")
    print(f"{'size':<10}{'writer':<24}{'ms/frame':>10}{'KiB':>8}{'PSNR dB':>9}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for w, h in SIZES:
            frames = [cv2.resize(f, (w, h), interpolation=cv2.INTER_AREA) for f in raw]
            base = None
            for name, make in writers.items():
                ms, kib, psnr = measure(make, frames, Path(tmp) / f"{w}_{len(name)}.mp4")
                base = base or ms
                print(f"{f'{w}x{h}':<10}{name:<24}{ms:>10.1f}{kib:>8}{psnr:>9.1f}"
                      f"{ms / base:>8.3f}")
    print("real time at 30 fps needs < 33 ms a frame, on a core the pose model also wants")


if __name__ == "__main__":
    main()
