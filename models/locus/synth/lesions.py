"""Infection lesions and distractors of the synthetic chest X-ray.

Lesions and lesion-like distractors share one generator (``opacity``): a thresholded, noisy
ellipse with a ground-glass, consolidation or mixed texture, so that the image alone cannot tell
them apart; only the report (which names the lesions' zones, never a distractor's) can.
All fields are on the work grid [h, w] unless named ``native``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from .anatomy import smooth_noise, smoothstep

TEXTURES = ("ground_glass", "consolidation", "mixed")
TEXTURE_P = (0.5, 0.32, 0.18)
#: Work pixels kept clear between the infection mask and any distractor.
DISTRACTOR_MARGIN = 3


@dataclass(frozen=True)
class Opacity:
    """One lesion-like opacity. field: [h, w], > 0 inside; density: [h, w], added to the image."""

    kind: str
    field: np.ndarray
    density: np.ndarray


def pick_center(
    rng: np.random.Generator, weight: np.ndarray, center_x: float
) -> tuple[float, float] | None:
    """A work pixel (row, col) drawn in proportion to ``weight`` [h, w], biased to the periphery
    (COVID-19 opacities are mostly peripheral); None when the weight is empty."""
    rows, cols = np.nonzero(weight > 0)
    if rows.size == 0:
        return None
    p = weight[rows, cols] * (0.3 + np.abs(cols + 0.5 - center_x) / max(center_x, 1.0)) ** 1.5
    k = rng.choice(rows.size, p=p / p.sum())
    return float(rows[k]), float(cols[k])


def blob_field(
    rng: np.random.Generator,
    shape: tuple[int, int],
    center: tuple[float, float],
    radius: float,
) -> np.ndarray:
    """Signed field [h, w], > 0 inside an irregular blob of about ``radius`` work pixels."""
    aspect = rng.uniform(0.65, 1.5)
    ry, rx = radius / np.sqrt(aspect), radius * np.sqrt(aspect)
    angle = rng.uniform(0, np.pi)
    y = np.arange(shape[0], dtype=np.float32)[:, None] + 0.5 - center[0]
    x = np.arange(shape[1], dtype=np.float32)[None, :] + 0.5 - center[1]
    c, s = np.cos(angle), np.sin(angle)
    env = 1.0 - ((c * x + s * y) / rx) ** 2 - ((-s * x + c * y) / ry) ** 2
    lobes = smooth_noise(rng, shape, max(3.0, 0.7 * radius))
    return env + rng.uniform(0.3, 0.6) * lobes


def opacity(
    rng: np.random.Generator, field: np.ndarray, kind: str, lung: np.ndarray, fine: np.ndarray
) -> Opacity:
    """Textured density of ``kind`` for a blob ``field``, kept inside the lungs ``lung``;
    ``fine`` [h, w] is unit noise (one per case, shared by lesions and look-alikes)."""
    if kind == "ground_glass":  # hazy, faintly mottled, fading edges
        alpha = smoothstep(0.5 + field / 0.8)
        dens = rng.uniform(0.07, 0.12) * alpha * (0.85 + 0.15 * fine)
    else:  # dense, nearly uniform, sharper edges
        alpha = smoothstep(0.5 + field / 0.3)
        dens = rng.uniform(0.13, 0.22) * alpha * (0.93 + 0.07 * fine)
        if kind == "consolidation" and rng.random() < 0.3:  # air bronchograms
            tubes = np.clip(1.0 - np.abs(smooth_noise(rng, field.shape, 10.0)) / 0.12, 0, 1)
            dens = dens * (1.0 - 0.3 * tubes)
        if kind == "mixed":  # consolidated core inside a ground-glass halo
            dens = 0.6 * dens * smoothstep((field - 0.3) / 0.3)
            dens = dens + rng.uniform(0.04, 0.08) * smoothstep(0.5 + field / 0.8)
    return Opacity(kind=kind, field=field, density=(dens * lung).astype(np.float32))


def random_texture(rng: np.random.Generator) -> str:
    return TEXTURES[int(rng.choice(len(TEXTURES), p=TEXTURE_P))]


def clear_of_mask(mask_field: np.ndarray) -> np.ndarray:
    """Soft weight [h, w] in [0, 1]: exactly 0 within DISTRACTOR_MARGIN work pixels of the
    infection field (> -0.05, a superset of the native mask after bilinear upsampling)."""
    near = ndimage.binary_dilation(mask_field > -0.05, iterations=DISTRACTOR_MARGIN)
    keep = (~near).astype(np.float32)
    return ndimage.gaussian_filter(keep, 1.5) * keep


def nodule(
    rng: np.random.Generator, shape: tuple[int, int], center: tuple[float, float], px: float
) -> np.ndarray:
    """Density [h, w] of a small, round, sharply marginated nodule (not an infection)."""
    r = rng.uniform(0.012, 0.03) * px
    d = np.hypot(
        np.arange(shape[0], dtype=np.float32)[:, None] + 0.5 - center[0],
        np.arange(shape[1], dtype=np.float32)[None, :] + 0.5 - center[1],
    )
    return (rng.uniform(0.12, 0.25) * smoothstep((r - d) / 1.2 + 0.5)).astype(np.float32)


def wire(rng: np.random.Generator, native: tuple[int, int]) -> np.ndarray:
    """Native-resolution [H, W] density in [0, 1] of an ECG lead with electrodes."""
    H, W = native
    img = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(img)
    start = np.array([rng.uniform(0, W), rng.uniform(-0.05, 0.3) * H])
    end = np.array([rng.uniform(0, W), rng.uniform(0.6, 1.05) * H])
    t = np.linspace(0, 1, 64)[:, None]
    normal = np.array([-(end - start)[1], (end - start)[0]]) / (np.hypot(*(end - start)) + 1e-6)
    bend = rng.uniform(-0.25, 0.25) * min(H, W) * np.sin(np.pi * t * rng.uniform(0.7, 2.0))
    pts = start + (end - start) * t + bend * normal
    width = int(rng.integers(2, 5))
    draw.line([tuple(p) for p in pts], fill=255, width=width)
    for k in rng.choice(64, size=int(rng.integers(1, 4)), replace=False):
        r = rng.uniform(0.012, 0.022) * min(H, W)
        x, y = pts[k]
        draw.ellipse((x - r, y - r, x + r, y + r), outline=255, width=max(2, width))
        draw.ellipse((x - r / 3, y - r / 3, x + r / 3, y + r / 3), fill=200)
    return np.asarray(img, dtype=np.float32) / 255.0


def side_marker(rng: np.random.Generator, native: tuple[int, int]) -> np.ndarray:
    """Native [H, W] density in [0, 1] of an "R" film marker in an upper corner."""
    H, W = native
    glyph = Image.new("L", (10, 12), 0)
    ImageDraw.Draw(glyph).text((2, 0), "R", fill=255, font=ImageFont.load_default())
    zoom = max(2, round(rng.uniform(0.03, 0.05) * min(H, W) / 6))
    glyph = glyph.resize((10 * zoom, 12 * zoom), Image.NEAREST)
    out = np.zeros((H, W), dtype=np.float32)
    top = int(rng.uniform(0.02, 0.08) * H)
    left = int(rng.uniform(0.02, 0.1) * W)
    gh, gw = min(glyph.height, H - top), min(glyph.width, W - left)
    out[top : top + gh, left : left + gw] = np.asarray(glyph, dtype=np.float32)[:gh, :gw] / 255.0
    return out
