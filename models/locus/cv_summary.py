"""Cross-validation figures from the files `locus.cv` leaves in each fold folder.

PyTorch: `foldI/metrics.json` (the metrics record of `locus.evaluate`). ONNX (`locus eval`):
`foldI/onnx-<prompts>.json` per prompt set, `foldI/onnx-k<K>.json` per Top-k value, and
`foldI/onnx-wrong-reports.json` / `onnx-generic-reports.json` for the location test. Across folds:
mean and sample standard deviation (n - 1) of the fold means; pooled: the mean over every held-out
case. The result is the same metrics record a test split gets (`metrics_record.py`, evaluation
`cross-validation`). An image-only reference CV has the "none" prompt set only.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .constants import THETA_DEFAULT, TOPK_DEFAULT
from .evaluate import PROMPT_SETS as EVAL_PROMPT_SETS, TOPK_SWEEP
from .metrics_record import SOURCES, Measured, mean_of, record, rounded, score

PROMPT_SETS = tuple(EVAL_PROMPT_SETS)
IMAGE_ONLY_SETS = ("none",)
#: The location test's reports and their ONNX result files (the true report is `onnx-all`).
LOCATION_FILES = {"other_regions": "onnx-wrong-reports.json",
                  "all_regions": "onnx-generic-reports.json"}


def onnx_topk_file(fold_dir: Path, k: int) -> Path:
    """`locus eval --k K` results; the default k is the all-prompts run itself."""
    return fold_dir / ("onnx-all.json" if k == TOPK_DEFAULT else f"onnx-k{k}.json")


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


def _location(fold_dir: Path, pytorch: dict, all_rows: dict[str, dict]) -> dict:
    """The fold's location test: PyTorch means from its record, ONNX means of the same cases."""
    reports = (pytorch.get("location") or {}).get("reports", {})
    onnx: dict[str, dict] = {}
    eligible: list[str] = []
    for report, name in LOCATION_FILES.items():
        rows = _onnx_rows(fold_dir / name)
        eligible = eligible or sorted(rows)
        if rows:
            onnx[report] = _fold_mean(list(rows.values()))
    if eligible:
        onnx["true_report"] = _fold_mean([all_rows[s] for s in eligible])
    return {"n": len(eligible), "pytorch": {k: _pytorch_mean(v) for k, v in reports.items()},
            "onnx": onnx}


def _topk(fold_dir: Path, pytorch: dict) -> list[dict]:
    rows = {r["k"]: r["scores"] for r in (pytorch.get("topk") or {}).get("rows", [])}
    return [{"k": k, "pytorch": _pytorch_mean(rows[k]),
             "onnx": _fold_mean(list(_onnx_rows(onnx_topk_file(fold_dir, k)).values()))}
            for k in TOPK_SWEEP]


def fold_figures(fold_dir: Path, test: list[str], *, image_only: bool = False) -> dict:
    """One fold: PyTorch and ONNX means per prompt set (and, for Locus, per k, the location
    test and the points of every case), per-case scores of the headline prompt set."""
    pytorch = json.loads((fold_dir / "metrics.json").read_text())
    sets = IMAGE_ONLY_SETS if image_only else PROMPT_SETS
    headline = sets[-1]
    onnx = {name: _onnx_rows(fold_dir / f"onnx-{name}.json") for name in sets}
    for name, rows in onnx.items():
        if sorted(rows) != sorted(test):
            raise ValueError(f"{fold_dir}/onnx-{name}.json does not hold the fold's test cases")
    prompts = {name: {"pytorch": _pytorch_mean(pytorch["prompts"][name] if not image_only
                                               else pytorch["summary"]),
                      "onnx": _fold_mean(list(onnx[name].values()))} for name in sets}
    per_case = {c["case"]: c for c in pytorch["per_case"]["cases"]}
    cases = [{"case": s, "pytorch": {"dice": per_case[s]["dice"], "iou": per_case[s]["iou"]},
              "onnx": {"dice": rounded(onnx[headline][s]["dice"]),
                       "iou": rounded(onnx[headline][s]["iou"])}} for s in test]
    if not image_only:
        for c in cases:
            row = onnx[headline][c["case"]]
            c["points"] = {"pytorch": per_case[c["case"]]["points"], "onnx": row["points"]}
            c["coarse_max"] = {"pytorch": per_case[c["case"]]["coarse_max"],
                               "onnx": rounded(row["coarseMax"])}
    training = json.loads((fold_dir / "training.json").read_text())
    return {"test": test, "prompts": prompts, "per_case": cases,
            "location": None if image_only else _location(fold_dir, pytorch, onnx[headline]),
            "topk": None if image_only else _topk(fold_dir, pytorch),
            "train_seconds": training["seconds"],
            "train_cpu_seconds": training.get("cpu_seconds")}


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
             for f in figures for n in f["prompts"] for m in ("dice", "iou")]
    cases = [abs(c["pytorch"]["dice"] - c["onnx"]["dice"]) for f in figures for c in f["per_case"]]
    return {"fold_means": rounded(max(means)), "per_case_dice": rounded(max(cases))}


def _pooled_location(figures: list[dict]) -> dict | None:
    """The wrong-report test pooled over the eligible held-out cases of every fold: each fold's
    means weighted by its number of eligible cases."""
    folds = [f["location"] for f in figures if f["location"] and f["location"]["n"]]
    if not folds:
        return None
    n = sum(f["n"] for f in folds)
    reports: dict[str, Measured] = {}
    for report in ("true_report", "other_regions", "all_regions"):
        for src in SOURCES:
            values = [(f["n"], f[src][report]) for f in folds if report in f[src]]
            if len(values) < len(folds):
                continue
            weights = np.asarray([w for w, _ in values], dtype=np.float64) / n
            reports.setdefault(report, {})[src] = {"n": n} | {
                metric: {"mean": rounded(weights @ np.asarray([v[metric] for _, v in values]))}
                for metric in ("dice", "iou") if all(v.get(metric) is not None for _, v in values)}
    return {"n": n, "reports": reports}


def _topk_across(figures: list[dict], n: int) -> dict | None:
    if any(f["topk"] is None for f in figures):
        return None
    rows = []
    for i, k in enumerate(TOPK_SWEEP):
        rows.append({"k": k, "scores": {
            src: score([f["topk"][i][src]["dice"] for f in figures],
                       [f["topk"][i][src]["iou"] for f in figures], ddof=1, n=n)
            for src in SOURCES}})
    return {"theta": THETA_DEFAULT, "rows": rows}


def _points(figures: list[dict]) -> dict | None:
    """Points coverage over every held-out case, through the ONNX graphs."""
    cases = [c for f in figures for c in f["per_case"] if "points" in c]
    if not cases:
        return None
    return {"k": TOPK_DEFAULT, "theta": THETA_DEFAULT, "n": len(cases),
            "fraction_with_points": rounded(np.mean([c["points"]["onnx"] > 0 for c in cases])),
            "median_coarse_max": rounded(np.median([c["coarse_max"]["onnx"] for c in cases])),
            "source": "onnx"}


def fold_entries(figures: list[dict], folds: list[int], headline: str) -> list[dict]:
    return [{"fold": i, "n": len(f["test"]), "train_seconds": f["train_seconds"],
             "scores": {src: {"n": len(f["test"]),
                              "dice": {"mean": f["prompts"][headline][src]["dice"]},
                              "iou": {"mean": f["prompts"][headline][src]["iou"]}}
                        for src in SOURCES}}
            for i, f in zip(folds, figures)]


def cv_metrics(figures: list[dict], folds: list[int], *, k: int, seed: int, command: str,
               baselines: list[dict] | None = None) -> dict:
    """The metrics record of a cross-validation: the figures of `folds` (out of `k`)."""
    n = sum(len(f["test"]) for f in figures)
    held_out = len(figures[0]["test"])
    headline = list(figures[0]["prompts"])[-1]
    return record(
        "cross-validation", command=command, summary=_across(figures, headline, n),
        protocol=f"{k}-fold cross-validation on {n} cases (folds fixed by seed {seed}; each fold "
                 f"model trained on the other {n - held_out} cases and their augmented copies, "
                 f"tested on its {held_out} held-out cases at the original resolution). The "
                 "shipped model is trained on all of them with the same recipe; it has no "
                 "held-out test of its own.",
        measured_by="locus eval through each fold's ONNX graphs (onnx) and python3 -m "
                    "locus.evaluate (pytorch)",
        prompts={name: _across(figures, name, n) for name in figures[0]["prompts"]},
        topk=_topk_across(figures, n),
        location=_pooled_location(figures),
        points=_points(figures),
        baselines=baselines or None,
        cross_validation={
            "k": k, "seed": seed, "pooled": _pooled(figures),
            "folds": fold_entries(figures, folds, headline),
            "pytorch_onnx_gap": _largest_gap(figures)})


def summarize_cv(out: Path, folds: list[int], tests: list[list[str]], *, k: int, seed: int,
                 command: str, image_only: bool = False,
                 baselines: list[dict] | None = None) -> dict:
    """`cv.json`: every fold's figures (per case too) and the metrics record over them."""
    figures = [fold_figures(out / f"fold{i}", test, image_only=image_only)
               for i, test in zip(folds, tests)]
    return {"folds_done": folds, "folds": figures,
            "metrics": cv_metrics(figures, folds, k=k, seed=seed, command=command,
                                  baselines=baselines)}


def baseline_entry(cv_json: Path, *, name: str, description: str) -> dict:
    """A reference CV (`locus.cv --image-only`) as one `baselines` entry of another record."""
    summary = json.loads(cv_json.read_text())
    metrics = summary["metrics"]
    return {"name": name, "description": description, "scores": metrics["summary"],
            "folds": metrics["cross_validation"]["folds"]}
