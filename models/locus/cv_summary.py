"""Cross-validation figures from the files `locus.cv` leaves in each fold folder.

PyTorch: `foldI/metrics.json` (`locus.evaluate`). ONNX: `foldI/onnx-<prompts>.json` and
`foldI/onnx-wrong-reports.json` (`locus eval`). Across folds: mean and sample standard deviation
(n - 1) of the fold means; pooled: the mean over every held-out slice.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

PROMPT_SETS = ("none", "coarse", "coarse+points", "all")


def _mean_std(values: list[float]) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    std = float(arr.std(ddof=1)) if arr.size > 1 else 0.0
    return {"mean": round(float(arr.mean()), 4), "std": round(std, 4)}


def _onnx_rows(path: Path) -> dict[str, dict]:
    rows = json.loads(path.read_text())["cases"]
    bad = [r["id"] for r in rows if r.get("error")]
    if bad:
        raise ValueError(f"{path}: cases not scored by locus eval: {', '.join(bad)}")
    return {r["id"]: r for r in rows}


def fold_figures(fold_dir: Path, test: list[str]) -> dict:
    """One fold: PyTorch and ONNX means per prompt set, the wrong-report test, per-case Dice."""
    torch_m = json.loads((fold_dir / "metrics.json").read_text())
    onnx = {name: _onnx_rows(fold_dir / f"onnx-{name}.json") for name in PROMPT_SETS}
    for name, rows in onnx.items():
        if sorted(rows) != sorted(test):
            raise ValueError(f"{fold_dir}/onnx-{name}.json does not hold the fold's test cases")
    prompts = {}
    for name in PROMPT_SETS:
        rows = onnx[name].values()
        pt = torch_m["table5_prompts"][name]
        prompts[name] = {"torch": {"dice": pt["dice"], "iou": pt["miou"]},
                         "onnx": {"dice": round(float(np.mean([r["dice"] for r in rows])), 4),
                                  "iou": round(float(np.mean([r["iou"] for r in rows])), 4)}}
    wrong = _onnx_rows(fold_dir / "onnx-wrong-reports.json")
    loc = torch_m.get("location") or {}
    true_dice = [onnx["all"][s]["dice"] for s in wrong]
    location = {"cases": len(wrong), "torch": loc,
                "onnx": {"dice_true_report": round(float(np.mean(true_dice)), 4) if wrong else None,
                         "dice_other_regions_report":
                         round(float(np.mean([r["dice"] for r in wrong.values()])), 4)
                         if wrong else None}}
    per_case = {c["case"]: c for c in torch_m["per_case"]}
    cases = [{"case": s, "torch_dice": per_case[s]["dice"], "torch_iou": per_case[s]["iou"],
              "onnx_dice": round(onnx["all"][s]["dice"], 4),
              "onnx_iou": round(onnx["all"][s]["iou"], 4)} for s in test]
    training = json.loads((fold_dir / "training.json").read_text())
    return {"test": test, "prompts": prompts, "location": location, "per_case": cases,
            "train_seconds": training["seconds"]}


def _largest_gap(folds: list[dict]) -> dict:
    means = [abs(f["prompts"][n]["torch"][m] - f["prompts"][n]["onnx"][m])
             for f in folds for n in PROMPT_SETS for m in ("dice", "iou")]
    cases = [abs(c["torch_dice"] - c["onnx_dice"]) for f in folds for c in f["per_case"]]
    return {"fold_means": round(max(means), 4), "per_case_dice": round(max(cases), 4)}


def _pooled_location(figures: list[dict]) -> dict:
    """The wrong-report test pooled over the eligible held-out slices of every fold."""
    rows = [(f["location"]["torch"].get("dice_true_report"),
             f["location"]["torch"].get("dice_other_regions_report"),
             f["location"]["onnx"]["dice_true_report"],
             f["location"]["onnx"]["dice_other_regions_report"], f["location"]["cases"])
            for f in figures if f["location"]["cases"]]
    if not rows:
        return {}
    arr = np.asarray(rows, dtype=np.float64)
    weights = arr[:, 4] / arr[:, 4].sum()
    names = ("torch_dice_true_report", "torch_dice_other_regions_report",
             "onnx_dice_true_report", "onnx_dice_other_regions_report")
    return {"cases": int(arr[:, 4].sum())} | {
        name: round(float(weights @ arr[:, i]), 4) for i, name in enumerate(names)}


def summarize_cv(out: Path, folds: list[int], tests: list[list[str]]) -> dict:
    figures = [fold_figures(out / f"fold{i}", test) for i, test in zip(folds, tests)]
    across = {}
    for name in PROMPT_SETS:
        across[name] = {src: {m: _mean_std([f["prompts"][name][src][m] for f in figures])
                              for m in ("dice", "iou")} for src in ("torch", "onnx")}
    pooled = {key: round(float(np.mean([c[key] for f in figures for c in f["per_case"]])), 4)
              for key in ("torch_dice", "torch_iou", "onnx_dice", "onnx_iou")} if figures else {}
    location = _pooled_location(figures)
    return {"folds_done": folds, "across_folds": across, "pooled_all_prompts": pooled,
            "location_pooled": location, "torch_onnx_largest_gap": _largest_gap(figures)
            if figures else None,
            "train_seconds": [f["train_seconds"] for f in figures], "folds": figures}


def manifest_metrics(summary: dict) -> dict:
    """The bundle's `metrics`: cross-validated figures of the recipe, labelled as such."""
    folds = summary["folds"]
    return {
        "protocol": f"{len(folds)}-fold cross-validation on the 50 MedSeg training slices "
                    "(folds fixed by seed; each fold model trained on the other 40 slices and "
                    "their augmented copies, tested on its 10 held-out slices at the original "
                    "resolution). The shipped model is trained on all 50 with the same recipe; "
                    "it has no held-out test of its own.",
        "measured_by": "locus eval through each fold's ONNX graphs (onnx) and python3 -m "
                       "locus.evaluate (torch)",
        "all_prompts": {src: summary["across_folds"]["all"][src] for src in ("onnx", "torch")},
        "pooled_all_prompts": summary["pooled_all_prompts"],
        "table5_prompts": {name: summary["across_folds"][name] for name in PROMPT_SETS},
        "location": summary["location_pooled"],
        "per_fold": [{"fold": i, "cases": len(f["test"]),
                      "onnx": f["prompts"]["all"]["onnx"], "torch": f["prompts"]["all"]["torch"]}
                     for i, f in zip(summary["folds_done"], folds)],
        "torch_onnx_largest_gap": summary["torch_onnx_largest_gap"],
        "fold_train_seconds": summary["train_seconds"],
        "command": summary["command"],
    }
