"""Tests of locus.schema: the shipped bundles and the every-section metrics example (which the
TypeScript tests validate too) pass; mistakes are named by their JSON pointer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.schema import check_metrics, manifest_errors, metrics_errors

MODELS = Path(__file__).resolve().parents[1]
EXAMPLE = MODELS / "tests" / "vectors" / "metrics_every_section.json"


@pytest.mark.parametrize("bundle", ["demo-cxr", "medseg-ct"])
def test_shipped_manifests_are_valid(bundle):
    assert manifest_errors(json.loads((MODELS / bundle / "manifest.json").read_text())) == []


def test_every_section_example_is_valid():
    example = json.loads(EXAMPLE.read_text())
    assert {"topk", "points", "baselines", "cross_validation", "location"} <= set(example)
    assert metrics_errors(example) == []


def test_errors_name_the_field():
    example = json.loads(EXAMPLE.read_text())
    example["points"]["fraction_with_points"] = 1.5
    del example["location"]["reports"]["true_report"]
    example["summary"] = {}
    errors = metrics_errors(example)
    assert errors == [
        "/location/reports: 'true_report' is a required property",
        "/points/fraction_with_points: 1.5 is greater than the maximum of 1",
        "/summary: {} does not have enough properties",
    ]
    with pytest.raises(ValueError, match="^metrics: not a valid metrics record: /location"):
        check_metrics(example)


def test_a_manifest_without_metrics_says_null_not_empty():
    doc = json.loads((MODELS / "demo-cxr" / "manifest.json").read_text())
    assert manifest_errors(doc | {"metrics": None}) == []
    assert manifest_errors(doc | {"metrics": {}}) == [
        "/metrics: 'evaluation' is a required property"]
