"""Tests of locus.export.migrate: format-1 manifests (both metrics shapes format 1 had) become
format 2 with every figure unchanged."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.constants import EXPECTED_INPUT
from locus.data.report import PARSER_VERSION
from locus.export.migrate import main, migrate

MODELS = Path(__file__).resolve().parents[2]
V1_TEST_SPLIT = {
    "data": "data-gen/synth-cxr/test", "cases": 2, "skipped": [],
    "all_prompts": {"dice": 0.72, "miou": 0.59, "dice_std": 0.186, "cases": 2},
    "table5_prompts": {"none": {"dice": 0.61, "miou": 0.49, "dice_std": 0.257, "cases": 2},
                       "all": {"dice": 0.72, "miou": 0.59, "dice_std": 0.186, "cases": 2}},
    "location": {"cases": 1, "dice_true_report": 0.7, "dice_other_regions_report": 0.45,
                 "miou_other_regions_report": 0.33, "dice_drop": 0.25, "command": "evaluate again"},
    "per_case": [{"case": "a", "dice": 0.5}, {"case": "b", "dice": 0.94}],
    "table2_qgaf": {"full": {"dice": 0.72, "miou": 0.59, "dice_std": 0.186, "cases": 2},
                    "no_qgaf": {"dice": 0.68, "miou": 0.55, "dice_std": 0.22, "cases": 2}},
    "seconds": 348.0, "command": "python3 -m locus.evaluate --run runs/demo-cxr",
}
CV = {"dice": {"mean": 0.5, "std": 0.05}, "iou": {"mean": 0.36, "std": 0.04}}
V1_CROSS_VALIDATION = {
    "protocol": "2-fold", "measured_by": "locus eval (onnx) and python3 -m locus.evaluate (torch)",
    "all_prompts": {"onnx": CV, "torch": CV},
    "pooled_all_prompts": {"torch_dice": 0.51, "torch_iou": 0.36, "onnx_dice": 0.51, "onnx_iou": 0.36},
    "table5_prompts": {"all": {"torch": CV, "onnx": CV}},
    "location": {"cases": 3, "torch_dice_true_report": 0.48, "torch_dice_other_regions_report": 0.41,
                 "onnx_dice_true_report": 0.47, "onnx_dice_other_regions_report": 0.4},
    "per_fold": [{"fold": 0, "cases": 10, "onnx": {"dice": 0.56, "iou": 0.4},
                  "torch": {"dice": 0.56, "iou": 0.4}},
                 {"fold": 1, "cases": 10, "onnx": {"dice": 0.45, "iou": 0.3},
                  "torch": {"dice": 0.45, "iou": 0.3}}],
    "torch_onnx_largest_gap": {"fold_means": 0.0, "per_case_dice": 0.0},
    "fold_train_seconds": [614.9, 1090.5], "command": "python3 -m locus.cv",
}


def format_1(metrics: dict, folds: dict | None = None) -> dict:
    """The shipped demo manifest as format 1 wrote it, with `metrics`."""
    doc = json.loads((MODELS / "demo-cxr" / "manifest.json").read_text())
    del doc["report_parser"]
    doc["format_version"] = 1
    doc["provenance"]["data"][0]["source"] = "python3 -m locus.data.synth (seed 2026)"
    doc["training"]["phases"]["config"]["data"]["folds"] = folds or {}
    return doc | {"metrics": metrics}


def test_a_test_split_keeps_every_figure():
    doc = migrate(format_1(V1_TEST_SPLIT))
    assert (doc["format_version"], doc["report_parser"]) == (2, PARSER_VERSION)
    assert list(doc).index("report_parser") == list(doc).index("tokenizer") + 1
    assert doc["provenance"]["data"][0]["source"] == "python3 -m locus.synth (seed 2026)"
    m = doc["metrics"]
    assert m["summary"] == {"pytorch": {"n": 2, "dice": {"mean": 0.72, "std": 0.186},
                                        "iou": {"mean": 0.59}}}
    assert m["prompts"]["none"]["pytorch"]["dice"] == {"mean": 0.61, "std": 0.257}
    assert m["bridges"]["no_qgaf"]["pytorch"]["iou"] == {"mean": 0.55}
    assert m["location"] == {"n": 1, "command": "evaluate again", "reports": {
        "true_report": {"pytorch": {"n": 1, "dice": {"mean": 0.7}}},
        "other_regions": {"pytorch": {"n": 1, "dice": {"mean": 0.45}, "iou": {"mean": 0.33}}}}}
    assert m["per_case"] == {"source": "pytorch", "cases": V1_TEST_SPLIT["per_case"]}
    assert (m["data"], m["seconds"], m["command"]) == ("data-gen/synth-cxr/test", 348.0,
                                                       V1_TEST_SPLIT["command"])


def test_a_cross_validation_keeps_every_figure():
    m = migrate(format_1(V1_CROSS_VALIDATION, {"k": 2, "seed": 2026}))["metrics"]
    assert m["evaluation"] == "cross-validation" and m["measured_by"].endswith("(pytorch)")
    assert m["summary"]["pytorch"] == {"n": 20} | CV and m["prompts"]["all"]["onnx"] == {"n": 20} | CV
    assert m["location"]["reports"]["true_report"] == {
        "pytorch": {"n": 3, "dice": {"mean": 0.48}}, "onnx": {"n": 3, "dice": {"mean": 0.47}}}
    cv = m["cross_validation"]
    assert (cv["k"], cv["seed"], cv["pytorch_onnx_gap"]["fold_means"]) == (2, 2026, 0.0)
    assert cv["folds"][1] == {"fold": 1, "n": 10, "train_seconds": 1090.5, "scores": {
        "pytorch": {"n": 10, "dice": {"mean": 0.45}, "iou": {"mean": 0.3}},
        "onnx": {"n": 10, "dice": {"mean": 0.45}, "iou": {"mean": 0.3}}}}
    assert cv["pooled"]["onnx"] == {"n": 20, "dice": {"mean": 0.51}, "iou": {"mean": 0.36}}


def test_no_metrics_become_null_and_format_2_is_not_migrated_again(capsys):
    assert migrate(format_1({}))["metrics"] is None
    with pytest.raises(ValueError, match="only format 1"):
        migrate({"format_version": 0})
    main(["demo-cxr"])
    assert capsys.readouterr().out.endswith("demo-cxr/manifest.json: already format 2 with expected_input\n")


@pytest.mark.parametrize("bundle", ["demo-cxr", "medseg-ct"])
def test_expected_input_comes_from_the_constants_and_changes_nothing_else(bundle):
    shipped = json.loads((MODELS / bundle / "manifest.json").read_text())
    assert shipped["expected_input"] == EXPECTED_INPUT[shipped["modality"]]
    without = {k: v for k, v in shipped.items() if k != "expected_input"}
    assert migrate(without) == shipped and list(migrate(without)) == list(shipped)
    assert migrate(shipped) == shipped
    from_format_1 = migrate(format_1({}))
    assert list(from_format_1).index("expected_input") == list(from_format_1).index("preprocess") + 1
