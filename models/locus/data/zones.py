"""Zone labels from a mask, and LViT-style location reports from zone labels.

The zone rule matches ``shared/data/README.md``: the chest is split at its horizontal centre
(image left half = patient's RIGHT lung, radiological convention) and into vertical thirds of the
lung fields' extent (upper, middle, lower); a zone is named when it holds at least 2% of the mask's
pixels; the lesion count is the number of 4-connected components of at least 30 pixels. Compute it
at the native resolution.

Report grammar (as in LViT's QaTa-COV19 / MosMedData+ strings), e.g.
"Bilateral pulmonary infection, two infected areas, upper middle left lung and lower right lung."
The left side is listed first; see ``report_from_zones`` for the variations produced.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import ndimage

from ..constants import NUM_REGIONS

#: A zone is named when it holds at least this fraction of the mask's pixels.
MIN_ZONE_FRACTION = 0.02
#: Connected components smaller than this (pixels) are not counted as lesions.
MIN_LESION_PX = 30

LEVELS = ("upper", "middle", "lower")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NORMAL_REPORTS = ("No pulmonary infection.", "No pulmonary infection, zero infected areas.")


@dataclass(frozen=True)
class ZoneFrame:
    """Where the zones lie, in pixels of the image the mask belongs to."""

    center_x: float  # columns whose centre is left of this are the patient's right side
    top: float  # first row of the lung fields
    bottom: float  # one past the last row of the lung fields


@dataclass(frozen=True)
class Zones:
    """Region labels of one mask, in ``locus.constants.REGIONS`` order."""

    labels: tuple[int, ...]  # 6 x {0, 1}
    count: int  # connected lesions of >= MIN_LESION_PX pixels
    fractions: tuple[float, ...]  # share of the mask's pixels in each region


def zone_frame(lung_mask: np.ndarray) -> ZoneFrame:
    """Frame from the lung fields' bounding box ([H, W] bool); the chest is left-right symmetric
    about the lung fields' centre in the synthetic images, so that centre is the body's."""
    rows = np.flatnonzero(lung_mask.any(axis=1))
    cols = np.flatnonzero(lung_mask.any(axis=0))
    if rows.size == 0:
        raise ValueError("empty lung mask")
    return ZoneFrame(
        center_x=(cols[0] + cols[-1] + 1) / 2.0, top=float(rows[0]), bottom=float(rows[-1] + 1)
    )


def zone_index_map(
    frame: ZoneFrame, shape: tuple[int, int], scale_yx: tuple[float, float] = (1.0, 1.0)
) -> np.ndarray:
    """Region index (0..5, REGIONS order) of every pixel of a grid [h, w] whose pixels are
    ``scale_yx`` frame pixels tall and wide. Rows outside the lung extent clamp to upper/lower."""
    sy, sx = scale_yx
    y = (np.arange(shape[0]) + 0.5) * sy
    x = (np.arange(shape[1]) + 0.5) * sx
    level = np.floor(3.0 * (y - frame.top) / max(frame.bottom - frame.top, 1e-6))
    level = np.clip(level, 0, 2).astype(np.int8)
    side = (x >= frame.center_x).astype(np.int8)  # 0: patient's right (image left), 1: left
    return level[:, None] + 3 * side[None, :]


def count_lesions(mask: np.ndarray) -> int:
    """Number of 4-connected components of at least MIN_LESION_PX pixels."""
    labels, n = ndimage.label(mask)
    if n == 0:
        return 0
    sizes = np.bincount(labels.ravel())[1:]
    return int((sizes >= MIN_LESION_PX).sum())


def zones_in_frame(mask: np.ndarray, frame: ZoneFrame) -> Zones:
    """Zone labels and lesion count of a native-resolution mask [H, W] (bool or 0/255)."""
    mask = np.asarray(mask) > 0
    total = int(mask.sum())
    if total == 0:
        return Zones(labels=(0,) * NUM_REGIONS, count=0, fractions=(0.0,) * NUM_REGIONS)
    index = zone_index_map(frame, mask.shape)
    hist = np.bincount(index[mask], minlength=NUM_REGIONS)
    fractions = tuple(float(v) / total for v in hist)
    labels = tuple(int(f >= MIN_ZONE_FRACTION) for f in fractions)
    return Zones(labels=labels, count=count_lesions(mask), fractions=fractions)


def zones_from_mask(mask: np.ndarray, lung_mask: np.ndarray) -> Zones:
    """Zone labels of an infection mask [H, W] in the frame of its lung fields [H, W]."""
    return zones_in_frame(mask, zone_frame(np.asarray(lung_mask) > 0))


def count_words(count: int) -> str:
    """Words up to nine, digits from 10 (as in the shared MedSeg reports)."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def _side_phrase(levels: list[str], side: str, rng: np.random.Generator) -> str:
    if len(levels) == 3:
        form = rng.choice(3, p=(0.75, 0.12, 0.13))
        return (f"all {side} lung", f"upper middle lower {side} lung", f"{side} lung")[form]
    if len(levels) == 2 and rng.random() < 0.15:
        levels = levels[::-1]  # "middle upper", "lower middle" occur in the real strings
    return " ".join(levels) + f" {side} lung"


def _typo(text: str, rng: np.random.Generator) -> str:
    """One mild typo of a kind found in the real reports, still unambiguous to read."""
    options = [("infected areas, ", "infected areas,"), ("infected area, ", "infected area,")]
    options += [("infection, ", "infection ,"), ("middle", "midlle"), ("middle", "midle")]
    options += [("upper", "uppper"), ("lower", "loweer"), ("lung.", "lung")]
    options = [(a, b) for a, b in options if a in text]
    old, new = options[int(rng.integers(len(options)))]
    return text.replace(old, new, 1)


def report_from_zones(
    zones: Sequence[int], count: int, rng: np.random.Generator, *, typo_rate: float = 0.03
) -> str:
    """An LViT-style report that is true to ``zones`` (6 labels, REGIONS order) and ``count``.

    Variations: "No pulmonary infection." or "..., zero infected areas." for normal cases;
    Unilateral/Bilateral; count as words up to nine, then digits; "one infected area(s)";
    per side "all left lung" / "upper middle lower left lung" / "left lung" for all three zones,
    zone words in either order for two zones; left side first; "." or ".."; with probability
    ``typo_rate`` one mild typo ("midlle", "infected areas,lower", "infection ,two", ...).
    """
    zones = [int(z) for z in zones]
    if len(zones) != NUM_REGIONS:
        raise ValueError(f"expected {NUM_REGIONS} zone labels, got {len(zones)}")
    right = [LEVELS[i] for i in range(3) if zones[i]]
    left = [LEVELS[i] for i in range(3) if zones[3 + i]]
    if not right and not left:
        return NORMAL_REPORTS[int(rng.integers(2))]
    laterality = "Bilateral" if right and left else "Unilateral"
    noun = "area" if count == 1 and rng.random() < 0.5 else "areas"
    sides = [_side_phrase(lv, name, rng) for lv, name in ((left, "left"), (right, "right")) if lv]
    end = ".." if rng.random() < 0.05 else "."
    text = (
        f"{laterality} pulmonary infection, {count_words(count)} infected {noun}, "
        + " and ".join(sides)
        + end
    )
    return _typo(text, rng) if rng.random() < typo_rate else text
