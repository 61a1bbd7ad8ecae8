"""Which cases a bundle's fixtures are made from: reports that steer the mask come first."""
from __future__ import annotations

import csv

import numpy as np
from PIL import Image

from locus.export.__main__ import FIXTURE_CASES, fixture_cases

NORMAL = "No pulmonary infection, zero infected areas."
LEFT = "Unilateral pulmonary infection, one infected areas, all left lung."
ALL = "Bilateral pulmonary infection, two infected areas, all left lung and all right lung."


def lvit_folder(root, reports):
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    with open(root / "reports.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Image", "Description"])
        for i, report in enumerate(reports):
            stem = f"c{i}"
            Image.fromarray(np.zeros((8, 8), np.uint8)).save(root / "images" / f"{stem}.png")
            Image.fromarray(np.zeros((8, 8), np.uint8)).save(root / "masks" / f"{stem}.png")
            writer.writerow([f"{stem}.png", report])
    return root


def test_reports_naming_some_regions_come_before_normal_and_all_region_ones(tmp_path):
    root = lvit_folder(tmp_path / "d", [NORMAL, ALL, NORMAL, LEFT, LEFT])
    cases = fixture_cases(root)
    assert FIXTURE_CASES == 2 and len(cases) == 3
    assert [c.image.name for c in cases[:2]] == ["c3.png", "c4.png"]
    assert cases[2].image == cases[0].image and cases[2].settings.use_coarse is False


def test_too_few_steering_reports_are_topped_up_in_order(tmp_path):
    root = lvit_folder(tmp_path / "d", [NORMAL, ALL, LEFT])
    assert [c.image.name for c in fixture_cases(root)[:2]] == ["c2.png", "c0.png"]
