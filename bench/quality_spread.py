"""The quality evaluation's rows over several seeds: how far each rate moves from seed to seed.

``tests/test_quality.py`` holds one seed to a baseline and every row to its target; this shows
the spread a bound must leave room for. Run it under each BLAS kernel in its own command
(``OPENBLAS_CORETYPE=Haswell python bench/quality_spread.py``): the rows must be the same.

    python bench/quality_spread.py [--seeds 0 1 2 3 4] [--per-case 10]
"""

from __future__ import annotations

import argparse

from threadpoolctl import threadpool_info

from coach.synth.evaluation import evaluate
from coach.synth.quality_report import meets_target, report
from coach.technique.library import list_techniques


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--per-case", type=int, default=10)
    args = parser.parse_args()
    print("BLAS:", sorted({str(i.get("architecture")) for i in threadpool_info()}))
    table: dict[str, list[tuple[float, int, bool]]] = {}
    for seed in args.seeds:
        rows = report(evaluate(list_techniques(None), args.per_case, seed=seed, workers=2))
        for r in rows:
            table.setdefault(r.case, []).append((r.rate, r.borderline, meets_target(r)))
    seeds = " ".join(f"{s:>6}" for s in args.seeds)
    print(f"{'case':<22} {seeds}    min    max  every seed meets its target")
    for case, values in sorted(table.items()):
        rates = [v[0] for v in values]
        cells = " ".join(f"{x:6.3f}" for x in rates)
        ok = "yes" if all(v[2] for v in values) else "NO"
        print(f"{case:<22} {cells} {min(rates):6.3f} {max(rates):6.3f}  {ok}")


if __name__ == "__main__":
    main()
