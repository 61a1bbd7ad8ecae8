"""Tests of locus.evaluate's helpers: wrong reports for the location test, and the record's
summaries (the whole command runs in test_smoke_run.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from locus.data.dataset import Case
from locus.data.report import parse_report
from locus.evaluate import (PROMPT_SETS, generic_reports, location_test, points_coverage,
                            summarize, wrong_reports)
from locus.schema import metrics_errors

REPORTS = {"a": "Unilateral pulmonary infection, one infected area, lower left lung.",
           "b": "Bilateral pulmonary infection, two infected areas, all left lung and all right lung.",
           "c": "Bilateral pulmonary infection, 10 infected areas, upper left lung and middle right lung."}


def cases(stems):
    return [Case(stem=s, image=Path(f"{s}.png"), mask=None, report=REPORTS[s]) for s in stems]


def test_wrong_reports_name_exactly_the_other_regions():
    out = wrong_reports(cases(["a", "b", "c"]))
    assert set(out) == {"a", "c"}  # "b" names all six regions: no other region exists
    for stem, text in out.items():
        truth = parse_report(REPORTS[stem]).labels
        assert parse_report(text).labels == tuple(1 - v for v in truth)


def test_wrong_reports_do_not_depend_on_the_subset():
    assert wrong_reports(cases(["c"]))["c"] == wrong_reports(cases(["a", "b", "c"]))["c"]


def test_generic_reports_name_all_regions_for_eligible_cases():
    out = generic_reports(cases(["a", "b", "c"]))
    assert set(out) == set(wrong_reports(cases(["a", "b", "c"])))
    for stem, text in out.items():
        parsed = parse_report(text)
        assert parsed.labels == (1,) * 6 and parsed.count == parse_report(REPORTS[stem]).count


def test_prompt_sets_are_every_subset():
    subsets = {(s.use_coarse, s.use_points, s.use_text) for s in PROMPT_SETS.values()}
    assert len(subsets) == 8 and list(PROMPT_SETS)[0] == "none" and list(PROMPT_SETS)[-1] == "all"


def test_points_coverage():
    per_case = [{"points": 0, "coarse_max": 0.5}, {"points": 3, "coarse_max": 0.97},
                {"points": 1, "coarse_max": 0.93}]
    out = points_coverage(per_case)
    assert out["fraction_with_points"] == pytest.approx(0.6667) and out["median_coarse_max"] == 0.93
    assert points_coverage([]) is None


def test_summaries_are_pytorch_scores_over_cases():
    measured = summarize([(0.5, 0.4), (0.7, 0.6)])
    assert measured == {"pytorch": {"n": 2, "dice": {"mean": 0.6, "std": 0.1},
                                    "iou": {"mean": 0.5, "std": 0.1}}}
    location = location_test([(0.8, 0.7, 0.2, 0.1, 0.7, 0.6), (0.6, 0.5, 0.4, 0.3, 0.5, 0.4)])
    assert location["n"] == 2
    assert location["reports"]["all_regions"]["pytorch"]["dice"]["mean"] == pytest.approx(0.6)
    assert location["reports"]["true_report"]["pytorch"]["dice"]["mean"] == pytest.approx(0.7)
    assert location["reports"]["other_regions"]["pytorch"]["iou"]["mean"] == pytest.approx(0.2)
    assert location_test([]) is None
    record = {"evaluation": "test-split", "command": "x", "summary": measured, "location": location}
    assert metrics_errors(record) == []
