"""An hour of live coaching: memory (RSS) and open files over time, flat or not.

A real video (the sports2d wheel's demo.mp4: real people walking, 1768x994, 30 fps) is looped
into one continuous stream of ``--minutes`` of stream time and fed, paced in real time like a
camera (frames the coach has no time for are dropped, as with a camera), through the whole
live session: ``run_live`` with the real MediaPipe model, the live scorers and their judge
worker process, the recorder and the overlay. A space key every 20 s of stream time starts a
countdown whenever the flow is ready, so attempts are recorded, judged and scored all hour.
Frames go to a display that drops them (no screen here; ``--headless`` codes them to a VP9
video instead, in its child process).

Every ``--sample-s`` seconds the main process's memory, its children's (judge worker, resource
tracker, video coder), its open file descriptors and threads are sampled, from
``/proc/PID/smaps_rollup``. The session's memory, on which the targets are judged, is the
coach's RSS plus its children's private pages (USS): what the session takes from a machine
running nothing else. The RSS sum overstates it (a spawned child maps the same libpython,
numpy and scipy code as the coach, counted again per process); the PSS sum (each shared page
split among the processes mapping it) understates it, and moves with other programs on the
machine that map the same libraries (a test run of the coach meanwhile: tens of MiB). Both
are printed beside it. Printed: a table (one
row per 5 minutes) and the summary against the targets (growth after warm-up < 20 MiB, peak
< 500 MiB); written: ``bench/output/soak.csv`` and ``soak.png``. The baseline is the same
run's own memory after warm-up (minutes 2-3).

    nice python bench/soak.py [--minutes 60] [--speed 1.0] [--headless]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from coach.video.frames import Frame, SourceInfo

# The rest of the coach is imported inside the functions: the judge worker is spawned, and a
# spawned child imports the parent's main module first. A real ``coach`` command's main module
# imports next to nothing, so this one must not either, or the worker's memory would be
# overstated by the session's whole import tree (about 80 MiB).

OUT = Path(__file__).resolve().parent / "output"
TARGET_GROWTH_MIB = 20.0
TARGET_PEAK_MIB = 500.0
WARM_UP_S = (120.0, 180.0)
"""The baseline window: imports, model and worker start-up are done by then."""
KEY_EVERY_S = 20.0


class LoopedVideo:
    """A video played again and again as one camera stream (times keep counting up)."""

    def __init__(self, path: Path, seconds: float, speed: float) -> None:
        from coach.video.file_source import VideoFileSource

        self.path, self.seconds, self.speed = path, seconds, speed
        with VideoFileSource(path) as probe:
            base = probe.info
        self._info = replace(base, name=f"{path.name} (looped)", frame_count=None,
                             fps=base.fps * speed)
        self.latest_t = 0.0

    @property
    def info(self) -> SourceInfo:
        return self._info

    def frames(self) -> Iterator[Frame]:
        """Frames with times compressed by ``speed`` (paced at speed x real time)."""
        from coach.video.file_source import VideoFileSource

        index, offset = 0, 0.0
        while True:
            last = 0.0
            with VideoFileSource(self.path) as video:
                for frame in video.frames():
                    t = offset + frame.t / self.speed
                    if t >= self.seconds:
                        return
                    self.latest_t = t
                    yield Frame(index, t, frame.image)
                    index += 1
                    last = frame.t
            offset += last / self.speed + 1.0 / self._info.fps

    def close(self) -> None:
        pass


class DroppingDisplay:
    """A display with no screen: counts the frames and drops them."""

    def __init__(self) -> None:
        self.frames = 0

    def show(self, frame: np.ndarray) -> str | None:
        self.frames += 1
        return None

    def close(self, keep: bool = True) -> None:
        pass


@dataclass
class Sample:
    wall_s: float
    stream_s: float
    rss_mib: float
    pss_mib: float
    children_rss_mib: float
    children_pss_mib: float
    children_uss_mib: float
    judge_pss_mib: float
    judge_uss_mib: float
    children: int
    open_files: int
    threads: int
    attempts: int

    @property
    def total(self) -> float:
        """What the session costs the machine: the coach's RSS and what its children add
        (their private pages); the target's measure."""
        return self.rss_mib + self.children_uss_mib

    @property
    def total_pss(self) -> float:
        return self.pss_mib + self.children_pss_mib

    @property
    def total_rss(self) -> float:
        return self.rss_mib + self.children_rss_mib


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _memory_mib(pid: int) -> tuple[float, float, float]:
    """(RSS, PSS, USS: the pages no other process maps) of ``pid`` in MiB (``smaps_rollup``)."""
    kib = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        kib[key] = int(value.split()[0])
    uss = kib["Private_Clean"] + kib["Private_Dirty"]
    return kib["Rss"] / 1024.0, kib["Pss"] / 1024.0, uss / 1024.0


def _is_judge(pid: int) -> bool:
    """The phase-judge worker: the child multiprocessing spawned to run ``spawn_main``."""
    return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


class Sampler(threading.Thread):
    def __init__(self, source: LoopedVideo, recordings: Path, every_s: float, csv_path: Path):
        super().__init__(name="soak-sampler", daemon=True)
        self.source, self.recordings, self.every_s = source, recordings, every_s
        self.samples: list[Sample] = []
        self.start_wall = time.monotonic()
        self._stop_event = threading.Event()
        self.csv_path = csv_path

    def sample(self) -> Sample:
        pid = os.getpid()
        kids = _children(pid)
        kid_rss = kid_pss = kid_uss = judge_pss = judge_uss = 0.0
        for kid in kids:
            with contextlib.suppress(OSError, KeyError):  # it ended meanwhile
                rss, pss, uss = _memory_mib(kid)
                kid_rss, kid_pss, kid_uss = kid_rss + rss, kid_pss + pss, kid_uss + uss
                if _is_judge(kid):
                    judge_pss, judge_uss = judge_pss + pss, judge_uss + uss
        attempts = sum(1 for p in self.recordings.iterdir() if not p.name.startswith("."))
        rss, pss, _ = _memory_mib(pid)
        return Sample(time.monotonic() - self.start_wall, self.source.latest_t, rss, pss,
                      kid_rss, kid_pss, kid_uss, judge_pss, judge_uss, len(kids),
                      len(os.listdir("/proc/self/fd")), int(_status(pid)["Threads"]), attempts)

    def run(self) -> None:
        with self.csv_path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(Sample.__dataclass_fields__)
            while not self._stop_event.wait(self.every_s):
                s = self.sample()
                self.samples.append(s)
                writer.writerow([round(v, 2) if isinstance(v, float) else v
                                 for v in vars(s).values()])
                handle.flush()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _window(samples: list[Sample], start: float, stop: float, field: str) -> float:
    values = [getattr(s, field) for s in samples if start <= s.stream_s < stop]
    return float(np.median(values)) if values else float("nan")


def plot(samples: list[Sample], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    minutes = np.array([s.stream_s for s in samples]) / 60.0
    fig, (mem, files) = plt.subplots(2, 1, figsize=(10, 7), sharex=True,
                                     gridspec_kw={"height_ratios": [2, 1]})
    mem.plot(minutes, [s.total for s in samples], color="black", linewidth=1.6,
             label="session: coach RSS + children's private pages (the target's measure)")
    mem.plot(minutes, [s.total_rss for s in samples], color="grey", linestyle="--",
             label="RSS sum (shared pages counted in every process)")
    mem.plot(minutes, [s.total_pss for s in samples], color="grey", linestyle=":",
             label="PSS sum (shared pages split, also with other programs)")
    mem.plot(minutes, [s.rss_mib for s in samples], color="tab:blue", label="coach process RSS")
    mem.plot(minutes, [s.judge_uss_mib for s in samples], color="tab:orange",
             label="judge worker, private")
    mem.plot(minutes, [s.children_uss_mib - s.judge_uss_mib for s in samples],
             color="tab:green", label="other children, private (resource tracker, coder)")
    mem.axhline(TARGET_PEAK_MIB, color="red", linewidth=0.8, label="peak target 500 MiB")
    mem.set_ylabel("MiB")
    mem.set_ylim(0, max(TARGET_PEAK_MIB * 1.15, max(s.total_rss for s in samples) * 1.1))
    mem.legend(loc="lower right", bbox_to_anchor=(1.0, 0.12), fontsize=8)  # below the curves
    mem.grid(alpha=0.3)
    mem.set_title(title, fontsize=10)
    files.plot(minutes, [s.open_files for s in samples], label="open files (fds)")
    files.plot(minutes, [s.threads for s in samples], label="threads")
    files.plot(minutes, [s.attempts for s in samples], label="attempts saved")
    files.set_xlabel("stream time, minutes")
    files.legend(loc="upper left")
    files.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="stream time")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="pace at this many times real time (1: like a camera)")
    parser.add_argument("--sample-s", type=float, default=10.0)
    parser.add_argument("--headless", action="store_true",
                        help="code the shown frames to a VP9 video (in its child process)")
    parser.add_argument("--from-csv", type=Path, metavar="CSV",
                        help="no session: the table, summary and picture of an earlier run's CSV")
    args = parser.parse_args()
    if args.from_csv is not None:
        samples = read_samples(args.from_csv)
        for s in samples:  # the CSV has the compressed stream's times, as the run saw them
            s.stream_s *= args.speed
        report(samples, args.minutes, args.speed)
        return
    from coach.commands.live import run_live, session_techniques
    from coach.samples import fetch_sample
    from coach.session.display import HeadlessVideo
    from coach.workspace import Workspace, find_workspace

    OUT.mkdir(exist_ok=True)
    load_before = os.getloadavg()
    video = fetch_sample("demo.mp4")
    seconds = args.minutes * 60.0
    source = LoopedVideo(video, seconds / args.speed, args.speed)
    with tempfile.TemporaryDirectory(prefix="coach-soak-") as tmp:
        ws = Workspace(Path(tmp))
        ws.recordings.mkdir()
        techniques = session_techniques(find_workspace(None), "same_side_wrist_grab", None)
        display = (HeadlessVideo(Path(tmp) / "soak.mp4", source.info.fps, source.info.size)
                   if args.headless else DroppingDisplay())
        keys = tuple((k * KEY_EVERY_S / args.speed, " ")
                     for k in range(1, int(seconds / KEY_EVERY_S)))
        sampler = Sampler(source, ws.recordings, args.sample_s, OUT / "soak.csv")
        sampler.start()
        started = time.monotonic()
        result = run_live(ws, source, display, techniques, exit_side="left", keys=keys,
                          sound_on=False, realtime=True)
        wall = time.monotonic() - started
        sampler.stop()  # (a sample now would see the session's workers already gone)
        samples = sampler.samples
    load_after = os.getloadavg()
    # times in stream seconds of the compressed stream -> stream time of the real video
    for s in samples:
        s.stream_s *= args.speed
    print(f"soak: {args.minutes:g} min of stream time at {args.speed:g}x real time in "
          f"{wall / 60:.1f} min wall; {result.stats.frames_processed} frames processed, "
          f"{result.stats.frames_dropped} dropped; {len(result.attempts)} attempts saved, "
          f"{len(result.cards)} score cards")
    print(f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} "
          f"(1 min; {os.cpu_count()} cores, shared)")
    print(f"written: {OUT / 'soak.csv'}")
    print()
    report(samples, args.minutes, args.speed)


def read_samples(path: Path) -> list[Sample]:
    """The samples of an earlier run's ``soak.csv``."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = Sample.__dataclass_fields__
    return [Sample(**{k: (int(v) if fields[k].type == "int" else float(v))
                      for k, v in row.items()}) for row in rows]


def report(samples: list[Sample], minutes: float, speed: float) -> None:
    """The table, the summary against the targets and the picture."""
    base_lo, base_hi = WARM_UP_S
    end = max(s.stream_s for s in samples)
    print(f"{'stream':>6} {'coach':>6} {'judge':>6} {'other':>6} {'total':>6} {'vs':>6} "
          f"{'RSS':>6} {'PSS':>6} {'fds':>4} {'thr':>4} {'att':>4}")
    print(f"{'min':>6} {'RSS':>6} {'priv.':>6} {'priv.':>6} {'':>6} {'base':>6} "
          f"{'sum':>6} {'sum':>6}")
    base = _window(samples, base_lo, base_hi, "total")
    shown = -1
    for s in samples:
        minute = int(s.stream_s // 300) * 5
        if minute != shown or s is samples[-1]:
            shown = minute
            print(f"{s.stream_s / 60:>6.1f} {s.rss_mib:>6.1f} {s.judge_uss_mib:>6.1f} "
                  f"{s.children_uss_mib - s.judge_uss_mib:>6.1f} {s.total:>6.1f} "
                  f"{s.total - base:>+6.1f} {s.total_rss:>6.1f} {s.total_pss:>6.1f} "
                  f"{s.open_files:>4d} {s.threads:>4d} {s.attempts:>4d}")
    print()
    last = (end - 60.0, end + 1.0)
    for label, field in (("coach process RSS", "rss_mib"),
                         ("judge worker private", "judge_uss_mib"),
                         ("session (the measure)", "total"), ("RSS sum", "total_rss"),
                         ("PSS sum", "total_pss")):
        grew = _window(samples, *last, field) - _window(samples, base_lo, base_hi, field)
        peak = max(getattr(s, field) for s in samples)
        print(f"{label:>22}: growth after warm-up {grew:+6.1f} MiB, peak {peak:6.1f} MiB")
    growth = _window(samples, *last, "total") - base
    peak_total = max(s.total for s in samples)
    grew_ok = "met" if growth < TARGET_GROWTH_MIB else "NOT met"
    peak_ok = "met" if peak_total < TARGET_PEAK_MIB else "NOT met"
    print(f"targets, on the session's memory (coach RSS + children's private pages): growth "
          f"(median of the last minute - median of minutes 2-3) {growth:+.1f} MiB < "
          f"{TARGET_GROWTH_MIB:g}: {grew_ok}; peak {peak_total:.1f} MiB < {TARGET_PEAK_MIB:g}: "
          f"{peak_ok}")
    fds = [s.open_files for s in samples if s.stream_s >= base_lo]
    print(f"open files after warm-up: {min(fds) if fds else 0}-{max(fds) if fds else 0}")
    title = (f"Live session soak: {minutes:g} min stream ({speed:g}x); session memory: "
             f"growth {growth:+.1f} MiB, peak {peak_total:.0f} MiB")
    plot(samples, OUT / "soak.png", title)
    print(f"written: {OUT / 'soak.png'}")


if __name__ == "__main__":
    main()
