"""Tests of the synthetic chest X-ray generator (locus.synth)."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from locus.constants import REGIONS
from locus.data.report import parse_report
from locus.data.zones import (
    NORMAL_REPORTS, report_from_zones, zone_frame, zone_index_map, zones_from_mask,
)
from locus.synth.generate import (
    DEFAULT_SEEDS, case_rng, case_stem, generate_case, save_png, write_split,
)
from locus.synth.samples import write_samples

N_CASES = 48


@pytest.fixture(scope="module")
def cases():
    return [generate_case(case_rng(DEFAULT_SEEDS["test"], "test", i)) for i in range(N_CASES)]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "train"
    write_split(out, "train", 4)
    return out


def _files(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_same_seed_gives_identical_bytes(written, tmp_path):
    write_split(tmp_path / "again", "train", 4)
    assert _files(written) == _files(tmp_path / "again")


def test_splits_and_seeds_differ(written, tmp_path):
    write_split(tmp_path / "val", "val", 1, seed=DEFAULT_SEEDS["train"])
    write_split(tmp_path / "seed", "train", 1, seed=12345)
    first = (written / "images" / f"{case_stem('train', 0)}.png").read_bytes()
    assert (tmp_path / "val" / "images" / f"{case_stem('val', 0)}.png").read_bytes() != first
    assert (tmp_path / "seed" / "images" / f"{case_stem('train', 0)}.png").read_bytes() != first


def test_a_case_regenerates_alone(written):
    case = generate_case(case_rng(DEFAULT_SEEDS["train"], "train", 3))
    stored = np.asarray(Image.open(written / "images" / f"{case_stem('train', 3)}.png"))
    np.testing.assert_array_equal(stored, case.image)


def test_layout_and_columns(written):
    reports, zones = _read_csv(written / "reports.csv"), _read_csv(written / "zones.csv")
    assert reports[0] == ["Image", "Description"]
    assert zones[0] == ["Image", *REGIONS]
    names = [f"{case_stem('train', i)}.png" for i in range(4)]
    assert [r[0] for r in reports[1:]] == names == [r[0] for r in zones[1:]]
    for name, row in zip(names, zones[1:]):
        assert set(row[1:]) <= {"0", "1"}
        image = Image.open(written / "images" / name)
        mask = Image.open(written / "masks" / name)
        assert image.mode in ("L", "I;16") and mask.mode == "L"
        assert image.size == mask.size
        assert all(256 <= s <= 640 for s in image.size)
        assert set(np.unique(np.asarray(mask))) <= {0, 255}


def test_zones_csv_matches_mask(written):
    for row in _read_csv(written / "zones.csv")[1:]:
        index = int(row[0][-9:-4])
        case = generate_case(case_rng(DEFAULT_SEEDS["train"], "train", index))
        mask = np.asarray(Image.open(written / "masks" / row[0])) > 0
        zones = zones_from_mask(mask, case.lung)
        assert [str(v) for v in zones.labels] == row[1:]
        assert zones.count == case.count


def test_radiological_convention(cases):
    lung = np.zeros((90, 120), dtype=bool)
    lung[10:80, 10:50] = lung[10:80, 70:110] = True
    mask = np.zeros_like(lung)
    mask[60:75, 80:100] = True  # image right, bottom
    zones = zones_from_mask(mask, lung)
    assert zones.labels == (0, 0, 0, 0, 0, 1) and zones.count == 1
    report = report_from_zones(zones.labels, zones.count, np.random.default_rng(0), typo_rate=0)
    assert "lower left lung" in report and "right" not in report
    left_only = [c for c in cases if c.count and not any(c.labels[:3])]
    assert left_only, "no left-only case among the test cases"
    for case in left_only:
        cols = np.nonzero(case.mask)[1]
        assert cols.min() + 0.5 >= zone_frame(case.lung).center_x
    # The heart sits on the image's right, so the patient's left lung field is the smaller.
    smaller_left = [
        c.lung[:, int(zone_frame(c.lung).center_x):].sum() < c.lung.sum() / 2 for c in cases
    ]
    assert np.mean(smaller_left) > 0.9


def test_normal_cases_have_empty_masks(cases):
    normal = [c for c in cases if not any(c.labels)]
    assert normal, "no normal case among the test cases"
    for case in normal:
        assert not case.mask.any() and case.count == 0
        assert case.report in NORMAL_REPORTS
    for case in cases:
        assert case.mask.any() == (case.count > 0)


def test_distractors_stay_out_of_mask_and_named_zones(cases):
    with_distractor = [c for c in cases if c.distractor.any()]
    assert with_distractor, "no distractor among the test cases"
    for case in with_distractor:
        assert not (case.distractor & case.mask).any()
        if set(case.distractor_kinds) == {"opacity"}:
            index = zone_index_map(zone_frame(case.lung), case.mask.shape)
            named = np.isin(index, [i for i, v in enumerate(case.labels) if v])
            assert (case.distractor & named).sum() <= 0.05 * case.distractor.sum()


def test_masks_stay_inside_lungs(cases):
    for case in cases:
        assert not (case.mask & ~case.lung).any()


def test_sixteen_bit_png_round_trip(tmp_path):
    for i in range(200):
        case = generate_case(case_rng(DEFAULT_SEEDS["val"], "val", i))
        if case.image.dtype == np.uint16:
            break
    else:
        pytest.fail("no 16-bit case in 200")
    save_png(tmp_path / "x.png", case.image)
    header = (tmp_path / "x.png").read_bytes()[:26]
    assert (header[24], header[25]) == (16, 0)  # IHDR: 16-bit depth, grayscale
    # PIL 9 reads 16-bit grayscale PNGs back as mode "I" (int32), newer PIL as "I;16".
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "x.png")), case.image)


def test_samples_index(tmp_path):
    index = write_samples(tmp_path)
    assert len(index) >= 6
    for entry in index:
        assert {"id", "title", "image", "mask", "report", "regions"} <= set(entry)
        assert (tmp_path / entry["image"]).is_file() and (tmp_path / entry["mask"]).is_file()
        assert parse_report(entry["report"]).labels == tuple(entry["regions"])
    assert (tmp_path / "index.json").is_file()


def test_written_lungs_give_training_zone_maps_that_hold_the_lesions(written):
    """DIR/lungs/ frames the zones: the training tensors of a written split get zone maps, and
    every region its report names holds lesion pixels of the target in that map (the zone rule
    that wrote the report), while unnamed regions hold at most slivers."""
    from locus.data.dataset import read_cases
    from locus.data.preprocess import PreprocessSpec
    from locus.data.tokenizer import Tokenizer, build_vocab
    from locus.train.tensors import NO_ZONE, load_folder

    reports = [c.report for c in read_cases(written)[0]]
    data = load_folder(written, PreprocessSpec(input_size=128), 64,
                       Tokenizer(build_vocab(reports, 80), max_length=40))
    assert data.zones is not None and data.zones.shape == (4, 64, 64)
    for zones, target, labels in zip(data.zones, data.targets, data.regions):
        lesion = target[0] > 0.5
        share = [float((lesion & (zones == z)).sum()) / max(float(lesion.sum()), 1.0) for z in range(6)]
        for z, named in enumerate(labels.tolist()):
            assert share[z] > 0.005 if named else share[z] < 0.03, (z, share, labels)
        assert set(zones.unique().tolist()) <= set(range(6)) | {NO_ZONE}
