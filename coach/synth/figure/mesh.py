"""Quad meshes for the rendered figures: ellipsoids, tapered tubes and lofted cross-sections.

A mesh is a soup of quads, each with a colour and a point inside the solid it bounds (so the
painter can orient its normal outward without caring about winding). Parts are built in
scene coordinates (metres, Y up) and joined into one mesh per frame, then drawn back to front.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mesh:
    """quads (F, 4, 3) corner points; colours (F, 3) BGR 0-255; inside (F, 3) a point inside
    the solid each quad bounds; shine (F,) specular strength (0 matte cloth, skin a little)."""

    quads: np.ndarray
    colours: np.ndarray
    inside: np.ndarray
    shine: np.ndarray

    def __post_init__(self) -> None:
        f = len(self.quads)
        if self.quads.shape != (f, 4, 3):
            raise ValueError(f"quads: expected (F, 4, 3), got {self.quads.shape}")
        for name, arr, shape in (
            ("colours", self.colours, (f, 3)),
            ("inside", self.inside, (f, 3)),
            ("shine", self.shine, (f,)),
        ):
            if arr.shape != shape:
                raise ValueError(f"{name}: expected {shape}, got {arr.shape}")

    @staticmethod
    def join(parts: list[Mesh]) -> Mesh:
        return Mesh(
            np.concatenate([p.quads for p in parts]),
            np.concatenate([p.colours for p in parts]),
            np.concatenate([p.inside for p in parts]),
            np.concatenate([p.shine for p in parts]),
        )


def _grid_quads(grid: np.ndarray, wrap_u: bool) -> np.ndarray:
    """(V, U, 3) grid of points -> (F, 4, 3) quads between neighbouring rows and columns."""
    if wrap_u:
        grid = np.concatenate([grid, grid[:, :1]], axis=1)
    a, b = grid[:-1, :-1], grid[:-1, 1:]
    c, d = grid[1:, 1:], grid[1:, :-1]
    return np.stack([a, b, c, d], axis=2).reshape(-1, 4, 3)


def _paint(quads: np.ndarray, colour: np.ndarray, inside: np.ndarray, shine: float) -> Mesh:
    f = len(quads)
    colours = np.broadcast_to(np.asarray(colour, dtype=np.float64), (f, 3)).copy()
    inside = np.broadcast_to(inside, (f, 3)).copy()
    return Mesh(quads, colours, inside, np.full(f, shine))


def ellipsoid(
    centre: np.ndarray,
    axes: np.ndarray,
    colour: tuple[float, float, float],
    rings: int = 8,
    segments: int = 12,
    shine: float = 0.0,
) -> Mesh:
    """An ellipsoid: ``axes`` (3, 3) holds its three semi-axes as columns (scaled directions)."""
    return ellipsoid_grid(centre, axes, rings, segments).painted(colour, shine)


@dataclass(frozen=True)
class EllipsoidGrid:
    """An ellipsoid's quads before colouring, with each quad's direction in its own frame
    (unit sphere coordinates), so a head can colour its face and hair by region."""

    quads: np.ndarray
    local: np.ndarray
    centre: np.ndarray

    def painted(self, colour: tuple[float, float, float], shine: float = 0.0) -> Mesh:
        return _paint(self.quads, np.asarray(colour), self.centre, shine)


def ellipsoid_grid(
    centre: np.ndarray, axes: np.ndarray, rings: int, segments: int
) -> EllipsoidGrid:
    """The quads of an ellipsoid (see ``ellipsoid``) and their unit-sphere directions."""
    polar = np.linspace(0.0, np.pi, rings + 1)
    azim = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    unit = np.stack(
        [
            np.sin(polar)[:, None] * np.cos(azim)[None, :],
            np.cos(polar)[:, None] * np.ones_like(azim)[None, :],
            np.sin(polar)[:, None] * np.sin(azim)[None, :],
        ],
        axis=-1,
    )
    grid = centre + unit @ axes.T
    quads = _grid_quads(grid, wrap_u=True)
    local = _grid_quads(unit, wrap_u=True).mean(axis=1)
    local = local / np.linalg.norm(local, axis=1, keepdims=True)
    return EllipsoidGrid(quads, local, np.asarray(centre, dtype=np.float64))


def _perpendiculars(axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors perpendicular to ``axis`` and to each other."""
    helper = np.array([0.0, 0.0, 1.0]) if abs(axis[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(axis, helper)
    u = u / np.linalg.norm(u)
    return u, np.cross(axis, u)


def tube(
    start: np.ndarray,
    end: np.ndarray,
    r_start: float,
    r_end: float,
    colour: tuple[float, float, float],
    segments: int = 10,
    shine: float = 0.0,
) -> Mesh:
    """An open tapered tube (a truncated cone) from ``start`` to ``end``; joints close it."""
    axis = end - start
    length = float(np.linalg.norm(axis))
    if length < 1e-6:
        return _paint(np.zeros((0, 4, 3)), np.asarray(colour), start, shine)
    u, v = _perpendiculars(axis / length)
    ang = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    ring = np.cos(ang)[:, None] * u + np.sin(ang)[:, None] * v
    grid = np.stack([start + r_start * ring, end + r_end * ring])
    quads = _grid_quads(grid, wrap_u=True)
    return _paint(quads, np.asarray(colour), 0.5 * (start + end), shine)


def loft(
    centres: np.ndarray,
    across: np.ndarray,
    forward: np.ndarray,
    half_widths: np.ndarray,
    half_depths: np.ndarray,
    colours: list[tuple[float, float, float]],
    segments: int = 16,
) -> Mesh:
    """A solid through elliptic cross-sections (a torso): section k has centre (K, 3), unit
    axes ``across`` and ``forward`` (K, 3) and semi-axes; ``colours`` per band between
    sections (K - 1). Squared-off ellipses (superellipse, exponent 3) look like a torso."""
    ang = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    c, s = np.cos(ang), np.sin(ang)
    cx = np.sign(c) * np.abs(c) ** (2 / 3)
    sz = np.sign(s) * np.abs(s) ** (2 / 3)
    grid = (
        centres[:, None, :]
        + (half_widths[:, None] * cx[None, :])[..., None] * across[:, None, :]
        + (half_depths[:, None] * sz[None, :])[..., None] * forward[:, None, :]
    )
    quads = _grid_quads(grid, wrap_u=True).reshape(len(centres) - 1, segments, 4, 3)
    inside = 0.5 * (centres[:-1] + centres[1:])
    parts = [
        _paint(quads[k], np.asarray(colours[k]), inside[k], 0.0) for k in range(len(centres) - 1)
    ]
    caps = []
    for k, toward in ((0, 1), (len(centres) - 1, -1)):
        ring = grid[k]
        centre = centres[k]
        fan = np.stack([ring, np.roll(ring, -1, axis=0), np.tile(centre, (segments, 1))], axis=1)
        fan = np.concatenate([fan, fan[:, 2:3]], axis=1)
        inner = centre + 0.5 * (centres[k + toward] - centre)
        caps.append(_paint(fan, np.asarray(colours[min(k, len(colours) - 1)]), inner, 0.0))
    return Mesh.join(parts + caps)
