"""Tests of locus.metrics_record: stats over cases and folds, and the record's checks."""
from __future__ import annotations

import pytest

from locus.metrics_record import mean_of, record, score, stat


def test_stat_spreads_over_cases_folds_or_none():
    assert stat([0.5, 0.7], ddof=0) == {"mean": 0.6, "std": 0.1}
    assert stat([0.5, 0.7], ddof=1) == {"mean": 0.6, "std": 0.1414}
    assert stat([0.5, 0.7], ddof=None) == {"mean": 0.6}
    assert stat([0.5], ddof=1) == {"mean": 0.5}  # one fold has no sample spread


def test_score_counts_cases_and_keeps_iou_optional():
    assert score([0.2, 0.4], None, ddof=None) == {"n": 2, "dice": {"mean": 0.3}}
    measured = {"pytorch": score([0.2, 0.4], [0.1, 0.3], ddof=1, n=20)}
    assert measured["pytorch"]["n"] == 20
    assert mean_of(measured, "pytorch", "iou") == 0.2
    assert mean_of(measured, "onnx") is None


def test_record_leaves_out_empty_sections_and_checks_the_rest():
    summary = {"pytorch": score([0.5], [0.4], ddof=0)}
    assert record("test-split", command="x", summary=summary, location=None) == {
        "evaluation": "test-split", "command": "x", "summary": summary}
    with pytest.raises(ValueError, match="/bridges: {} does not have enough properties"):
        record("test-split", command="x", summary=summary, bridges={})
