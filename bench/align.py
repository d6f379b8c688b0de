"""Alignment benchmark: vectorised DTW, streaming step and DBA against loop baselines.

Run: ``python bench/align.py [--repeats N]``. Each case is timed side by side with its baseline
in the same run (alternating), repeated, and the medians reported with their ratio and the
architecture's target. The streaming step is timed frame by frame (the aligner is built
outside the timing), so its median and p95 are over single steps; the other cases are timed
per run. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment import StreamingAligner, cost_matrix, dba, dtw, dtw_loop
from coach.analysis.alignment.cost import ReferenceCost
from coach.analysis.alignment.spring import SpringColumn, spring_column_loop

N_FEATURES = 20


@dataclass(frozen=True)
class Row:
    case: str
    fast_ms: float
    fast_p95_ms: float
    fast_best_ms: float
    baseline_ms: float
    target_ms: float | None


def run_ms(fn: Callable[[], object], per: int = 1) -> float:
    """Wall time in ms of one call of ``fn``, divided by ``per`` (calls it makes)."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3 / per


def summary(samples: list[float], runs: list[float]) -> tuple[float, float, float]:
    """(median, p95, best run) in ms: quantiles over ``samples``, the lowest of ``runs``."""
    return statistics.median(samples), float(np.percentile(samples, 95)), min(runs)


def side_by_side(
    fast: Callable[[], list[float]], slow: Callable[[], object], repeats: int, per: int = 1
) -> tuple[float, float, float, float]:
    """Alternate fast and baseline runs so both see the same machine load.

    ``fast`` returns its own samples in ms (one per run, or one per step). Returns (fast
    median, fast p95, fast best run's median, baseline median) in ms; the best run shows the
    cost without interference from other processes on a shared machine.
    """
    fast_samples: list[float] = []
    fast_runs, slow_runs = [], []
    fast()  # warm-up (imports, BLAS threads, caches)
    for _ in range(repeats):
        samples = fast()
        fast_samples += samples
        fast_runs.append(statistics.median(samples))
        slow_runs.append(run_ms(slow, per))
    return *summary(fast_samples, fast_runs), statistics.median(slow_runs)


def per_run(fn: Callable[[], object]) -> Callable[[], list[float]]:
    """``fn`` timed as one sample per run."""
    return lambda: [run_ms(fn)]


def movement(n: int, seed: int) -> np.ndarray:
    """(n, 20) smooth random movement with a little noise."""
    rng = np.random.default_rng(seed)
    u = np.linspace(0, 1, n)[:, None]
    k = rng.uniform(0.5, 3.0, N_FEATURES)
    phase = rng.uniform(0, 2 * np.pi, N_FEATURES)
    return np.sin(2 * np.pi * k * u + phase) + rng.normal(0, 0.05, (n, N_FEATURES))


def bench_dtw(repeats: int) -> Row:
    x, y = movement(300, 1), movement(300, 2)
    times = side_by_side(per_run(lambda: dtw(x, y)), lambda: dtw_loop(cost_matrix(x, y)), repeats)
    return Row("DTW with path, 300 x 300 frames, 20 features", *times, 10.0)


def bench_streaming(repeats: int, n_reference: int) -> Row:
    reference = movement(n_reference, 3)
    stream = movement(200, 4)
    phases = np.zeros(n_reference, dtype=int)
    ref_t = np.arange(n_reference) / 30.0
    costs = ReferenceCost(reference)

    def fast() -> list[float]:
        aligner = StreamingAligner(reference, phases, ref_t)
        clock, out = time.perf_counter, []
        for i, frame in enumerate(stream):
            t0 = clock()
            aligner.step(i / 30.0, frame)
            out.append((clock() - t0) * 1e3)
        return out

    def slow() -> None:
        column = SpringColumn.empty(n_reference)
        for i, frame in enumerate(stream):
            column = spring_column_loop(column, costs(frame), i / 30.0, 3)

    times = side_by_side(fast, slow, repeats, per=len(stream))
    return Row(f"streaming step, reference {n_reference} frames", *times, 0.1)


def bench_dba(repeats: int) -> Row:
    demos = [movement(n, 10 + k) for k, n in enumerate((90, 100, 110, 95, 105))]

    def fast() -> None:
        dba(demos, n_iter=5, init=0, tol=0.0)

    def slow() -> None:
        dba(demos, n_iter=5, init=0, tol=0.0, dtw_impl=dtw_loop)

    times = side_by_side(per_run(fast), slow, max(3, repeats // 2))
    return Row("DBA, 5 demos of 90-110 frames, 5 iterations", *times, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rows = [
        bench_dtw(args.repeats),
        bench_streaming(args.repeats, 150),
        bench_streaming(args.repeats, 300),
        bench_dba(args.repeats),
    ]
    print(f"{args.repeats} runs; best = fastest run; loop = same algorithm in Python")
    print("streaming step: median, p95 and each run's median over single steps")
    header = (
        f"{'case':<46} {'numpy ms':>9} {'p95 ms':>8} {'best ms':>8} {'loop ms':>9} "
        f"{'ratio':>7} {'target ms':>9}  met"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        target = "" if r.target_ms is None else f"{r.target_ms:.3g}"
        met = "" if r.target_ms is None else ("met" if r.fast_ms <= r.target_ms else "NOT met")
        print(
            f"{r.case:<46} {r.fast_ms:>9.4f} {r.fast_p95_ms:>8.4f} {r.fast_best_ms:>8.4f} "
            f"{r.baseline_ms:>9.3f} {r.baseline_ms / r.fast_ms:>6.1f}x {target:>9}  {met}"
        )
    print("ratio = loop median / numpy median; 'met' compares the numpy median with the target")


if __name__ == "__main__":
    main()
