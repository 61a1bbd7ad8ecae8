"""Tests of the evaluation helpers: wrong reports for the location test, and the
cross-validation summary (locus.cv_summary) on fabricated fold files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.cv_summary import PROMPT_SETS, manifest_metrics, summarize_cv
from locus.data.dataset import Case
from locus.data.report import parse_report
from locus.evaluate import wrong_reports

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


def fake_fold(folder: Path, test: list[str], dice: float, gap: float) -> None:
    folder.mkdir(parents=True)
    prompts = {n: {"dice": dice, "miou": dice - 0.1} for n in PROMPT_SETS}
    (folder / "metrics.json").write_text(json.dumps({
        "table5_prompts": prompts,
        "location": {"cases": 1, "dice_true_report": dice, "dice_other_regions_report": 0.2},
        "per_case": [{"case": s, "dice": dice, "iou": dice - 0.1} for s in test]}))
    rows = [{"id": s, "dice": dice + gap, "iou": dice - 0.1, "error": None} for s in test]
    for name in PROMPT_SETS:
        (folder / f"onnx-{name}.json").write_text(json.dumps({"cases": rows}))
    (folder / "onnx-wrong-reports.json").write_text(json.dumps(
        {"cases": [{"id": test[0], "dice": 0.2, "iou": 0.1, "error": None}]}))
    (folder / "training.json").write_text(json.dumps({"seconds": 12.0}))


def test_cv_summary_means_stds_and_gaps(tmp_path):
    fake_fold(tmp_path / "fold0", ["1", "2"], 0.6, 0.001)
    fake_fold(tmp_path / "fold1", ["3", "4"], 0.8, 0.0)
    summary = summarize_cv(tmp_path, [0, 1], [["1", "2"], ["3", "4"]])
    torch_all = summary["across_folds"]["all"]["torch"]["dice"]
    assert torch_all["mean"] == pytest.approx(0.7) and torch_all["std"] == pytest.approx(0.1414, abs=1e-4)
    assert summary["pooled_all_prompts"]["onnx_dice"] == pytest.approx(0.7005)
    assert summary["torch_onnx_largest_gap"]["per_case_dice"] == pytest.approx(0.001)
    assert summary["location_pooled"]["cases"] == 2
    summary["command"] = "x"
    assert manifest_metrics(summary)["per_fold"][1]["torch"]["dice"] == 0.8


def test_cv_summary_refuses_a_fold_whose_onnx_run_holds_other_cases(tmp_path):
    fake_fold(tmp_path / "fold0", ["1", "2"], 0.6, 0.0)
    with pytest.raises(ValueError):
        summarize_cv(tmp_path, [0], [["1", "9"]])
