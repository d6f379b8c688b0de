"""Frame-to-frame distances between feature matrices, with unassessable (NaN) features.

A feature is NaN when it cannot be assessed in that frame (joint hidden, visibility < 0.5).
The distance between two frames uses only the features valid in both, weighted, and averages
over them, so a frame with fewer valid features is not made to look closer:

    rms(x, y) = sqrt( sum_f w_f m_f (x_f - y_f)^2 / sum_f w_f m_f ),   m_f = both finite

A pair of frames with no shared valid feature has no evidence either way. It gets a neutral
cost: the mean of the valid costs of the same matrix (0 when there are none). That makes an
unknown pair cost what a typical pair costs, so an alignment neither detours through unknown
frames (as a cost of 0 would invite) nor avoids them (as a large cost would).

All sums are matrix products, so a 300 x 300 matrix of 20 features takes tens of microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np


def _as_features(name: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"{name}: expected (frames, features), got shape {x.shape}")
    return x


def _weights(weights: np.ndarray | None, n_features: int) -> np.ndarray:
    if weights is None:
        return np.ones(n_features)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n_features,) or np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError(f"weights: expected ({n_features},) finite and >= 0, got {w.shape}")
    return w


def mean_square_cost(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """(N, M) weighted mean squared difference over the features valid in both frames.

    Pairs with no shared valid feature are NaN here; see ``cost_matrix`` for the neutral fill.
    """
    x = _as_features("x", x)
    y = _as_features("y", y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y: feature counts differ, {x.shape[1]} vs {y.shape[1]}")
    w = _weights(weights, x.shape[1])
    mx, my = np.isfinite(x), np.isfinite(y)
    if mx.all() and my.all():
        wx = x * w
        out = wx @ y.T
        out *= -2.0
        out += (wx * x).sum(axis=1)[:, None]
        out += ((y * y) @ w)[None, :]
        np.maximum(out, 0.0, out=out)
        total = float(w.sum())
        if total > 0:
            out /= total
        else:
            out[:] = np.nan
        return out
    x0, y0 = np.where(mx, x, 0.0), np.where(my, y, 0.0)
    wmx = mx * w
    num = (x0 * x0 * w) @ my.T - 2.0 * (x0 * w) @ y0.T + wmx @ (y0 * y0).T
    den = wmx @ my.T.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.maximum(num, 0.0) / den
    out[den <= 0] = np.nan
    return out


def rms_cost(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(N, M) weighted root-mean-square difference over the features valid in both frames."""
    out = mean_square_cost(x, y, weights)
    return np.sqrt(out, out=out)


DISTANCES: Mapping[str, Callable[[np.ndarray, np.ndarray, np.ndarray | None], np.ndarray]] = (
    MappingProxyType({"rms": rms_cost, "mean_square": mean_square_cost})
)
"""Frame distances by name: ``f(x (N, F), y (M, F), weights (F,) | None) -> (N, M)``."""


def get_distance(
    name: str,
) -> Callable[[np.ndarray, np.ndarray, np.ndarray | None], np.ndarray]:
    """The frame distance registered under ``name``; an unknown name lists the valid ones."""
    try:
        return DISTANCES[name]
    except KeyError:
        raise KeyError(f"unknown distance {name!r}; valid names: {', '.join(DISTANCES)}") from None


def fill_neutral(cost: np.ndarray) -> np.ndarray:
    """Replace NaN (no shared valid feature) by the mean of the finite costs, 0 if none.

    Returns ``cost`` itself when it has no NaN, else a filled copy.
    """
    bad = np.isnan(cost)
    if not bad.any():
        return cost
    cost = np.array(cost, dtype=np.float64, copy=True)
    finite = cost[~bad]
    cost[bad] = float(finite.mean()) if finite.size else 0.0
    return cost


def cost_matrix(
    x: np.ndarray,
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    distance: str = "rms",
) -> np.ndarray:
    """(N, M) distances between the frames of ``x`` (N, F) and ``y`` (M, F), NaN-aware.

    Pairs without a shared valid feature get the neutral cost (see the module docstring).
    """
    return fill_neutral(get_distance(distance)(x, y, weights))


class ReferenceCost:
    """Distances from one live frame to every frame of a fixed reference, precomputed.

    The same formula as ``mean_square_cost`` / ``rms_cost`` with the reference side of the
    sums prepared once, so a frame costs four matrix-vector products.
    """

    def __init__(
        self, reference: np.ndarray, *, weights: np.ndarray | None = None, distance: str = "rms"
    ) -> None:
        ref = _as_features("reference", reference)
        get_distance(distance)
        self._root = distance == "rms"
        self._w = _weights(weights, ref.shape[1])
        valid = np.isfinite(ref)
        self._ref0 = np.where(valid, ref, 0.0)
        self._ref_sq = self._ref0 * self._ref0
        self._valid = valid.astype(np.float64)
        # Fast path for a finite frame against a finite reference: one matrix-vector product.
        self._complete = bool(valid.all()) and float(self._w.sum()) > 0
        self._minus_2ref = -2.0 * self._ref0
        self._ref_sq_w = self._ref_sq @ self._w
        self._inv_w_sum = 1.0 / float(self._w.sum()) if self._complete else 0.0
        self._w_positive = bool(np.all(self._w > 0))
        self._wx = np.empty(ref.shape[1])
        # Full arrays rather than scalars: an in-place call with a Python scalar costs more.
        self._zeros = np.zeros(ref.shape[0])
        self._inv_w_sums = np.full(ref.shape[0], self._inv_w_sum)

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """(L,) costs of one frame's features (F,); neutral fill where nothing is shared."""
        out = self.frame(features, np.empty(self._ref0.shape[0]))
        return np.zeros(self._ref0.shape[0]) if out is None else out

    def frame(self, features: np.ndarray, out: np.ndarray) -> np.ndarray | None:
        """Costs of one frame (F,) written into ``out`` (L,) when possible; None when the frame
        has no valid feature at all, which the live aligner skips (``__call__`` gives 0s).

        The hot path of the live aligner: a finite frame against a finite reference costs one
        matrix-vector product and a few in-place calls. The weighted square sum of the frame,
        needed anyway, is NaN or inf when some feature is (or it overflows), so it doubles as
        the check.
        """
        x = np.asarray(features, dtype=np.float64)
        # A zero weight times an infinite feature would warn: check such frames first.
        if self._complete and (self._w_positive or np.isfinite(x).all()):
            wx = np.multiply(self._w, x, out=self._wx)
            sq = float(wx @ x)
            if math.isfinite(sq) or np.isfinite(x).all():
                np.matmul(self._minus_2ref, wx, out=out)
                out += self._ref_sq_w
                out += sq
                np.maximum(out, self._zeros, out=out)
                out *= self._inv_w_sums
                return np.sqrt(out, out=out) if self._root else out
        valid = np.isfinite(x)
        if not valid.any():
            return None
        filled = fill_neutral(self._partial(x, valid))
        return np.sqrt(filled, out=filled) if self._root else filled

    def _partial(self, x: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Mean squares when the frame or the reference has unassessable features."""
        wv = self._w * valid
        x0 = np.where(valid, x, 0.0)
        wx = wv * x0
        num = self._ref_sq @ wv
        num += self._minus_2ref @ wx
        num += self._valid @ (wx * x0)
        den = self._valid @ wv
        np.maximum(num, 0.0, out=num)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = num / den
        out[den <= 0] = np.nan
        return out
