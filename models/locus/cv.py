"""`python3 -m locus.cv --config configs/medseg-ct.json --out runs/medseg-cv [--folds 0,1]`

k-fold cross-validation of a CT config (`data.folds`: k and seed; `data.augment`): for each fold,
1. id lists `foldI/train.txt` and `foldI/test.txt` (stems only; no data is copied);
2. `locus.train --cases foldI/train.txt` (augmentation sees the training stems only);
3. `locus.evaluate --cases foldI/test.txt`: PyTorch, all prompts, Table-5 prompt sets, Table-4
   k sweep, the location test (reports naming the other regions, and all regions), points;
4. `locus.export` to `foldI/bundle` (fixtures from synthetic images) and `npx locus eval` through
   the ONNX graphs: every prompt set and k on the held-out slices, and the location test with
   `--reports foldI/wrong-reports.csv` / `generic-reports.csv` (the texts PyTorch used);
5. `cv.json`: every fold's figures, per slice too, and the metrics record over them (mean and
   standard deviation over folds, pooled over all held-out slices, the largest PyTorch-ONNX
   difference); `cv-metrics.json`: that record alone, for the bundle's manifest.
`--image-only`: a reference CV of a prompt-free config (`training_options.prompt_free`), scored
with no prompt only. `--baseline DIR` adds such a CV (DIR/cv.json) to the record's `baselines`.
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
from .constants import TOPK_DEFAULT
from .cv_summary import baseline_entry, onnx_topk_file, summarize_cv
from .data.dataset import read_cases
from .data.folds import make_folds, read_ids, write_ids
from .evaluate import PROMPT_SETS, TOPK_SWEEP, generic_reports, wrong_reports
from .paths import MODELS_DIR, resolve

REPO = MODELS_DIR.parent
FIXTURES = "data-gen/synth-cxr/test"
IMAGE_ONLY_DESCRIPTION = (
    "Image-only reference: Locus's own SAM image encoder (ImageNet MobileNetV2 + FPN) and mask "
    "decoder from the same pseudo-label pretraining run, fine-tuned on each fold's slices and "
    "copies with every prompt off for about the CPU time of Locus's per-fold fine-tuning; "
    "scored with no prompt.")


def onnx_prompts(name: str) -> str:
    """`locus eval --prompts` value of a `locus.evaluate` prompt set ("coarse+text" -> ...)."""
    return {"none": "", "all": "coarse,points,text"}.get(name, name.replace("+", ","))


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


def run_fold(cfg_path: Path, data: Path, fold_dir: Path, test: list[str], *,
             image_only: bool = False) -> dict:
    py = sys.executable
    times = {"train": step(fold_dir / "full.pt", [
        py, "-m", "locus.train", "--config", str(cfg_path), "--out", str(fold_dir),
        "--cases", str(fold_dir / "train.txt")])}
    times["evaluate"] = step(fold_dir / "metrics.json", [
        py, "-m", "locus.evaluate", "--run", str(fold_dir), "--data", str(data), "--variants",
        "full", "--cases", str(fold_dir / "test.txt"), "--out", str(fold_dir / "metrics.json")]
        + (["--image-only"] if image_only else []))
    times["export"] = step(fold_dir / "bundle" / "manifest.json", [
        py, "-m", "locus.export", "--run", str(fold_dir), "--config", str(cfg_path), "--out",
        str(fold_dir / "bundle"), "--metrics", str(fold_dir / "metrics.json"),
        "--fixtures-from", str(resolve(FIXTURES))])
    locus_eval = ["npx", "--no-install", "locus", "eval", "--bundle", str(fold_dir / "bundle"),
                  "--data", str(data)]
    held_out = ["--cases", str(fold_dir / "test.txt")]
    runs = [(fold_dir / "onnx-none.json", held_out + ["--prompts", ""])]
    if not image_only:
        runs = [(fold_dir / f"onnx-{name}.json", held_out + ["--prompts", onnx_prompts(name)])
                for name in PROMPT_SETS]
        runs += [(onnx_topk_file(fold_dir, k), held_out + ["--k", str(k)])
                 for k in TOPK_SWEEP if k != TOPK_DEFAULT]
        cases = [c for c in read_cases(data)[0] if c.stem in set(test)]
        for name, texts in (("wrong", wrong_reports(cases)), ("generic", generic_reports(cases))):
            write_reports_csv(fold_dir / f"{name}-reports.csv", texts)
            runs.append((fold_dir / f"onnx-{name}-reports.json",
                         ["--reports", str(fold_dir / f"{name}-reports.csv")]))
    times["onnx_eval"] = round(sum(step(out, locus_eval + extra + ["--out", str(out)], REPO)
                                   for out, extra in runs), 1)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.cv", description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--folds", help="comma-separated fold numbers (default: all)")
    parser.add_argument("--image-only", action="store_true",
                        help="a prompt-free reference config, scored with no prompt")
    parser.add_argument("--baseline", help="folder of an --image-only CV to report beside this one")
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
        times = run_fold(cfg_path, data, fold_dir, folds[i], image_only=args.image_only)
        times_path = fold_dir / "cv-times.json"
        if not times_path.exists() or times["train"]:
            times_path.write_text(json.dumps(times, indent=1))
    last = "onnx-none.json" if args.image_only else "onnx-generic-reports.json"
    done = [i for i in range(len(folds)) if (out / f"fold{i}" / last).exists()]
    if not done:
        raise SystemExit(f"{out}: no fold has finished")
    baselines = [baseline_entry(resolve(args.baseline) / "cv.json", name="image-only",
                                description=IMAGE_ONLY_DESCRIPTION)] if args.baseline else None
    summary = summarize_cv(out, done, [read_ids(out / f"fold{i}" / "test.txt") for i in done],
                           k=len(folds), seed=cfg["data"]["folds"]["seed"],
                           command="python3 -m locus.cv " + " ".join(argv or sys.argv[1:]),
                           image_only=args.image_only, baselines=baselines)
    (out / "cv.json").write_text(json.dumps(summary | {"config": cfg}, indent=1))
    (out / "cv-metrics.json").write_text(json.dumps(summary["metrics"], indent=1))
    print(json.dumps({k: v for k, v in summary["metrics"].items() if k != "cross_validation"},
                     indent=1))

if __name__ == "__main__":
    main()
