"""`python3 -m locus.evaluate --run runs/demo-cxr --data DIR --out metrics.json`

Runs the PyTorch pipeline (`infer.py`, the same steps as the runtime) over an LViT folder and
writes the bundle's metrics record (`metrics_record.py`, evaluation `test-split`), measured at the
original image resolution:
- summary: Dice / mIoU with all prompts (per-case means, empty masks as in `metrics.py`);
- prompts, the Table-5 analogue: no prompt / coarse / coarse+points / all three (model `full`);
- bridges, the Table-2 analogue: `no_qgaf`, `no_gpfc`, `full` checkpoints, all prompts;
- location: the same images with a report naming only the regions the true report does not name
  (cases naming all six regions or none are left out), scored beside the true report.
`--cases FILE` evaluates the listed stems only (a cross-validation fold's held-out slices).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checkpoint import load_trained
from .data.dataset import Case, read_cases, read_image, read_mask
from .data.folds import read_ids
from .data.report import parse_report
from .data.zones import report_from_zones
from .infer import PromptSettings, Segmenter
from .metrics import dice, iou
from .metrics_record import Measured, record, rounded, score
from .paths import resolve

PROMPT_SETS = {
    "none": PromptSettings(use_coarse=False, use_points=False, use_text=False),
    "coarse": PromptSettings(use_coarse=True, use_points=False, use_text=False),
    "coarse+points": PromptSettings(use_coarse=True, use_points=True, use_text=False),
    "all": PromptSettings(),
}


def wrong_report(report: str, rng: np.random.Generator) -> str | None:
    """A report naming exactly the regions `report` does not name (None if impossible)."""
    parsed = parse_report(report)
    labels = parsed.labels
    if not parsed.readable or sum(labels) in (0, len(labels)):
        return None
    other = [1 - v for v in labels]
    return report_from_zones(other, max(1, parsed.count or 1), rng, typo_rate=0.0)


def wrong_reports(cases: list[Case], seed: int = 0) -> dict[str, str]:
    """Stem -> a report naming exactly the other regions, for the cases that have one; the
    same texts whichever subset of `cases` is evaluated (one generator per case)."""
    out = {}
    for case in cases:
        stem_seed = [seed] + [ord(ch) for ch in case.stem]
        other = wrong_report(case.report, np.random.default_rng(stem_seed))
        if other is not None:
            out[case.stem] = other
    return out


def summarize(scores: list[tuple[float, float]]) -> Measured:
    """Per-case (Dice, IoU) pairs -> their PyTorch score (std over cases)."""
    arr = np.asarray(scores, dtype=np.float64).reshape(-1, 2)
    return {"pytorch": score(arr[:, 0], arr[:, 1], ddof=0)}


@dataclass
class ModelScores:
    """One checkpoint on one case list: per prompt set, per case, and the location test."""

    prompts: dict[str, Measured]
    per_case: list[dict]
    location: dict | None


def location_test(paired: list[tuple[float, float, float, float]]) -> dict | None:
    """(true Dice, true IoU, other-regions Dice, other-regions IoU) per eligible case -> the
    record's `location` section."""
    if not paired:
        return None
    arr = np.asarray(paired, dtype=np.float64)
    return {"n": len(paired), "reports": {
        "true_report": {"pytorch": score(arr[:, 0], arr[:, 1], ddof=0)},
        "other_regions": {"pytorch": score(arr[:, 2], arr[:, 3], ddof=0)}}}


def evaluate_model(segmenter: Segmenter, cases: list[Case], *, ablate_prompts: bool,
                   location: bool, seed: int = 0) -> ModelScores:
    others = wrong_reports(cases, seed) if location else {}
    sets = PROMPT_SETS if ablate_prompts else {"all": PROMPT_SETS["all"]}
    scores: dict[str, list] = {name: [] for name in sets}
    paired: list[tuple[float, float, float, float]] = []
    per_case = []
    for case in cases:
        truth = read_mask(case.mask)
        pre, embedding = segmenter.encode_image(read_image(case.image))
        analysis = segmenter.analyze(pre, embedding, case.report)
        for name, settings in sets.items():
            mask = segmenter.decode(analysis, settings).mask
            scores[name].append((dice(mask, truth), iou(mask, truth)))
        true_dice, true_iou = scores["all"][-1]
        per_case.append({"case": case.stem, "dice": rounded(true_dice), "iou": rounded(true_iou)})
        other = others.get(case.stem)
        if other is not None:
            wrong = segmenter.decode(segmenter.analyze(pre, embedding, other), PROMPT_SETS["all"])
            paired.append((true_dice, true_iou, dice(wrong.mask, truth), iou(wrong.mask, truth)))
    return ModelScores({name: summarize(s) for name, s in scores.items()}, per_case,
                       location_test(paired))


def select_cases(data: Path, stems: list[str] | None) -> tuple[list[Case], list[dict]]:
    """The readable cases of `data` (only `stems`, when given) and the reader's problems."""
    cases, problems = read_cases(data)
    if stems is not None:
        known = {c.stem for c in cases}
        missing = [s for s in stems if s not in known]
        if missing:
            raise SystemExit(f"{data}: no readable case for {', '.join(missing)}")
        wanted = set(stems)
        cases = [c for c in cases if c.stem in wanted]
    return cases, [vars(p) for p in problems]


def evaluate_run(run: Path, data: Path, variants: list[str], *, command: str,
                 stems: list[str] | None = None) -> dict:
    """The metrics record of a run's checkpoints on a test split: `full` gives the summary, the
    Table-5 prompt sets, the location test and every case; each variant its Table-2 row."""
    if "full" not in variants or not (run / "full.pt").exists():
        raise SystemExit(f"{run}: evaluation needs the full variant (full.pt)")
    cases, skipped = select_cases(data, stems)
    started = time.time()
    full: ModelScores | None = None
    bridges = {}
    for variant in variants:
        path = run / f"{variant}.pt"
        if not path.exists():
            continue
        result = evaluate_model(Segmenter(load_trained(path)), cases,
                                ablate_prompts=variant == "full", location=variant == "full")
        bridges[variant] = result.prompts["all"]
        full = result if variant == "full" else full
    return record(
        "test-split", command=command, summary=full.prompts["all"], data=str(data),
        seconds=round(time.time() - started, 1), prompts=full.prompts,
        bridges=bridges if len(bridges) > 1 else None, location=full.location,
        per_case={"source": "pytorch", "cases": full.per_case}, skipped=skipped)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.evaluate", description=__doc__)
    parser.add_argument("--run", required=True)
    parser.add_argument("--data", required=True, help="LViT folder (images/, masks/, reports)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--variants", default="full,no_gpfc,no_qgaf")
    parser.add_argument("--cases", help="file of stems to evaluate, one a line")
    args = parser.parse_args(argv)
    stems = read_ids(resolve(args.cases)) if args.cases else None
    metrics = evaluate_run(resolve(args.run), resolve(args.data), args.variants.split(","),
                           command="python3 -m locus.evaluate " + " ".join(argv or sys.argv[1:]),
                           stems=stems)
    Path(resolve(args.out)).write_text(json.dumps(metrics, indent=1))
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("per_case", "skipped")}, indent=1))


if __name__ == "__main__":
    main()
