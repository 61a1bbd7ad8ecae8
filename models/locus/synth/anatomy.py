"""Anatomy of the synthetic frontal chest X-ray: body, lung fields, mediastinum, heart and bones.

Everything here is drawn on a coarse *work grid* (longest side ``WORK_SIDE``) and upsampled once
to the native size by the case assembly, which keeps a case cheap. Values are *density*: higher
is more attenuating, i.e. brighter on the film.

Chest frame: local coordinates (X, Y) are in units of the chest scale, origin at the chest
centre, X to the image's right, Y down. Radiological convention: X < 0 (image left) holds the
patient's RIGHT lung; the heart sits at X > 0 (patient's left).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

#: Longest side of the work grid on which smooth fields are drawn.
WORK_SIDE = 224


@dataclass(frozen=True)
class ChestGeometry:
    """Random shape of one chest; lengths in chest-frame units unless said otherwise."""

    cx: float  # chest centre x, in image-height units
    cy: float  # chest centre y, in image-height units
    scale: float  # chest-frame unit, in image-height units
    tilt: float  # radians, patient rotation in the image plane
    lung_half_width: float  # lateral edge of either lung at its widest
    apex_y: float  # top of the lung apices
    costo_y: float  # costophrenic angles (lowest lung point)
    dome_rise: tuple[float, float]  # diaphragm dome height above costo_y: (right, left)
    mediastinum: float  # half-width of the upper mediastinum
    heart_center: tuple[float, float]
    heart_radii: tuple[float, float]
    rib_spacing: float
    rib_phase: float


@dataclass(frozen=True)
class WorkGrid:
    """Work-grid sampling of the chest frame. X, Y: [h, w] local coordinates."""

    shape: tuple[int, int]  # (h, w) of the work grid
    native: tuple[int, int]  # (H, W) of the image
    X: np.ndarray
    Y: np.ndarray

    @property
    def scale_yx(self) -> tuple[float, float]:
        """Native pixels per work pixel, (sy, sx)."""
        return self.native[0] / self.shape[0], self.native[1] / self.shape[1]


@dataclass(frozen=True)
class Anatomy:
    """Work-grid fields of the normal chest. All [h, w] float32."""

    density: np.ndarray
    lung: np.ndarray  # soft lung-field membership in [0, 1]


def sample_geometry(rng: np.random.Generator, aspect: float) -> ChestGeometry:
    """Draws a chest that fits an image of width/height ``aspect``."""
    scale = min(rng.uniform(0.92, 1.15), aspect * 1.08, 1.2)
    return ChestGeometry(
        cx=aspect / 2 + rng.uniform(-0.03, 0.03) * aspect,
        cy=0.5 + rng.uniform(-0.04, 0.06),
        scale=scale,
        tilt=rng.uniform(-0.05, 0.05),
        lung_half_width=rng.uniform(0.38, 0.44),
        apex_y=rng.uniform(-0.44, -0.38),
        costo_y=rng.uniform(0.28, 0.36),
        dome_rise=(rng.uniform(0.10, 0.16), rng.uniform(0.08, 0.13)),
        mediastinum=rng.uniform(0.06, 0.085),
        heart_center=(rng.uniform(0.03, 0.08), rng.uniform(0.08, 0.14)),
        heart_radii=(rng.uniform(0.15, 0.2), rng.uniform(0.12, 0.16)),
        rib_spacing=rng.uniform(0.08, 0.095),
        rib_phase=rng.uniform(0.0, 1.0),
    )


def work_shape(height: int, width: int) -> tuple[int, int]:
    """Work-grid (h, w) for a native image, longest side ``WORK_SIDE``."""
    f = max(height, width) / WORK_SIDE
    return max(8, round(height / f)), max(8, round(width / f))


def make_grid(geom: ChestGeometry, height: int, width: int) -> WorkGrid:
    """Local chest-frame coordinates at the work-pixel centres."""
    h, w = work_shape(height, width)
    # Pixel centres in image-height units.
    y = ((np.arange(h, dtype=np.float32) + 0.5) * (height / h) / height)[:, None]
    x = ((np.arange(w, dtype=np.float32) + 0.5) * (width / w) / height)[None, :]
    c, s = np.cos(geom.tilt), np.sin(geom.tilt)
    dx, dy = x - geom.cx, y - geom.cy
    X = ((c * dx + s * dy) / geom.scale).astype(np.float32)
    Y = ((-s * dx + c * dy) / geom.scale).astype(np.float32)
    return WorkGrid(shape=(h, w), native=(height, width), X=X, Y=Y)


def resize(field: np.ndarray, shape: tuple[int, int], *, cubic: bool = False) -> np.ndarray:
    """Resamples a float field [h, w] to ``shape`` (pixel centres aligned)."""
    img = Image.fromarray(np.ascontiguousarray(field, dtype=np.float32), mode="F")
    out = img.resize((shape[1], shape[0]), Image.BICUBIC if cubic else Image.BILINEAR)
    return np.array(out, dtype=np.float32)


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cell: float) -> np.ndarray:
    """Zero-mean, unit-std noise [h, w] with features about ``cell`` pixels across."""
    # Lattice at half the feature size, smoothed there: plain interpolated lattice noise
    # would show axis-aligned, boxy features.
    step = max(cell / 2.0, 1.0)
    coarse = (int(np.ceil(shape[0] / step)) + 4, int(np.ceil(shape[1] / step)) + 4)
    base = rng.standard_normal(coarse, dtype=np.float32)
    base = ndimage.gaussian_filter(base, 1.0, mode="wrap", truncate=2.5)
    out = resize(base, shape, cubic=True)
    return (out - out.mean()) / (out.std() + 1e-6)


def smoothstep(x: np.ndarray) -> np.ndarray:
    """Hermite ramp from 0 (x <= 0) to 1 (x >= 1)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _diaphragm(X: np.ndarray, g: ChestGeometry) -> np.ndarray:
    """Y of the diaphragm under each column (domes peak about mid-lung)."""
    Xs, xd = np.abs(X), 0.5 * g.lung_half_width
    rise = g.dome_rise[0] + (g.dome_rise[1] - g.dome_rise[0]) * smoothstep(X / 0.2 + 0.5)
    k = rise / (g.lung_half_width - xd) ** 2
    k = np.where(Xs < xd, 0.3 * k, k)  # the domes flatten medially, under the heart
    return g.costo_y - rise + k * (Xs - xd) ** 2


def _heart(X: np.ndarray, Y: np.ndarray, g: ChestGeometry) -> np.ndarray:
    """Squared elliptic radius of the heart: < 1 inside."""
    hx, hy = g.heart_center
    rx, ry = g.heart_radii
    # Tilted ellipse: the apex points down and to the patient's left.
    u, v = X - hx, Y - hy
    a = 0.45
    uu, vv = np.cos(a) * u + np.sin(a) * v, -np.sin(a) * u + np.cos(a) * v
    return (uu / rx) ** 2 + (vv / ry) ** 2


def _lung_fields(X: np.ndarray, Y: np.ndarray, g: ChestGeometry) -> np.ndarray:
    """Hard lung-field membership (both lungs) on the work grid, before smoothing."""
    Xs, left = np.abs(X), X > 0
    t = np.clip((Y - g.apex_y) / (g.costo_y - g.apex_y), 0.0, 1.0)
    lateral = g.lung_half_width * (0.62 + 0.38 * np.sin(np.clip(t / 0.6, 0, 1) * np.pi / 2))
    knob = 0.03 * np.exp(-(((t - 0.22) / 0.07) ** 2)) * left
    medial = g.mediastinum * (1.0 + 0.3 * t) + knob
    apex_x = 0.45 * g.lung_half_width
    cap = g.apex_y + 3.0 * (Xs - apex_x) ** 2
    lung = (Xs > medial) & (Xs < lateral) & (Y > cap) & (Y < _diaphragm(X, g))
    lung &= _heart(X, Y, g) >= 1.0
    return _largest(lung & left) | _largest(lung & ~left)


def _largest(mask: np.ndarray) -> np.ndarray:
    """The largest 4-connected component of a boolean mask (empty stays empty)."""
    labels, n = ndimage.label(mask)
    if n <= 1:
        return mask
    sizes = np.bincount(labels.ravel())[1:]
    return labels == (int(np.argmax(sizes)) + 1)


def _ribs(X: np.ndarray, Y: np.ndarray, g: ChestGeometry) -> np.ndarray:
    """Posterior ribs (arcing down laterally) plus fainter anterior ribs, in [0, 1]."""
    Xs = np.abs(X)
    u = Y - (0.9 * Xs**2 + 0.1 * Xs) - g.apex_y
    s = u / g.rib_spacing * (1.0 - 0.25 * u) + g.rib_phase
    post = smoothstep((np.cos(2 * np.pi * s) + 0.2) / 1.0)
    s2 = (Y + 0.45 * Xs - 0.3 * Xs**2 - g.apex_y) / (1.2 * g.rib_spacing) + 0.5 * g.rib_phase
    ant = smoothstep((np.cos(2 * np.pi * s2) - 0.2) / 0.7) * smoothstep((Xs - 0.15) / 0.12)
    t = (Y - g.apex_y) / (g.costo_y - g.apex_y)
    keep = smoothstep((g.lung_half_width + 0.06 - Xs) / 0.05) * smoothstep((t + 0.08) / 0.1)
    keep = keep * smoothstep((1.1 - t) / 0.15) * smoothstep((Xs - 0.03) / 0.05)
    return (post + 0.4 * ant * smoothstep((0.8 - t) / 0.2)) * keep


def _clavicles(X: np.ndarray, Y: np.ndarray, g: ChestGeometry) -> np.ndarray:
    Xs = np.abs(X)
    yc = g.apex_y + 0.1 - 0.2 * Xs + 0.9 * (Xs - 0.12) ** 2 - 1.2 * np.clip(Xs - 0.3, 0, None) ** 2
    band = smoothstep(1.0 - np.abs(Y - yc) / (0.024 + 0.012 * smoothstep((0.12 - Xs) / 0.08)))
    return band * smoothstep((Xs - 0.03) / 0.03) * smoothstep((0.44 - Xs) / 0.04)


def _body(X: np.ndarray, Y: np.ndarray, g: ChestGeometry) -> np.ndarray:
    """Soft-tissue outline: torso, shoulders and neck."""
    Xs = np.abs(X)
    a, yc = g.lung_half_width + 0.12, 0.2
    torso = (Xs / a) ** 3 + (np.abs(Y - yc) / (yc - g.apex_y + 0.22)) ** 3 < 1.0
    return torso | ((Xs < 0.11) & (Y < 0.0)) | ((Xs < a) & (Y > yc))


def _blur(x: np.ndarray, sigma: float) -> np.ndarray:
    return ndimage.gaussian_filter(x, sigma, truncate=2.5)


def draw_anatomy(grid: WorkGrid, g: ChestGeometry, rng: np.random.Generator) -> Anatomy:
    """Renders the normal chest on the work grid."""
    X, Y = grid.X, grid.Y
    px = grid.shape[0] * g.scale  # work pixels per chest-frame unit
    lung = np.clip(_blur(_lung_fields(X, Y, g).astype(np.float32), 0.01 * px), 0, 1)
    body = _blur(_body(X, Y, g).astype(np.float32), 0.012 * px)
    Xs = np.abs(X)
    below = smoothstep((Y - _diaphragm(X, g)) / 0.03) * body
    heart = smoothstep((1.0 - _heart(X, Y, g)) / 0.3 + 0.5)
    t = np.clip((Y - g.apex_y) / (g.costo_y - g.apex_y), 0, 1.2)
    medi = smoothstep((g.mediastinum * (1.0 + 0.3 * t) + 0.01 - Xs) / 0.02) * body * (1 - below)
    spine = smoothstep((0.045 - Xs) / 0.025) * (1.0 + 0.1 * np.cos(2 * np.pi * Y / 0.06))
    trachea = smoothstep((0.02 - np.abs(X - 0.01)) / 0.015) * smoothstep((-0.1 - Y) / 0.06)
    # Half resolution is plenty for this wide blur.
    air = np.clip(resize(_blur(lung[::2, ::2], 0.01 * px), grid.shape), 0, 1) ** 0.8

    # Lung markings: wavy lines fanning out of the hila, fading to the periphery.
    r = np.hypot(Xs - 0.1, Y + 0.02)
    theta = np.arctan2(Y + 0.02, Xs - 0.1)
    wobble = smooth_noise(rng, grid.shape, 0.08 * px)
    vessels = smoothstep((np.cos(28.0 * theta + 2.5 * wobble) - 0.75) / 0.25)
    mottle = smooth_noise(rng, grid.shape, 0.025 * px)
    hilum = np.exp(-r / 0.12)
    marks = (vessels * np.exp(-r / 0.25) + 0.2 * mottle + 1.5 * hilum) * lung

    fat = smooth_noise(rng, grid.shape, 0.4 * px)  # slow thickness variation of soft tissue
    w = rng.uniform
    density = (
        0.02
        + body * (w(0.40, 0.48) + 0.03 * fat)
        + below * w(0.05, 0.1)
        + medi * w(0.05, 0.09)
        + heart * (1.0 - 0.5 * medi) * w(0.04, 0.07)
        + spine * body * (0.3 + medi) * (1.0 - 0.6 * heart) * w(0.02, 0.04)
        - trachea * w(0.03, 0.05)
        + _ribs(X, Y, g) * body * (1.0 - 0.7 * np.maximum(below, heart)) * (1.0 - 0.7 * medi)
        * w(0.03, 0.06)
        + _clavicles(X, Y, g) * w(0.08, 0.14)
        - air * w(0.26, 0.33)
        + marks * w(0.025, 0.045)
    )
    if rng.random() < 0.5:  # gastric bubble under the left dome
        gy = _diaphragm(np.float32(0.2), g) + 0.05
        bubble = smoothstep(1.0 - np.hypot((X - 0.2) / 0.06, (Y - gy) / 0.035))
        density = density - 0.12 * bubble * body
    return Anatomy(density=density.astype(np.float32), lung=lung.astype(np.float32))
