"""Deterministic synthetic chest X-rays with infection masks, zone labels and LViT-style reports.

Case ``i`` of a split is drawn from ``np.random.SeedSequence([seed, SPLITS.index(split), i])``,
so any case can be regenerated alone and every run writes the same bytes; the split index in the
entropy keeps train, val and test on separate streams even under one seed. ``write_split`` writes
the LViT layout: DIR/images/<stem>.png, DIR/masks/<stem>.png (0/255), DIR/reports.csv (Image,
Description) and DIR/zones.csv (Image + the six REGIONS, 0/1), plus DIR/lungs/<stem>.png (0/255:
the lung fields, whose bounding box frames the zones; training makes zone maps from it). The
command line is ``__main__.py``.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from ..constants import REGIONS
from ..data.zones import (
    MIN_LESION_PX,
    report_from_zones,
    zone_frame,
    zone_index_map,
    zones_in_frame,
)

from .anatomy import draw_anatomy, make_grid, resize, sample_geometry, smooth_noise
from .lesions import (
    blob_field,
    clear_of_mask,
    nodule,
    opacity,
    pick_center,
    random_texture,
    side_marker,
    wire,
)

SPLITS = ("train", "val", "test")
#: Default seed per split (``--seed`` overrides it for the split being written).
DEFAULT_SEEDS = {"train": 1701, "val": 2702, "test": 3703}

SIZE_RANGE = (256, 640)  # pixels per side
ASPECT_RANGE = (0.8, 1.25)  # width / height
SIXTEEN_BIT_P = 0.1
LESION_COUNT_P = (0.08, 0.3, 0.3, 0.2, 0.12)  # P(0 .. 4 lesions drawn)
LEVEL_P = (0.25, 0.35, 0.4)  # upper, middle, lower: COVID-19 favours the lower zones
DISTRACTOR_P = 0.4
DISTRACTOR_KINDS, DISTRACTOR_KIND_P = ("opacity", "nodule", "wire"), (0.6, 0.25, 0.15)
MARKER_P = 0.3
#: Distractor density above which a pixel counts in ``SynthCase.distractor`` (about half the
#: faintest ground-glass opacity).
DISTRACTOR_VISIBLE = 0.03


@dataclass(frozen=True)
class SynthCase:
    """One synthetic case; arrays are native [H, W]."""

    image: np.ndarray  # uint8, or uint16 for 16-bit cases
    mask: np.ndarray  # bool, infection
    lung: np.ndarray  # bool, lung fields
    distractor: np.ndarray  # bool, look-alike opacities and nodules; never overlaps mask
    labels: tuple[int, ...]  # six zone labels, REGIONS order
    count: int
    report: str
    lesion_kinds: tuple[str, ...]
    distractor_kinds: tuple[str, ...]


@dataclass(frozen=True)
class _Scene:
    """Work-grid context shared by lesion and distractor placement."""

    lung: np.ndarray  # [h, w] soft lung fields
    zones: np.ndarray  # [h, w] region index 0..5
    mid_zone: np.ndarray  # [h, 1] in [0, 1]: 1 halfway between a zone's top and bottom
    center_x: float  # body centre, work pixels
    zone_height: float  # one vertical third of the lungs, work pixels
    px: float  # work pixels per chest-frame unit
    texture: np.ndarray  # [h, w] fine unit noise for opacity textures


def case_rng(seed: int, split: str, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, SPLITS.index(split), index]))


def case_stem(split: str, index: int) -> str:
    return f"synth_{split}_{index:05d}"


def _draw_lesions(rng: np.random.Generator, sc: _Scene) -> tuple[list, np.ndarray]:
    """Lesion opacities placed by zone, and the union of their fields [h, w]."""
    union = np.full(sc.lung.shape, -10.0, dtype=np.float32)
    lesions = []
    for _ in range(int(rng.choice(len(LESION_COUNT_P), p=LESION_COUNT_P))):
        zone = 3 * int(rng.integers(2)) + int(rng.choice(3, p=LEVEL_P))
        weight = ((sc.lung > 0.7) & (sc.zones == zone)) * (0.15 + sc.mid_zone)
        center = pick_center(rng, weight, sc.center_x)
        if center is None:
            continue
        size = rng.uniform(0.3, 0.55) if rng.random() < 0.75 else rng.uniform(0.55, 0.85)
        field = blob_field(rng, sc.lung.shape, center, sc.zone_height * size)
        # One lesion never reaches across the mediastinum into the other lung.
        field = np.where(sc.zones // 3 == zone // 3, field, np.float32(-10.0))
        lesions.append(opacity(rng, field, random_texture(rng), sc.lung, sc.texture))
        union = np.maximum(union, field)
    return lesions, union


def _lookalike(
    rng: np.random.Generator, sc: _Scene, allowed: np.ndarray
) -> np.ndarray | None:
    """A lesion-like opacity inside ``allowed`` [h, w] (soft), shrunk until it fits."""
    center = pick_center(rng, (sc.lung > 0.7) & (allowed > 0.9), sc.center_x)
    if center is None:
        return None
    radius = sc.zone_height * rng.uniform(0.4, 0.8)
    side = sc.zones[int(center[0]), int(center[1])] // 3
    for _ in range(4):
        field = blob_field(rng, sc.lung.shape, center, radius)
        field = np.where(sc.zones // 3 == side, field, np.float32(-10.0))
        blob = field > -0.2
        if (blob & (allowed < 0.5)).sum() <= 0.03 * blob.sum():
            break
        radius *= 0.75
    return opacity(rng, field, random_texture(rng), sc.lung, sc.texture).density * allowed


def _draw_distractors(
    rng: np.random.Generator, sc: _Scene, labels: tuple[int, ...], union: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Distractor density [h, w] (zero near the infection, look-alikes only in zones the report
    does not name) and the kinds drawn; wires are drawn later, at native size."""
    density = np.zeros(sc.lung.shape, dtype=np.float32)
    kinds: list[str] = []
    if rng.random() >= DISTRACTOR_P:
        return density, kinds
    clear = clear_of_mask(union)
    free = np.isin(sc.zones, [i for i, v in enumerate(labels) if not v]).astype(np.float32)
    free = ndimage.gaussian_filter(free, 2.0) * free
    for _ in range(1 if rng.random() < 0.7 else 2):
        kind = DISTRACTOR_KINDS[int(rng.choice(3, p=DISTRACTOR_KIND_P))]
        if kind == "opacity":
            extra = _lookalike(rng, sc, clear * free)
            if extra is None:
                kind = "nodule"
            else:
                density += extra
        if kind == "nodule":
            center = pick_center(rng, (sc.lung > 0.7) & (clear > 0.9), sc.center_x)
            if center is None:
                continue
            density += nodule(rng, sc.lung.shape, center, sc.px) * clear
        kinds.append(kind)
    return density, kinds


def _drop_small(mask: np.ndarray) -> np.ndarray:
    """Removes components under MIN_LESION_PX so that any non-empty mask counts >= 1 lesion."""
    labels, n = ndimage.label(mask)
    if n == 0:
        return mask
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return (sizes >= MIN_LESION_PX)[labels]


def _film(rng: np.random.Generator, density: np.ndarray) -> np.ndarray:
    """Film response on the work grid [h, w]: window, gamma and some correlated grain; in
    [0, 1]. Done before upsampling, where a power costs a fraction of the native one."""
    lo, hi = rng.uniform(-0.03, 0.1), rng.uniform(0.6, 0.85)
    x = np.clip((density - lo) / (hi - lo), 0.0, 1.0) ** rng.uniform(0.7, 1.4)
    return x + rng.uniform(0.0, 0.015) * smooth_noise(rng, x.shape, 2.0)


def _quantise(rng: np.random.Generator, x: np.ndarray, bits: int) -> np.ndarray:
    """Adds native white noise to ``x`` [H, W] and quantises it to ``bits``."""
    x = x + rng.uniform(0.004, 0.025) * rng.standard_normal(x.shape, dtype=np.float32)
    x = np.clip(x, 0.0, 1.0)
    if bits == 8:
        return np.round(x * 255).astype(np.uint8)
    top = 65535 if rng.random() < 0.5 else 4095  # full range, or 12-bit data in 16 bits
    return np.round(x * top).astype(np.uint16)


def _distractor_map(extra: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Native [H, W] bool map of the visible distractor opacities (work-grid density ``extra``)."""
    if not extra.any():
        return np.zeros(shape, dtype=bool)
    return resize(extra, shape) > DISTRACTOR_VISIBLE


def _sample_size(rng: np.random.Generator) -> tuple[int, int]:
    h = int(rng.integers(SIZE_RANGE[0], SIZE_RANGE[1] + 1))
    w = int(np.clip(round(h * rng.uniform(*ASPECT_RANGE)), *SIZE_RANGE))
    return h, w


def generate_case(rng: np.random.Generator) -> SynthCase:
    """Draws one case; the same generator state gives the same case."""
    H, W = _sample_size(rng)
    bits = 16 if rng.random() < SIXTEEN_BIT_P else 8
    geom = sample_geometry(rng, W / H)
    grid = make_grid(geom, H, W)
    anatomy = draw_anatomy(grid, geom, rng)
    lung = resize(anatomy.lung, (H, W)) > 0.5
    frame = zone_frame(lung)
    sy, sx = grid.scale_yx
    rows = (np.arange(grid.shape[0])[:, None] + 0.5) * sy
    scene = _Scene(
        lung=anatomy.lung,
        zones=zone_index_map(frame, grid.shape, (sy, sx)),
        mid_zone=np.sin(np.pi * np.mod(3 * (rows - frame.top) / (frame.bottom - frame.top), 1)),
        center_x=frame.center_x / sx,
        zone_height=(frame.bottom - frame.top) / 3.0 / sy,
        px=grid.shape[0] * geom.scale,
        texture=smooth_noise(rng, grid.shape, 4.0),
    )
    lesions, union = _draw_lesions(rng, scene)
    mask = _drop_small((resize(union, (H, W)) > 0) & lung)
    zones = zones_in_frame(mask, frame)
    extra, kinds = _draw_distractors(rng, scene, zones.labels, union)
    density = anatomy.density + extra + sum((o.density for o in lesions), np.float32(0))
    film = resize(_film(rng, density), (H, W), cubic=True)
    if "wire" in kinds:
        film += rng.uniform(0.3, 0.6) * wire(rng, (H, W))
    if rng.random() < MARKER_P:
        film += 0.8 * side_marker(rng, (H, W))
    return SynthCase(
        image=_quantise(rng, film, bits),
        mask=mask,
        lung=lung,
        distractor=_distractor_map(extra, (H, W)),
        labels=zones.labels,
        count=zones.count,
        report=report_from_zones(zones.labels, zones.count, rng),
        lesion_kinds=tuple(o.kind for o in lesions),
        distractor_kinds=tuple(kinds),
    )


def save_png(path: Path, image: np.ndarray) -> None:
    """Writes [H, W] uint8 as 8-bit or uint16 as 16-bit grayscale PNG (deterministic bytes).
    Compression level 1: twice as fast as the default for about 10% more bytes."""
    Image.fromarray(image).save(path, format="PNG", compress_level=1)


def write_split(out: Path, split: str, n: int, seed: int | None = None) -> None:
    """Writes cases 0..n-1 of ``split`` in the LViT layout under ``out``."""
    seed = DEFAULT_SEEDS[split] if seed is None else seed
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "masks").mkdir(parents=True, exist_ok=True)
    (out / "lungs").mkdir(parents=True, exist_ok=True)
    reports, zones = [("Image", "Description")], [("Image", *REGIONS)]
    for i in range(n):
        case = generate_case(case_rng(seed, split, i))
        name = case_stem(split, i) + ".png"
        save_png(out / "images" / name, case.image)
        save_png(out / "masks" / name, case.mask.astype(np.uint8) * 255)
        save_png(out / "lungs" / name, case.lung.astype(np.uint8) * 255)
        reports.append((name, case.report))
        zones.append((name, *case.labels))
    for fname, rows in (("reports.csv", reports), ("zones.csv", zones)):
        with open(out / fname, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
