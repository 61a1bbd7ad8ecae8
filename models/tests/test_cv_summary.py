"""Tests of locus.cv_summary on fabricated fold files: the cross-validation metrics record."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.constants import TOPK_DEFAULT
from locus.cv_summary import PROMPT_SETS, baseline_entry, onnx_topk_file, summarize_cv
from locus.evaluate import TOPK_SWEEP
from locus.schema import metrics_errors


def pytorch_score(dice: float, n: int) -> dict:
    return {"pytorch": {"n": n, "dice": {"mean": dice}, "iou": {"mean": dice - 0.1}}}


def fake_fold(folder: Path, test: list[str], dice: float, gap: float, points: int = 2) -> None:
    """What locus.cv leaves in a fold folder: locus.evaluate's record, locus eval's rows."""
    folder.mkdir(parents=True)
    n = len(test)
    (folder / "metrics.json").write_text(json.dumps({
        "evaluation": "test-split", "command": "x", "summary": pytorch_score(dice, n),
        "prompts": {name: pytorch_score(dice, n) for name in PROMPT_SETS},
        "topk": {"theta": 0.9, "rows": [{"k": k, "scores": pytorch_score(dice - 0.01 * (k == 0), n)}
                                        for k in TOPK_SWEEP]},
        "location": {"n": 1, "reports": {"true_report": pytorch_score(dice, 1),
                                         "other_regions": pytorch_score(0.2, 1),
                                         "all_regions": pytorch_score(dice - 0.05, 1)}},
        "per_case": {"source": "pytorch",
                     "cases": [{"case": s, "dice": dice, "iou": dice - 0.1, "points": points,
                                "coarse_max": 0.95} for s in test]}}))
    rows = [{"id": s, "dice": dice + gap, "iou": dice - 0.1, "error": None, "points": points,
             "coarseMax": 0.95} for s in test]
    for name in PROMPT_SETS:
        (folder / f"onnx-{name}.json").write_text(json.dumps({"cases": rows}))
    for k in TOPK_SWEEP:
        if k != TOPK_DEFAULT:
            onnx_topk_file(folder, k).write_text(json.dumps({"cases": rows}))
    (folder / "onnx-wrong-reports.json").write_text(json.dumps(
        {"cases": [{"id": test[0], "dice": 0.2, "iou": 0.1, "error": None}]}))
    (folder / "onnx-generic-reports.json").write_text(json.dumps(
        {"cases": [{"id": test[0], "dice": dice - 0.05, "iou": 0.1, "error": None}]}))
    (folder / "training.json").write_text(json.dumps({"seconds": 12.0, "cpu_seconds": 20.0}))


def fake_image_only_fold(folder: Path, test: list[str], dice: float) -> None:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps({
        "evaluation": "test-split", "command": "x", "summary": pytorch_score(dice, len(test)),
        "per_case": {"source": "pytorch",
                     "cases": [{"case": s, "dice": dice, "iou": dice - 0.1} for s in test]}}))
    rows = [{"id": s, "dice": dice, "iou": dice - 0.1, "error": None} for s in test]
    (folder / "onnx-none.json").write_text(json.dumps({"cases": rows}))
    (folder / "training.json").write_text(json.dumps({"seconds": 10.0}))


def test_cv_record_means_stds_pooled_and_gaps(tmp_path):
    fake_fold(tmp_path / "fold0", ["1", "2"], 0.6, 0.001, points=0)
    fake_fold(tmp_path / "fold1", ["3", "4"], 0.8, 0.0)
    summary = summarize_cv(tmp_path, [0, 1], [["1", "2"], ["3", "4"]], k=5, seed=7, command="x")
    record = summary["metrics"]
    assert metrics_errors(record) == []
    assert record["evaluation"] == "cross-validation"
    dice = record["summary"]["pytorch"]["dice"]
    assert dice["mean"] == pytest.approx(0.7) and dice["std"] == pytest.approx(0.1414, abs=1e-4)
    assert record["summary"]["pytorch"]["n"] == 4 and set(record["prompts"]) == set(PROMPT_SETS)
    assert len(PROMPT_SETS) == 8
    cv = record["cross_validation"]
    assert (cv["k"], cv["seed"], [f["fold"] for f in cv["folds"]]) == (5, 7, [0, 1])
    assert cv["folds"][1]["scores"]["pytorch"]["dice"]["mean"] == 0.8
    assert cv["pooled"]["onnx"]["dice"]["mean"] == pytest.approx(0.7005)
    assert cv["pytorch_onnx_gap"]["per_case_dice"] == pytest.approx(0.001)
    location = record["location"]
    assert location["n"] == 2
    assert location["reports"]["other_regions"]["onnx"]["dice"]["mean"] == pytest.approx(0.2)
    assert location["reports"]["true_report"]["pytorch"]["dice"]["mean"] == pytest.approx(0.7)
    assert location["reports"]["all_regions"]["onnx"]["dice"]["mean"] == pytest.approx(0.65)
    assert [r["k"] for r in record["topk"]["rows"]] == list(TOPK_SWEEP)
    assert record["topk"]["rows"][0]["scores"]["pytorch"]["dice"]["mean"] == pytest.approx(0.69)
    assert record["points"]["fraction_with_points"] == 0.5 and record["points"]["n"] == 4
    assert summary["folds"][0]["per_case"][0]["onnx"]["dice"] == pytest.approx(0.601)


def test_image_only_cv_and_its_baseline_entry(tmp_path):
    base = tmp_path / "base"
    fake_image_only_fold(base / "fold0", ["1", "2"], 0.5)
    fake_image_only_fold(base / "fold1", ["3", "4"], 0.7)
    summary = summarize_cv(base, [0, 1], [["1", "2"], ["3", "4"]], k=5, seed=7, command="x",
                           image_only=True)
    record = summary["metrics"]
    assert metrics_errors(record) == []
    assert set(record["prompts"]) == {"none"} and "location" not in record
    (base / "cv.json").write_text(json.dumps(summary))
    entry = baseline_entry(base / "cv.json", name="image-only", description="d")
    locus = tmp_path / "locus"
    fake_fold(locus / "fold0", ["1", "2"], 0.6, 0.0)
    fake_fold(locus / "fold1", ["3", "4"], 0.8, 0.0)
    with_base = summarize_cv(locus, [0, 1], [["1", "2"], ["3", "4"]], k=5, seed=7, command="x",
                             baselines=[entry])["metrics"]
    assert metrics_errors(with_base) == []
    assert with_base["baselines"][0]["scores"]["onnx"]["dice"]["mean"] == pytest.approx(0.6)
    assert len(with_base["baselines"][0]["folds"]) == 2


def test_cv_summary_refuses_a_fold_whose_onnx_run_holds_other_cases(tmp_path):
    fake_fold(tmp_path / "fold0", ["1", "2"], 0.6, 0.0)
    with pytest.raises(ValueError):
        summarize_cv(tmp_path, [0], [["1", "9"]], k=5, seed=7, command="x")
