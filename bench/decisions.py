"""Every decision the engine makes on the evaluation sets, to compare between machines.

A verdict must not depend on the CPU: the same attempt on two laptops (two BLAS kernels, two
sets of SIMD paths in numpy) must get the same criterion statuses, the same live cues and the
same event times. This script writes one JSON fingerprint of every decision; run it once per
kernel, each in its own process, then compare:

    OPENBLAS_CORETYPE=Haswell  python bench/decisions.py dump haswell.json
    OPENBLAS_CORETYPE=SkylakeX python bench/decisions.py dump skylakex.json
    python bench/decisions.py compare haswell.json skylakex.json

``dump`` covers the quality evaluation (``--per-case`` attempts per technique and fault, seed
``--quality-seed``) and the live agreement set (one attempt per case for each of
``--live-seeds``): card statuses and values, timings, and the live cues with their times.
``compare`` counts attempts whose statuses, cues or event times (beyond one frame) differ, and
prints the unbacked-cue rate of each file.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_info

from coach.scoring.live import LiveScorer
from coach.scoring.offline import references_for, score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.synth.evaluation import (
    CORRECT,
    applicable_faults,
    evaluate,
    evaluation_attempt,
    variations,
)
from coach.technique.library import list_techniques
from coach.technique.model import Technique

FRAME_S = 1 / 30


def _card(card: ScoreCard) -> dict[str, Any]:
    t = card.timings
    return {
        "side": card.side,
        "criteria": [[c.kind, c.label, c.status, c.value] for c in card.criteria],
        "timings": [t.reaction_s, t.release_s, t.safe_distance_s],
    }


def _live_case(job: tuple[Technique, str, int]) -> list[dict[str, Any]]:
    """Every live attempt of one (technique, fault) case at one seed: cues and card."""
    technique, fault, seed = job
    refs = references_for(technique)
    out = []
    for i, v in enumerate(variations(1, seed=seed)):
        attempt, seq = evaluation_attempt(technique, fault, v)
        t0, scene = attempt.events.t0_s, attempt.scene
        live = LiveScorer(technique.on_side(v.side), scene, refs[v.side], seq.source_size)
        live.start(t0)
        during = []
        for k in range(len(seq)):
            fb = live.step(seq.t[k], seq.image[k], seq.world[k], seq.visibility[k])
            if fb.new_cue and fb.cue is not None:
                during.append([fb.cue.check_kind, fb.cue.text, fb.cue.t])
        offline = score_sequence(seq, technique, v.side, t0, scene, refs)
        failed = sorted({c.kind for c in offline.failed()})
        out.append({
            "key": f"live/{seed}/{technique.id}/{fault}/{i}",
            "cues": during,
            "unbacked": sorted({k for k, _, _ in during} - set(failed)),
            **_card(offline),
        })
    return out


def dump(path: Path, per_case: int, quality_seed: int, live_seeds: list[int]) -> None:
    techniques = list_techniques(None)
    print("BLAS:", [(i["internal_api"], i.get("architecture")) for i in threadpool_info()])
    rows = [
        {"key": f"quality/{o.technique_id}/{o.fault}/{i % per_case}", **_card(o.card)}
        for i, o in enumerate(evaluate(techniques, per_case, seed=quality_seed, workers=2))
    ]
    jobs = [
        (technique, fault, seed)
        for seed in live_seeds
        for technique in techniques
        for fault in [CORRECT, *applicable_faults(technique)]
    ]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for chunk in pool.map(_live_case, jobs):
            rows += chunk
    path.write_text(json.dumps(rows))
    print(f"{len(rows)} attempts -> {path}")


def _statuses(row: dict[str, Any]) -> list[Any]:
    return [(k, label, s) for k, label, s, _ in row["criteria"]]


def _times_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for x, y in zip(a["timings"], b["timings"], strict=True):
        if (x is None) != (y is None) or (x is not None and abs(x - y) > FRAME_S + 1e-9):
            return True
    return False


def compare(path_a: Path, path_b: Path) -> int:
    a = {r["key"]: r for r in json.loads(path_a.read_text())}
    b = {r["key"]: r for r in json.loads(path_b.read_text())}
    common = sorted(set(a) & set(b))
    status = [
        k for k in common if _statuses(a[k]) != _statuses(b[k]) or a[k]["side"] != b[k]["side"]
    ]
    times = [k for k in common if _times_differ(a[k], b[k])]
    live = [k for k in common if k.startswith("live/")]
    cues = [k for k in live if [c[:2] for c in a[k]["cues"]] != [c[:2] for c in b[k]["cues"]]]
    cue_times = [
        k
        for k in live
        if k not in cues
        and any(
            abs(x[2] - y[2]) > FRAME_S + 1e-9
            for x, y in zip(a[k]["cues"], b[k]["cues"], strict=True)
        )
    ]
    values = [k for k in common if k not in status and a[k]["criteria"] != b[k]["criteria"]]
    print(f"attempts compared: {len(common)} ({len(live)} live)")
    print(f"  a criterion status (or the side) differs: {len(status)}")
    print(f"  a cue differs:                          {len(cues)}")
    print(f"  a cue time differs by > 1 frame:        {len(cue_times)}")
    print(f"  an event time differs by > 1 frame:     {len(times)}")
    print(f"  only values differ (same statuses):     {len(values)}")
    for k in (status + cues + cue_times + times)[:40]:
        print("   ", k)
    for name, rows in ((path_a, a), (path_b, b)):
        by_seed: dict[str, list[bool]] = {}
        for k in live:
            by_seed.setdefault(k.split("/")[1], []).append(bool(rows[k]["unbacked"]))
        rates = {s: f"{sum(v)}/{len(v)}" for s, v in sorted(by_seed.items())}
        print(f"unbacked live cues in {name}: {rates}")
    return 1 if status or cues or cue_times or times else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--per-case", type=int, default=10)
    d.add_argument("--quality-seed", type=int, default=0)
    d.add_argument("--live-seeds", type=int, nargs="+", default=[3, 4, 5, 6, 7])
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.out, args.per_case, args.quality_seed, args.live_seeds)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
