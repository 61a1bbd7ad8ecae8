"""Tests of locus.data.report and the shared report vectors."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from locus.data.report import (
    ParsedReport, list_unreadable, parse_report, read_descriptions, split_words, within_one_edit,
)
from locus.data.report_vectors import SYNTHETIC, build_vectors, dump_vectors, shared_csvs

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "report_labels.json"
#: The shared strings the parser refuses, by (file, row): both in the QaTa-COV19 test set.
KNOWN_UNREADABLE = {
    ("reports/qata-cov19-v2/test.csv", 1557): "'and' joins location words without a side",
    ("reports/qata-cov19-v2/test.csv", 1994): "two sides in one location phrase",
}
#: infnet-pseudo-ct's machine-made reports whose mask reaches no zone name no location
#: ("..., one infected area, ."): refused, as they should be.
PSEUDO_CSV, PSEUDO_NO_LOCATION = "infnet-pseudo-ct/reports.csv", 68
_B = "Bilateral pulmonary infection, two infected areas, "
_U = "Unilateral pulmonary infection, one infected area, "


@pytest.fixture()
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs ../shared (not found at {SHARED_DATA})")
    return SHARED_DATA


def labels(text: str) -> str | None:
    return parse_report(text).label_string


def test_paper_example() -> None:
    parsed = parse_report(_B + "upper middle left lung and lower right lung.")
    assert parsed == ParsedReport((0, 0, 1, 1, 1, 0), True, None, 2, "bilateral", ())


def test_side_without_zone_word_means_whole_side() -> None:
    assert labels(_U + "left lung.") == "000111"
    assert labels(_B + "left lung and middle right lung.") == "010111"


def test_all_means_three_zones() -> None:
    assert labels(_B + "all left lung and all right lung.") == "111111"
    assert labels(_U + "all right lung.") == "111000"
    assert "all-with-zone" in parse_report(_U + "all lower right lung.").notes


@pytest.mark.parametrize("text", ["No pulmonary infection.", "no infection",
                                  "No pulmonary infection, zero infected areas.",
                                  "0 infected areas"])
def test_normal_is_all_zeros(text: str) -> None:
    parsed = parse_report(text)
    assert parsed.readable and parsed.labels == (0,) * 6


def test_typos_are_fixed_and_noted() -> None:
    parsed = parse_report(_B + "midlle leff lung and uppper rught lung.(wait")
    assert parsed.label_string == "100010"
    assert {"typo:midlle=middle", "typo:leff=left", "typo:uppper=upper", "typo:rught=right",
            "ignored:wait"} <= set(parsed.notes)
    assert labels(_U + "rlower ight lung.") == "001000"
    assert labels(_U + "lowerright lung.") == "001000"
    assert parse_report("Unilateral pulmonary infection, oneinfected areas, middle left lung."
                        ).count == 1


def test_ambiguous_or_distant_typos_are_refused() -> None:
    assert labels(_U + "ald left lung.") is None  # all / and
    assert labels(_U + "mdle left lung.") is None  # two edits from middle


def test_within_one_edit() -> None:
    assert within_one_edit("midlle", "middle") and within_one_edit("lfet", "left")
    assert within_one_edit("al", "all") and within_one_edit("aall", "all")
    assert not within_one_edit("left", "left") and not within_one_edit("mdle", "middle")


def test_split_words_is_ascii_only() -> None:
    words = ["areas", "lower", "left", "lung", "10", "x"]
    assert split_words("Areas,lower LEFT-lung..10x") == words
    assert split_words("\uff2ceft \u0130t") == ["eft", "t"]


def test_contradictory_laterality_trusts_locations() -> None:
    parsed = parse_report("Unilateral pulmonary infection, one infected areas, "
                          "left lung and middle right lung.")
    assert parsed.label_string == "010111" and "laterality-conflict" in parsed.notes
    parsed = parse_report("Bilateral pulmonary infection, one infected area, lower right lung.")
    assert parsed.label_string == "001000" and "laterality-conflict" in parsed.notes


def test_side_is_inferred_only_when_bilateral_names_one_side() -> None:
    parsed = parse_report(_B + "all left lung and middle lower lung.")
    assert parsed.label_string == "011111" and "side-inferred:right" in parsed.notes
    assert labels("Unilateral pulmonary infection, upper lung.") is None
    assert labels(_B + "upper lung and lower lung.") is None


@pytest.mark.parametrize("text, reason", [
    ("", "empty report"),
    (_B.rstrip(", ") + ".", "no location"),
    (_U + "lower and right lung.", "'and' joins location words without a side"),
    (_B + "right left lung and upper right lung.", "two sides in one location phrase"),
    ("upper left lung and lower right", "location words not followed by 'lung'"),
    ("No pulmonary infection, upper left lung.", "negation together with locations"),
    ("No bilateral infection.", "negation together with laterality or a count"),
])
def test_unreadable_reasons(text: str, reason: str) -> None:
    parsed = parse_report(text)
    assert not parsed.readable and parsed.reason == reason and parsed.labels == (0,) * 6


def test_vectors_synthetic_cases_match_parser() -> None:
    doc = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert doc["synthetic"] == [{"text": t, "labels": e} for t, e in SYNTHETIC]
    for case in doc["synthetic"]:
        assert labels(case["text"]) == case["labels"], case["text"]


def test_every_shared_string_parses(shared_data: Path) -> None:
    paths = shared_csvs(shared_data)
    total = sum(len(read_descriptions(p)) for p in paths)
    bad = list_unreadable(paths)
    print(f"\n{total} shared reports, {len(bad)} unreadable:")
    for row in bad:
        print(f"  {row.path}:{row.row}: {row.reason}: {row.text!r}")
    assert total > 4800
    found = {(Path(r.path).relative_to(shared_data).as_posix(), r.row): r.reason for r in bad}
    pseudo = {key: reason for key, reason in found.items() if key[0] == PSEUDO_CSV}
    assert set(pseudo.values()) == {"no location"} and len(pseudo) == PSEUDO_NO_LOCATION
    assert {key: reason for key, reason in found.items() if key[0] != PSEUDO_CSV} == KNOWN_UNREADABLE


def test_medseg_reports_match_zones(shared_data: Path) -> None:
    folder = shared_data / "medseg-covid-ct" / "train"
    with open(folder / "reports.csv", encoding="utf-8-sig", newline="") as f:
        reports = {row["Image"]: row["Description"] for row in csv.DictReader(f)}
    with open(folder / "zones.csv", encoding="utf-8-sig", newline="") as f:
        zones = list(csv.reader(f))
    assert len(zones) - 1 == len(reports) == 50
    for image, *values in zones[1:]:
        assert parse_report(reports[image]).labels == tuple(map(int, values)), image


def test_vectors_file_in_sync(shared_data: Path) -> None:
    expected = dump_vectors(build_vectors(shared_data))
    assert VECTORS.read_text(encoding="utf-8") == expected, (
        "regenerate: cd models && /usr/bin/python3 -m locus.data.report_vectors "
        "--shared ../../shared/data --out tests/vectors/report_labels.json")
