"""Frame-to-frame distances between feature matrices, with unassessable (NaN) features.

A feature is NaN when it cannot be assessed in that frame (joint hidden, visibility < 0.5).
The distance between two frames uses only the features valid in both, weighted, and averages
over them, so a frame with fewer valid features is not made to look closer:

    rms(x, y) = sqrt( sum_f w_f m_f (x_f - y_f)^2 / sum_f w_f m_f ),   m_f = both finite

A pair of frames with no shared valid feature has no evidence either way. It gets a neutral
cost: the mean of the valid costs of the same matrix (0 when there are none). That makes an
unknown pair cost what a typical pair costs, so an alignment neither detours through unknown
frames (as a cost of 0 would invite) nor avoids them (as a large cost would).

The same costs on every machine. An alignment's path, and so every phase edge and verdict,
is decided by comparing sums of costs, and a reference that holds still has many identical
frames whose costs tie exactly. Two habits keep those ties exact, so the tie rule of the
aligner decides them and not the last bits of the arithmetic:

- the squares are summed term by term (``scipy.spatial.distance.cdist``, or numpy element
  by element), never by the expansion |x|^2 - 2 x.y + |y|^2 through BLAS: the expansion
  cancels near zero (a true 0 comes out as +-1e-16, then 1e-8 after the square root) and its
  last bits depend on the BLAS kernel's blocking, so identical reference frames got costs a
  bit apart, and which of them won differed between an AVX2 and an AVX-512 laptop;
- every cost is rounded to a grid of ``2**-COST_GRID_BITS`` (about 2e-10), a dyadic grid on
  which sums along any path are exact, so two paths over the same costs in another order tie
  exactly. A perturbation of an input by its last bit moves a cost across a grid line with
  a probability of about 1e-6, and then only matters where two paths were within one grid
  step of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
from scipy.spatial.distance import cdist

COST_GRID_BITS = 32
"""Costs are multiples of 2**-32: exact sums up to 2**21 (a path of 1e6 frames at cost 2)."""
_GRID = float(2**COST_GRID_BITS)


def on_grid(cost: np.ndarray) -> np.ndarray:
    """``cost`` rounded, in place, to the nearest multiple of 2**-COST_GRID_BITS."""
    cost *= _GRID
    np.rint(cost, out=cost)
    cost /= _GRID
    return cost


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
    Not yet on the grid (``cost_matrix`` puts it there).
    """
    x = _as_features("x", x)
    y = _as_features("y", y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y: feature counts differ, {x.shape[1]} vs {y.shape[1]}")
    w = _weights(weights, x.shape[1])
    total = float(w.sum())
    if np.isfinite(x).all() and np.isfinite(y).all():
        if total <= 0:
            return np.full((len(x), len(y)), np.nan)
        out = cdist(x, y, "sqeuclidean", w=w)
        out /= total
        return out
    num = np.zeros((len(x), len(y)))
    den = np.zeros((len(x), len(y)))
    for f in np.flatnonzero(w > 0):
        with np.errstate(invalid="ignore"):  # inf - inf: unassessable like NaN
            d = np.subtract.outer(x[:, f], y[:, f])
        valid = np.isfinite(d)
        d[~valid] = 0.0
        d *= d
        d *= w[f]
        num += d
        den += valid * w[f]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
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
    """(N, M) distances between the frames of ``x`` (N, F) and ``y`` (M, F), NaN-aware, on
    the cost grid.

    Pairs without a shared valid feature get the neutral cost (see the module docstring).
    """
    return on_grid(fill_neutral(get_distance(distance)(x, y, weights)))


class ReferenceCost:
    """Distances from one live frame to every frame of a fixed reference, on the cost grid.

    The same formula as ``cost_matrix``, summed term by term into buffers allocated once.
    """

    def __init__(
        self, reference: np.ndarray, *, weights: np.ndarray | None = None, distance: str = "rms"
    ) -> None:
        self._ref = _as_features("reference", reference)
        get_distance(distance)
        self._distance = distance
        self._root = distance == "rms"
        self._w = _weights(weights, self._ref.shape[1])
        self._w_total = float(self._w.sum())
        # Fast path for a finite frame against a finite reference.
        self._complete = bool(np.isfinite(self._ref).all()) and self._w_total > 0
        self._diff = np.empty(self._ref.shape)

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """(L,) costs of one frame's features (F,); neutral fill where nothing is shared."""
        out = self.frame(features, np.empty(self._ref.shape[0]))
        return np.zeros(self._ref.shape[0]) if out is None else out

    def frame(self, features: np.ndarray, out: np.ndarray) -> np.ndarray | None:
        """Costs of one frame (F,) written into ``out`` (L,) when possible; None when the frame
        has no valid feature at all, which the live aligner skips (``__call__`` gives 0s).

        The hot path of the live aligner: a finite frame against a finite reference costs a
        handful of in-place calls on (L, F) buffers.
        """
        x = np.asarray(features, dtype=np.float64)
        if self._complete and np.isfinite(x).all():
            d = np.subtract(self._ref, x, out=self._diff)
            d *= d
            d *= self._w
            d.sum(axis=1, out=out)
            out /= self._w_total
            if self._root:
                np.sqrt(out, out=out)
            return on_grid(out)
        if not np.isfinite(x).any():
            return None
        return cost_matrix(x[None], self._ref, weights=self._w, distance=self._distance)[0]
