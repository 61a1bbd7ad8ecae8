"""Tests of locus.data.augment: the report stays true to the augmented mask.

Core tests use project-made slices (an ellipse body with lesions at known places); the check on
the 50 real MedSeg slices needs ../shared and skips, saying so, when it is absent.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from locus.data.augment import (
    AugmentConfig, augment, augmented_set, body_frame, body_mask, flip, make_slice, swap_sides,
)
from locus.data.report import parse_report
from locus.data.zones import report_from_zones

SHARED_CT = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "medseg-covid-ct" / "train"


def phantom(lesions: list[tuple[int, int, int]], shape=(120, 160)) -> tuple[np.ndarray, np.ndarray]:
    """A CT-like slice uint8 [H, W]: an elliptic body on black air, two darker lungs, and round
    lesions (row, col, radius) that are brighter; returns (image, mask)."""
    h, w = shape
    yy, xx = np.mgrid[:h, :w]
    body = ((yy - h / 2) / (0.45 * h)) ** 2 + ((xx - w / 2) / (0.45 * w)) ** 2 <= 1
    image = np.where(body, 150, 0).astype(np.float64)
    for cx in (0.3 * w, 0.7 * w):
        lung = ((yy - h / 2) / (0.33 * h)) ** 2 + ((xx - cx) / (0.15 * w)) ** 2 <= 1
        image[lung] = 40
    mask = np.zeros(shape, dtype=bool)
    for r, c, rad in lesions:
        mask |= (yy - r) ** 2 + (xx - c) ** 2 <= rad ** 2
    image[mask] = 110
    return image.astype(np.uint8), mask


def labelled(image: np.ndarray, mask: np.ndarray):
    rng = np.random.default_rng(0)
    zones = make_slice(image, mask, "x").zones
    return make_slice(image, mask, report_from_zones(zones.labels, zones.count, rng, typo_rate=0))


def test_body_frame_is_the_thorax_bounding_box():
    image, _ = phantom([])
    frame = body_frame(body_mask(image))
    assert abs(frame.center_x - 80) <= 1 and frame.top <= 8 and frame.bottom >= 112


def test_zones_follow_the_radiological_convention():
    # a lesion on the image's left, upper third -> the patient's RIGHT upper zone
    item = labelled(*phantom([(35, 45, 7)]))
    assert item.zones.labels == (1, 0, 0, 0, 0, 0)
    assert parse_report(item.report).labels == (1, 0, 0, 0, 0, 0)


def test_flip_swaps_left_and_right_in_labels_and_report():
    item = labelled(*phantom([(35, 45, 7), (85, 50, 6), (60, 115, 6)]))
    flipped = flip(item, np.random.default_rng(1))
    assert flipped.zones.labels == swap_sides(item.zones.labels)
    assert flipped.zones.labels != item.zones.labels
    assert parse_report(flipped.report).labels == flipped.zones.labels
    assert np.array_equal(flipped.mask, item.mask[:, ::-1])
    assert flipped.zones.count == item.zones.count == 3


def test_every_augmented_copy_tells_the_truth_about_its_mask():
    item = labelled(*phantom([(35, 45, 7), (85, 110, 8)]))
    cfg = AugmentConfig(copies=12, seed=3, flip_p=0.5, rotate_deg=15, elastic_p=1.0)
    out = augmented_set([item], cfg)
    assert len(out) == 13 and out[0] is item
    for copy in out[1:]:
        assert copy.image.dtype == np.uint8 and copy.image.shape == item.image.shape
        assert copy.mask.any()
        assert parse_report(copy.report).labels == copy.zones.labels
    flips = [c for c in out[1:] if c.zones.labels == swap_sides(item.zones.labels)]
    assert flips, "flip_p 0.5 over 12 copies should give mirrored copies"


def test_augmentation_is_deterministic_by_seed():
    item = labelled(*phantom([(60, 50, 9)]))
    a = augment(item, AugmentConfig(), np.random.default_rng(5))
    b = augment(item, AugmentConfig(), np.random.default_rng(5))
    assert np.array_equal(a.image, b.image) and a.report == b.report


def test_identity_transform_keeps_the_slice():
    item = labelled(*phantom([(60, 50, 9)]))
    cfg = AugmentConfig(flip_p=0, rotate_deg=0, scale=(1, 1), elastic_p=0, gamma=(1, 1),
                        contrast=0, brightness=0, noise_std=0)
    same = augment(item, cfg, np.random.default_rng(0))
    assert np.array_equal(same.mask, item.mask) and np.array_equal(same.image, item.image)
    assert same.zones == item.zones


@pytest.mark.skipif(not SHARED_CT.exists(), reason=f"needs ../shared (not found at {SHARED_CT})")
def test_zone_rule_reproduces_the_shared_zones_and_flips_swap_them():
    from locus.data.dataset import read_cases, read_image, read_mask
    with open(SHARED_CT / "zones.csv", newline="") as fh:
        zones = {Path(r["Image"]).stem: tuple(int(v) for v in list(r.values())[1:])
                 for r in csv.DictReader(fh)}
    cases = read_cases(SHARED_CT)[0]
    assert len(cases) == 50
    rng = np.random.default_rng(0)
    for case in cases:
        item = make_slice(read_image(case.image), read_mask(case.mask), case.report)
        assert item.zones.labels == zones[case.stem], case.stem
        assert item.zones.count == parse_report(case.report).count, case.stem
        assert flip(item, rng).zones.labels == swap_sides(item.zones.labels), case.stem


def test_load_augmented_builds_training_tensors_for_the_listed_stems(tmp_path):
    from PIL import Image

    from locus.data.preprocess import PreprocessSpec
    from locus.data.tokenizer import Tokenizer, build_vocab
    from locus.train.tensors import load_augmented

    root = tmp_path / "ct"
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    rows = []
    for stem, lesions in (("1", [(35, 45, 7)]), ("2", [(85, 110, 8)]), ("3", [(60, 50, 9)])):
        image, mask = phantom(lesions)
        Image.fromarray(image).save(root / "images" / f"{stem}.png")
        Image.fromarray(mask.astype(np.uint8) * 255).save(root / "masks" / f"{stem}.png")
        rows.append(f"{stem}.png,\"{labelled(image, mask).report}\"")
    (root / "reports.csv").write_text("Image,Description\n" + "\n".join(rows) + "\n")
    tok = Tokenizer(build_vocab([r.split(",", 1)[1] for r in rows] * 3, 80), max_length=24)
    cfg = AugmentConfig(copies=2, seed=0)
    data = load_augmented(root, ["3", "1"], cfg, PreprocessSpec(input_size=32), 16, tok,
                          tmp_path / "cache")
    assert len(data) == 6 and data.images.shape == (6, 1, 32, 32)
    assert data.stems[:2] == ["3", "1"] and data.stems[2] == "3-aug1"
    for text, labels in zip(data.reports, data.regions.tolist()):
        assert list(parse_report(text).labels) == labels
    again = load_augmented(root, ["3", "1"], cfg, PreprocessSpec(input_size=32), 16, tok,
                           tmp_path / "cache")
    assert again.reports == data.reports  # read back from the cache
    with pytest.raises(ValueError):
        load_augmented(root, ["7"], cfg, PreprocessSpec(input_size=32), 16, tok, tmp_path / "c2")
