"""`python3 -m locus.cv --config configs/medseg-ct.json --out runs/medseg-cv [--folds 0,1]`

k-fold cross-validation of a CT config (`data.folds`: k and seed; `data.augment`): for each fold,
1. id lists `foldI/train.txt` and `foldI/test.txt` (stems only; no data is copied);
2. `locus.train --cases foldI/train.txt` (augmentation sees the training stems only);
3. `locus.evaluate --cases foldI/test.txt`: PyTorch, all prompts, Table-5 prompts, wrong reports;
4. `locus.export` to `foldI/bundle` (fixtures from synthetic images) and `npx locus eval` through
   the ONNX graphs: the four prompt sets on the held-out slices, and the wrong-report test with
   `--reports foldI/wrong-reports.csv` (the texts PyTorch used);
5. `cv.json`: every fold's figures, per slice too, and the metrics record over them (mean and
   standard deviation over folds, pooled over all held-out slices, the largest PyTorch-ONNX
   difference); `cv-metrics.json`: that record alone, for the bundle's manifest.
Every step is skipped when its output exists, so re-running resumes.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from .config import load_config
from .cv_summary import summarize_cv
from .data.dataset import read_cases
from .data.folds import make_folds, read_ids, write_ids
from .evaluate import wrong_reports
from .paths import MODELS_DIR, resolve

REPO = MODELS_DIR.parent
#: `locus eval --prompts` value for each Table-5 prompt set of `locus.evaluate`.
ONNX_PROMPTS = {"none": "", "coarse": "coarse", "coarse+points": "coarse,points",
                "all": "coarse,points,text"}
FIXTURES = "data-gen/synth-cxr/test"


def step(out: Path, argv: list[str], cwd: Path = MODELS_DIR) -> float:
    """Run one command unless `out` exists; returns its wall-clock seconds (0 when skipped)."""
    if out.exists():
        return 0.0
    started = time.time()
    print("$", " ".join(argv), flush=True)
    subprocess.run(argv, check=True, cwd=cwd)
    return round(time.time() - started, 1)


def write_reports_csv(path: Path, reports: dict[str, str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Image", "Description"])
        writer.writerows([f"{stem}.png", text] for stem, text in reports.items())


def run_fold(cfg_path: Path, data: Path, fold_dir: Path, test: list[str]) -> dict:
    py = sys.executable
    times = {"train": step(fold_dir / "full.pt", [
        py, "-m", "locus.train", "--config", str(cfg_path), "--out", str(fold_dir),
        "--cases", str(fold_dir / "train.txt")])}
    times["evaluate"] = step(fold_dir / "metrics.json", [
        py, "-m", "locus.evaluate", "--run", str(fold_dir), "--data", str(data), "--variants",
        "full", "--cases", str(fold_dir / "test.txt"), "--out", str(fold_dir / "metrics.json")])
    times["export"] = step(fold_dir / "bundle" / "manifest.json", [
        py, "-m", "locus.export", "--run", str(fold_dir), "--config", str(cfg_path), "--out",
        str(fold_dir / "bundle"), "--metrics", str(fold_dir / "metrics.json"),
        "--fixtures-from", str(resolve(FIXTURES))])
    held_out = set(test)
    cases = [c for c in read_cases(data)[0] if c.stem in held_out]
    write_reports_csv(fold_dir / "wrong-reports.csv", wrong_reports(cases))
    locus_eval = ["npx", "--no-install", "locus", "eval", "--bundle", str(fold_dir / "bundle"),
                  "--data", str(data)]
    onnx_seconds = 0.0
    for name, prompts in ONNX_PROMPTS.items():
        out = fold_dir / f"onnx-{name}.json"
        onnx_seconds += step(out, locus_eval + ["--cases", str(fold_dir / "test.txt"),
                                                "--prompts", prompts, "--out", str(out)], REPO)
    out = fold_dir / "onnx-wrong-reports.json"
    onnx_seconds += step(out, locus_eval + ["--reports", str(fold_dir / "wrong-reports.csv"),
                                            "--out", str(out)], REPO)
    times["onnx_eval"] = round(onnx_seconds, 1)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.cv", description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--folds", help="comma-separated fold numbers (default: all)")
    args = parser.parse_args(argv)
    cfg_path, out = resolve(args.config), resolve(args.out)
    cfg = load_config(cfg_path)
    data = resolve(cfg["data"]["train"][0])
    stems = [c.stem for c in read_cases(data)[0]]
    folds = make_folds(stems, k=cfg["data"]["folds"]["k"], seed=cfg["data"]["folds"]["seed"])
    chosen = [int(f) for f in args.folds.split(",")] if args.folds else range(len(folds))
    for i in chosen:
        fold_dir = out / f"fold{i}"
        write_ids(fold_dir / "test.txt", folds[i])
        write_ids(fold_dir / "train.txt", [s for j, f in enumerate(folds) if j != i for s in f])
        times = run_fold(cfg_path, data, fold_dir, folds[i])
        times_path = fold_dir / "cv-times.json"
        if not times_path.exists() or times["train"]:
            times_path.write_text(json.dumps(times, indent=1))
    done = [i for i in range(len(folds)) if (out / f"fold{i}" / "onnx-wrong-reports.json").exists()]
    if not done:
        raise SystemExit(f"{out}: no fold has finished")
    summary = summarize_cv(out, done, [read_ids(out / f"fold{i}" / "test.txt") for i in done],
                           k=len(folds), seed=cfg["data"]["folds"]["seed"],
                           command="python3 -m locus.cv " + " ".join(argv or sys.argv[1:]))
    (out / "cv.json").write_text(json.dumps(summary | {"config": cfg}, indent=1))
    (out / "cv-metrics.json").write_text(json.dumps(summary["metrics"], indent=1))
    print(json.dumps({k: v for k, v in summary["metrics"].items() if k != "cross_validation"},
                     indent=1))

if __name__ == "__main__":
    main()
