"""Cross-validation figures from the files `locus.cv` leaves in each fold folder.

PyTorch: `foldI/metrics.json` (the metrics record of `locus.evaluate`). ONNX: `foldI/onnx-<prompts>.json`
and `foldI/onnx-wrong-reports.json` (`locus eval`). Across folds: mean and sample standard deviation
(n - 1) of the fold means; pooled: the mean over every held-out case. The result is the same
metrics record a test split gets (`metrics_record.py`, evaluation `cross-validation`).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .metrics_record import SOURCES, Measured, mean_of, record, rounded, score

PROMPT_SETS = ("none", "coarse", "coarse+points", "all")


def _onnx_rows(path: Path) -> dict[str, dict]:
    rows = json.loads(path.read_text())["cases"]
    bad = [r["id"] for r in rows if r.get("error")]
    if bad:
        raise ValueError(f"{path}: cases not scored by locus eval: {', '.join(bad)}")
    return {r["id"]: r for r in rows}


def _fold_mean(rows: list[dict]) -> dict:
    return {"dice": rounded(np.mean([r["dice"] for r in rows])),
            "iou": rounded(np.mean([r["iou"] for r in rows]))}


def _pytorch_mean(measured: Measured) -> dict:
    return {"dice": mean_of(measured, "pytorch"), "iou": mean_of(measured, "pytorch", "iou")}


def fold_figures(fold_dir: Path, test: list[str]) -> dict:
    """One fold: PyTorch and ONNX means per prompt set, the wrong-report test, per-case scores."""
    pytorch = json.loads((fold_dir / "metrics.json").read_text())
    onnx = {name: _onnx_rows(fold_dir / f"onnx-{name}.json") for name in PROMPT_SETS}
    for name, rows in onnx.items():
        if sorted(rows) != sorted(test):
            raise ValueError(f"{fold_dir}/onnx-{name}.json does not hold the fold's test cases")
    prompts = {name: {"pytorch": _pytorch_mean(pytorch["prompts"][name]),
                      "onnx": _fold_mean(list(onnx[name].values()))} for name in PROMPT_SETS}
    wrong = _onnx_rows(fold_dir / "onnx-wrong-reports.json")
    reports = (pytorch.get("location") or {}).get("reports", {})
    location = {"n": len(wrong), "pytorch": {k: _pytorch_mean(v) for k, v in reports.items()},
                "onnx": {"true_report": _fold_mean([onnx["all"][s] for s in wrong]),
                         "other_regions": _fold_mean(list(wrong.values()))} if wrong else {}}
    per_case = {c["case"]: c for c in pytorch["per_case"]["cases"]}
    cases = [{"case": s, "pytorch": {"dice": per_case[s]["dice"], "iou": per_case[s]["iou"]},
              "onnx": {"dice": rounded(onnx["all"][s]["dice"]), "iou": rounded(onnx["all"][s]["iou"])}}
             for s in test]
    training = json.loads((fold_dir / "training.json").read_text())
    return {"test": test, "prompts": prompts, "location": location, "per_case": cases,
            "train_seconds": training["seconds"]}


def _across(figures: list[dict], name: str, n: int) -> Measured:
    """Mean +- std over folds of one prompt set's fold means."""
    return {src: score([f["prompts"][name][src]["dice"] for f in figures],
                       [f["prompts"][name][src]["iou"] for f in figures], ddof=1, n=n)
            for src in SOURCES}


def _pooled(figures: list[dict]) -> Measured:
    cases = [c for f in figures for c in f["per_case"]]
    return {src: score([c[src]["dice"] for c in cases], [c[src]["iou"] for c in cases], ddof=None)
            for src in SOURCES}


def _largest_gap(figures: list[dict]) -> dict:
    means = [abs(f["prompts"][n]["pytorch"][m] - f["prompts"][n]["onnx"][m])
             for f in figures for n in PROMPT_SETS for m in ("dice", "iou")]
    cases = [abs(c["pytorch"]["dice"] - c["onnx"]["dice"]) for f in figures for c in f["per_case"]]
    return {"fold_means": rounded(max(means)), "per_case_dice": rounded(max(cases))}


def _pooled_location(figures: list[dict]) -> dict | None:
    """The wrong-report test pooled over the eligible held-out cases of every fold: each fold's
    means weighted by its number of eligible cases."""
    folds = [f["location"] for f in figures if f["location"]["n"]]
    if not folds:
        return None
    n = sum(f["n"] for f in folds)
    reports: dict[str, Measured] = {}
    for report in ("true_report", "other_regions"):
        for src in SOURCES:
            values = [(f["n"], f[src][report]) for f in folds if report in f[src]]
            if len(values) < len(folds):
                continue
            weights = np.asarray([w for w, _ in values], dtype=np.float64) / n
            reports.setdefault(report, {})[src] = {"n": n} | {
                metric: {"mean": rounded(weights @ np.asarray([v[metric] for _, v in values]))}
                for metric in ("dice", "iou") if all(v.get(metric) is not None for _, v in values)}
    return {"n": n, "reports": reports}


def cv_metrics(figures: list[dict], folds: list[int], *, k: int, seed: int, command: str) -> dict:
    """The metrics record of a cross-validation: the figures of `folds` (out of `k`)."""
    n = sum(len(f["test"]) for f in figures)
    held_out = len(figures[0]["test"])
    return record(
        "cross-validation", command=command, summary=_across(figures, "all", n),
        protocol=f"{k}-fold cross-validation on {n} cases (folds fixed by seed {seed}; each fold "
                 f"model trained on the other {n - held_out} cases and their augmented copies, "
                 f"tested on its {held_out} held-out cases at the original resolution). The "
                 "shipped model is trained on all of them with the same recipe; it has no "
                 "held-out test of its own.",
        measured_by="locus eval through each fold's ONNX graphs (onnx) and python3 -m "
                    "locus.evaluate (pytorch)",
        prompts={name: _across(figures, name, n) for name in PROMPT_SETS},
        location=_pooled_location(figures),
        cross_validation={
            "k": k, "seed": seed, "pooled": _pooled(figures),
            "folds": [{"fold": i, "n": len(f["test"]), "train_seconds": f["train_seconds"],
                       "scores": {src: {"n": len(f["test"]),
                                        "dice": {"mean": f["prompts"]["all"][src]["dice"]},
                                        "iou": {"mean": f["prompts"]["all"][src]["iou"]}}
                                  for src in SOURCES}}
                      for i, f in zip(folds, figures)],
            "pytorch_onnx_gap": _largest_gap(figures)})


def summarize_cv(out: Path, folds: list[int], tests: list[list[str]], *, k: int, seed: int,
                 command: str) -> dict:
    """`cv.json`: every fold's figures (per case too) and the metrics record over them."""
    figures = [fold_figures(out / f"fold{i}", test) for i, test in zip(folds, tests)]
    return {"folds_done": folds, "folds": figures,
            "metrics": cv_metrics(figures, folds, k=k, seed=seed, command=command)}
