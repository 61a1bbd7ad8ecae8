"""Report-preserving augmentation of CT slices (native resolution, before preprocessing).

Every augmented copy gets its region labels and report recomputed from its own mask with the
rule of ``shared/data/README.md``, so the text stays true after the image moves:
- the thorax (body) is the largest bright component of the slice (gray > ``BODY_THRESHOLD``),
  holes filled; the zone frame is its bounding box: split at its horizontal centre (image left
  half = patient's RIGHT), vertical thirds (``zones.zones_in_frame``);
- a zone is named at >= 2% of the mask; the count is connected lesions of >= 30 px.
The body mask is moved with the image (same coordinates), so intensity changes never move it.

A left-right flip therefore swaps right/left in the labels and in the report; rotation, scale and
elastic deformation may move a lesion across a zone border, and the report follows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .zones import Zones, ZoneFrame, report_from_zones, zones_in_frame

#: 8-bit gray above this is body (the slices are lung-windowed; air outside the body is ~0).
BODY_THRESHOLD = 10


@dataclass(frozen=True)
class Slice:
    """One CT slice: image uint8 [H, W], mask bool [H, W], body bool [H, W], report, zones."""

    image: np.ndarray
    mask: np.ndarray
    body: np.ndarray
    report: str
    zones: Zones


@dataclass(frozen=True)
class AugmentConfig:
    """Per-copy random transform ranges (config key ``data.augment``)."""

    copies: int = 8  # augmented copies per slice; the original is kept as well
    seed: int = 0
    flip_copy: bool = False  # also one plain left-right mirrored copy of every original
    flip_p: float = 0.5
    rotate_deg: float = 12.0  # uniform in [-r, r]
    scale: tuple[float, float] = (0.85, 1.15)
    elastic_p: float = 0.5
    elastic_alpha: float = 0.03  # displacement amplitude, fraction of the longest side
    elastic_sigma: float = 0.06  # smoothness, fraction of the longest side
    gamma: tuple[float, float] = (0.7, 1.4)
    contrast: float = 0.15  # gain uniform in [1 - c, 1 + c]
    brightness: float = 0.08  # offset uniform in [-b, b] (on [0, 1])
    noise_std: float = 0.02

    @staticmethod
    def from_dict(raw: dict) -> "AugmentConfig":
        raw = dict(raw)
        for key in ("scale", "gamma"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return AugmentConfig(**raw)


def body_mask(image: np.ndarray) -> np.ndarray:
    """Thorax of an 8-bit slice [H, W] -> bool [H, W]: largest component above the threshold."""
    bright = ndimage.binary_opening(image > BODY_THRESHOLD, iterations=2)
    labels, n = ndimage.label(bright)
    if n == 0:
        raise ValueError("no body found in the slice")
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return ndimage.binary_fill_holes(labels == sizes.argmax())


def body_frame(body: np.ndarray) -> ZoneFrame:
    """Zone frame of a body mask [H, W]: its bounding box's horizontal centre and extent."""
    rows = np.flatnonzero(body.any(axis=1))
    cols = np.flatnonzero(body.any(axis=0))
    if rows.size == 0:
        raise ValueError("empty body mask")
    return ZoneFrame(center_x=(cols[0] + cols[-1] + 1) / 2.0, top=float(rows[0]),
                     bottom=float(rows[-1] + 1))


def slice_zones(mask: np.ndarray, body: np.ndarray) -> Zones:
    """Region labels and lesion count of a mask [H, W] in its body's frame."""
    return zones_in_frame(mask, body_frame(body))


def make_slice(image: np.ndarray, mask: np.ndarray, report: str) -> Slice:
    """An original slice with its own report; the zones are computed for checks and swaps."""
    body = body_mask(image)
    return Slice(image=image, mask=np.asarray(mask) > 0, body=body, report=report,
                 zones=slice_zones(mask, body))


def swap_sides(labels: tuple[int, ...]) -> tuple[int, ...]:
    """REGIONS order (right upper/middle/lower, left upper/middle/lower) with sides exchanged."""
    return tuple(labels[3:]) + tuple(labels[:3])


def retell(image: np.ndarray, mask: np.ndarray, body: np.ndarray,
           rng: np.random.Generator) -> Slice:
    """A slice whose zones and report are recomputed from its (moved) mask and body."""
    zones = slice_zones(mask, body)
    report = report_from_zones(zones.labels, max(zones.count, 1 if any(zones.labels) else 0),
                               rng, typo_rate=0.0)
    return Slice(image=image, mask=mask, body=body, report=report, zones=zones)


def flip(item: Slice, rng: np.random.Generator) -> Slice:
    """Left-right mirror: the patient's right becomes the left; report and labels follow."""
    return retell(item.image[:, ::-1].copy(), item.mask[:, ::-1].copy(),
                  item.body[:, ::-1].copy(), rng)


def _sample_grid(shape: tuple[int, int], cfg: AugmentConfig,
                 rng: np.random.Generator) -> np.ndarray:
    """Source coordinates [2, H, W] of every output pixel: rotation and scale about the centre,
    then a smooth random displacement (elastic) with probability ``elastic_p``."""
    h, w = shape
    angle = np.deg2rad(rng.uniform(-cfg.rotate_deg, cfg.rotate_deg))
    scale = rng.uniform(*cfg.scale)
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    dy, dx = (yy - cy) / scale, (xx - cx) / scale
    cos, sin = np.cos(angle), np.sin(angle)
    src_y = cy + cos * dy - sin * dx
    src_x = cx + sin * dy + cos * dx
    if rng.random() < cfg.elastic_p:
        side = max(h, w)
        for grid in (src_y, src_x):
            field = ndimage.gaussian_filter(rng.standard_normal((h, w)), cfg.elastic_sigma * side)
            field /= max(float(np.abs(field).max()), 1e-8)
            grid += field * cfg.elastic_alpha * side
    return np.stack([src_y, src_x])


def _intensity(image: np.ndarray, cfg: AugmentConfig, rng: np.random.Generator) -> np.ndarray:
    """Gamma, contrast, brightness and noise on [0, 1]; back to uint8 [H, W]."""
    v = image.astype(np.float64) / 255.0
    v = v ** rng.uniform(*cfg.gamma)
    v = (v - 0.5) * rng.uniform(1 - cfg.contrast, 1 + cfg.contrast) + 0.5
    v = v + rng.uniform(-cfg.brightness, cfg.brightness)
    v = v + rng.standard_normal(v.shape) * cfg.noise_std
    return np.clip(np.round(v * 255.0), 0, 255).astype(np.uint8)


def augment(item: Slice, cfg: AugmentConfig, rng: np.random.Generator) -> Slice:
    """One random copy: optional flip, rotation/scale/elastic, intensity; report recomputed."""
    if rng.random() < cfg.flip_p:
        item = flip(item, rng)
    grid = _sample_grid(item.image.shape, cfg, rng)
    image = ndimage.map_coordinates(item.image.astype(np.float64), grid, order=1, mode="constant")
    mask = ndimage.map_coordinates(item.mask.astype(np.float64), grid, order=1) >= 0.5
    body = ndimage.map_coordinates(item.body.astype(np.float64), grid, order=1) >= 0.5
    if not body.any():
        raise ValueError("the transform moved the body out of the image")
    image = np.clip(np.round(image), 0, 255).astype(np.uint8)
    return retell(_intensity(image, cfg, rng), mask, body, rng)


def augmented_set(items: list[Slice], cfg: AugmentConfig) -> list[Slice]:
    """The originals, their mirrored copies (``cfg.flip_copy``), then ``cfg.copies`` augmented
    copies of each original (deterministic)."""
    rng = np.random.default_rng(cfg.seed)
    out = list(items)
    if cfg.flip_copy:
        out.extend(flip(item, rng) for item in items)
    for _ in range(cfg.copies):
        out.extend(augment(item, cfg, rng) for item in items)
    return out
