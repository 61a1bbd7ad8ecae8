"""Tests of locus.data.zones: the reports written from zone labels are true to them."""
from __future__ import annotations

import re

import numpy as np

from locus.data.zones import NUMBER_WORDS, count_words, report_from_zones

_NUMBER = {w: i for i, w in enumerate(NUMBER_WORDS)}
_FIXES = {"midlle": "middle", "midle": "middle", "uppper": "upper", "loweer": "lower"}


def _parse(report: str) -> tuple[tuple[int, ...], int]:
    """A minimal reader of the generated grammar, to check the reports are true."""
    text = report.lower()
    for bad, good in _FIXES.items():
        text = text.replace(bad, good)
    if text.startswith("no pulmonary infection"):
        return (0,) * 6, 0
    m = re.match(r"(uni|bi)lateral pulmonary infection\s*,\s*(\w+) infected areas?,\s*(.*)", text)
    assert m, report
    count = _NUMBER.get(m.group(2)) if m.group(2) in _NUMBER else int(m.group(2))
    labels = [0] * 6
    for phrase in m.group(3).rstrip(".").split(" and "):
        *words, side, lung = phrase.split()
        assert lung == "lung" and side in ("left", "right"), report
        levels = {0, 1, 2} if not words or words == ["all"] else {
            ("upper", "middle", "lower").index(w) for w in words}
        for level in levels:
            labels[level + (3 if side == "left" else 0)] = 1
    laterality = "bi" if any(labels[:3]) and any(labels[3:]) else "uni"
    assert m.group(1) == laterality, report
    return tuple(labels), count


def test_reports_are_true_to_zones():
    rng = np.random.default_rng(7)
    seen = []
    for _ in range(3000):
        zones = tuple(int(v) for v in rng.random(6) < 0.4)
        count = int(rng.integers(1, 14)) if any(zones) else 0
        report = report_from_zones(zones, count, rng, typo_rate=0.2)
        assert _parse(report) == (zones, count), report
        seen.append(report)
    joined = "\n".join(seen)
    for variant in ("all left lung", "upper middle lower", ", left lung and ", "..", "midlle",
                    "one infected areas", "one infected area,", "middle upper", "12 infected",
                    "areas,upper", "infection ,"):
        assert variant in joined, variant


def test_left_side_is_listed_first():
    report = report_from_zones((1, 0, 0, 0, 0, 1), 2, np.random.default_rng(1), typo_rate=0)
    assert report.index("left") < report.index("right")


def test_count_words():
    assert [count_words(i) for i in (0, 1, 9, 10, 26)] == ["zero", "one", "nine", "10", "26"]
