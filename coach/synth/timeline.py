"""An editable reference timeline: keyframes as full postures plus phase times.

Faults and speed changes act on this (insert a hold, stretch a stretch of time, rewrite
postures) before it is rendered, so phase windows and events move with the movement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from coach.bodymodel.interpolation import interpolate
from coach.technique.model import Keyframe, Technique


@dataclass(frozen=True)
class Timeline:
    """times (K,), postures (one full dict per keyframe), phase spans, t0 and release (s).

    ref_times: for every keyframe, the time in the technique's own reference it stands for
    (unchanged by speed changes; an inserted hold repeats it). It is the ground truth of where
    in the reference each moment of an attempt is.
    """

    times: tuple[float, ...]
    postures: tuple[dict[str, float], ...]
    spans: tuple[tuple[float, float], ...]
    t0_s: float
    release_s: float
    ref_times: tuple[float, ...]

    def reference_time(self, t: np.ndarray) -> np.ndarray:
        """(T,) reference time matching each attempt time ``t``."""
        return np.interp(t, self.times, self.ref_times)

    @classmethod
    def of(cls, technique: Technique) -> Timeline:
        t = np.array([k.t_s for k in technique.keyframes])
        tracks = interpolate(technique.keyframes, t)
        postures = tuple({n: float(v[i]) for n, v in tracks.items()} for i in range(len(t)))
        return cls(
            tuple(float(x) for x in t),
            postures,
            technique.phase_times(),
            technique.t0_s,
            technique.release_s,
            tuple(float(x) for x in t),
        )

    @property
    def duration_s(self) -> float:
        return self.spans[-1][1]

    def keyframes(self) -> tuple[Keyframe, ...]:
        return tuple(
            Keyframe(t, tuple(sorted(p.items())))
            for t, p in zip(self.times, self.postures, strict=True)
        )

    def posture_at(self, t: float) -> dict[str, float]:
        tracks = interpolate(self.keyframes(), np.array([t]))
        return {n: float(v[0]) for n, v in tracks.items()}

    def with_key_at(self, t: float) -> Timeline:
        """The same movement with a keyframe exactly at ``t`` (no change in shape there)."""
        if any(abs(k - t) < 1e-9 for k in self.times):
            return self
        pose = self.posture_at(t)
        i = int(np.searchsorted(self.times, t))
        ref = float(self.reference_time(np.array([t]))[0])
        return replace(
            self,
            times=(*self.times[:i], t, *self.times[i:]),
            postures=(*self.postures[:i], pose, *self.postures[i:]),
            ref_times=(*self.ref_times[:i], ref, *self.ref_times[i:]),
        )

    def key_index(self, t: float) -> int:
        """Index of the keyframe at ``t`` (within 1e-9 s); ValueError if there is none."""
        for i, k in enumerate(self.times):
            if abs(k - t) < 1e-9:
                return i
        raise ValueError(f"no keyframe at {t} s")

    def remap(self, fn: Callable[[float], float]) -> Timeline:
        """Every time (keys, phase bounds, events) through a non-decreasing map."""
        return replace(
            self,
            times=tuple(fn(t) for t in self.times),
            spans=tuple((fn(s), fn(e)) for s, e in self.spans),
            t0_s=fn(self.t0_s),
            release_s=fn(self.release_s),
        )

    def insert_hold(self, at_s: float, hold_s: float) -> Timeline:
        """Stand still for ``hold_s`` at ``at_s``; everything after moves later."""
        base = self.with_key_at(at_s)
        i = base.key_index(at_s)
        times = (*base.times[: i + 1], at_s + hold_s, *(t + hold_s for t in base.times[i + 1 :]))
        postures = (*base.postures[: i + 1], dict(base.postures[i]), *base.postures[i + 1 :])
        refs = (*base.ref_times[: i + 1], base.ref_times[i], *base.ref_times[i + 1 :])
        shift = lambda t: t if t <= at_s else t + hold_s  # noqa: E731
        return replace(
            base,
            times=times,
            postures=postures,
            ref_times=refs,
            spans=tuple((shift(s), shift(e)) for s, e in base.spans),
            release_s=shift(base.release_s),
            t0_s=base.t0_s,
        )

    def stretch(self, start_s: float, end_s: float, factor: float) -> Timeline:
        """Play the stretch from ``start_s`` to ``end_s`` ``factor`` times slower."""
        base = self.with_key_at(start_s).with_key_at(end_s)
        extra = (end_s - start_s) * (factor - 1.0)

        def fn(t: float) -> float:
            if t <= start_s:
                return t
            if t <= end_s:
                return start_s + (t - start_s) * factor
            return t + extra

        return base.remap(fn)

    def edit(self, fn: Callable[[float, dict[str, float]], dict[str, float]]) -> Timeline:
        """Rewrite every keyframe posture with ``fn(time, posture) -> posture``."""
        return replace(
            self,
            postures=tuple(fn(t, dict(p)) for t, p in zip(self.times, self.postures, strict=True)),
        )
