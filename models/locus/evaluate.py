"""`python3 -m locus.evaluate --run runs/demo-cxr --data DIR --out metrics.json`

Runs the PyTorch pipeline (`infer.py`, the same steps as the runtime) over an LViT folder and
writes the bundle's metrics record (`metrics_record.py`, evaluation `test-split`), measured at the
original image resolution:
- summary: Dice / mIoU with all prompts (per-case means, empty masks as in `metrics.py`);
- prompts, the Table-5 analogue: every subset of the three prompts, none to all (model `full`);
- topk, the Table-4 analogue: k = 0..5 at the default theta, all prompts;
- bridges, the Table-2 analogue: `no_qgaf`, `no_gpfc`, `full` checkpoints, all prompts;
- location: on the cases whose report names some but not all regions, the true report beside one
  naming exactly the other regions and a generic one naming all six;
- points: how many cases get at least one Top-k point at the defaults, and each case's highest
  coarse probability (also per case, with the number of points used).
`--cases FILE` evaluates the listed stems only (a cross-validation fold's held-out slices);
`--prompt-sets none` scores an image-only reference model (no prompt, no location test).
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
from .constants import THETA_DEFAULT, TOPK_DEFAULT
from .data.dataset import Case, read_cases, read_image, read_mask
from .data.folds import read_ids
from .data.report import parse_report
from .data.zones import report_from_zones
from .infer import PromptSettings, Segmenter
from .metrics import dice, iou
from .metrics_record import Measured, record, rounded, score
from .paths import resolve

#: Table-5 analogue: every subset of (coarse mask, points, text), named by its members.
PROMPT_SETS = {
    "none": PromptSettings(use_coarse=False, use_points=False, use_text=False),
    "coarse": PromptSettings(use_coarse=True, use_points=False, use_text=False),
    "points": PromptSettings(use_coarse=False, use_points=True, use_text=False),
    "text": PromptSettings(use_coarse=False, use_points=False, use_text=True),
    "coarse+points": PromptSettings(use_coarse=True, use_points=True, use_text=False),
    "coarse+text": PromptSettings(use_coarse=True, use_points=False, use_text=True),
    "points+text": PromptSettings(use_coarse=False, use_points=True, use_text=True),
    "all": PromptSettings(),
}
#: Table-4 analogue: k values swept at THETA_DEFAULT with all prompts.
TOPK_SWEEP = tuple(range(0, 6))


def wrong_report(report: str, rng: np.random.Generator) -> str | None:
    """A report naming exactly the regions `report` does not name (None if impossible)."""
    parsed = parse_report(report)
    labels = parsed.labels
    if not parsed.readable or sum(labels) in (0, len(labels)):
        return None
    other = [1 - v for v in labels]
    return report_from_zones(other, max(1, parsed.count or 1), rng, typo_rate=0.0)


def generic_report(report: str, rng: np.random.Generator) -> str | None:
    """A report naming all six regions with the true count, for a report naming some but not
    all of them (None otherwise): the location test's "the report says nothing" control."""
    parsed = parse_report(report)
    if not parsed.readable or sum(parsed.labels) in (0, len(parsed.labels)):
        return None
    return report_from_zones((1,) * len(parsed.labels), max(1, parsed.count or 1), rng,
                             typo_rate=0.0)


def _per_case_texts(cases: list[Case], make, seed: int) -> dict[str, str]:
    """Stem -> make(report, rng) where it gives one; the same texts whichever subset of `cases`
    is evaluated (one generator per case)."""
    out = {}
    for case in cases:
        stem_seed = [seed] + [ord(ch) for ch in case.stem]
        text = make(case.report, np.random.default_rng(stem_seed))
        if text is not None:
            out[case.stem] = text
    return out


def wrong_reports(cases: list[Case], seed: int = 0) -> dict[str, str]:
    """Stem -> a report naming exactly the other regions, for the cases that have one."""
    return _per_case_texts(cases, wrong_report, seed)


def generic_reports(cases: list[Case], seed: int = 0) -> dict[str, str]:
    """Stem -> a report naming all six regions, for the cases eligible for the location test."""
    return _per_case_texts(cases, generic_report, seed)


def summarize(scores: list[tuple[float, float]]) -> Measured:
    """Per-case (Dice, IoU) pairs -> their PyTorch score (std over cases)."""
    arr = np.asarray(scores, dtype=np.float64).reshape(-1, 2)
    return {"pytorch": score(arr[:, 0], arr[:, 1], ddof=0)}


@dataclass
class ModelScores:
    """One checkpoint on one case list: per prompt set, the k sweep, per case, the location
    test and the points coverage."""

    prompts: dict[str, Measured]
    topk: dict | None
    per_case: list[dict]
    location: dict | None
    points: dict | None


def location_test(paired: list[tuple[float, ...]]) -> dict | None:
    """(true Dice, IoU, other-regions Dice, IoU, all-regions Dice, IoU) per eligible case ->
    the record's `location` section."""
    if not paired:
        return None
    arr = np.asarray(paired, dtype=np.float64)
    return {"n": len(paired), "reports": {
        "true_report": {"pytorch": score(arr[:, 0], arr[:, 1], ddof=0)},
        "other_regions": {"pytorch": score(arr[:, 2], arr[:, 3], ddof=0)},
        "all_regions": {"pytorch": score(arr[:, 4], arr[:, 5], ddof=0)}}}


def points_coverage(per_case: list[dict], source: str = "pytorch") -> dict | None:
    """Per-case `points` and `coarse_max` -> the record's `points` section."""
    if not per_case:
        return None
    return {"k": TOPK_DEFAULT, "theta": THETA_DEFAULT, "n": len(per_case),
            "fraction_with_points": rounded(np.mean([c["points"] > 0 for c in per_case])),
            "median_coarse_max": rounded(np.median([c["coarse_max"] for c in per_case])),
            "source": source}


def _scored(segmenter: Segmenter, analysis, settings: PromptSettings, truth) -> tuple[float, float]:
    mask = segmenter.decode(analysis, settings).mask
    return dice(mask, truth), iou(mask, truth)


def evaluate_model(segmenter: Segmenter, cases: list[Case], *, sets: dict[str, PromptSettings],
                   sweep: bool, location: bool, seed: int = 0) -> ModelScores:
    """Scores one checkpoint; `sets` must include "all" unless it is the only set ("none")."""
    others = wrong_reports(cases, seed) if location else {}
    generic = generic_reports(cases, seed) if location else {}
    headline = "all" if "all" in sets else next(iter(sets))
    scores: dict[str, list] = {name: [] for name in sets}
    swept: dict[int, list] = {k: [] for k in TOPK_SWEEP} if sweep else {}
    paired: list[tuple[float, ...]] = []
    per_case = []
    for case in cases:
        truth = read_mask(case.mask)
        pre, embedding = segmenter.encode_image(read_image(case.image))
        analysis = segmenter.analyze(pre, embedding, case.report)
        for name, settings in sets.items():
            scores[name].append(_scored(segmenter, analysis, settings, truth))
        for k in swept:
            swept[k].append(_scored(segmenter, analysis, PromptSettings(k=k), truth))
        best_dice, best_iou = scores[headline][-1]
        cells, _ = segmenter.slots(analysis, sets[headline])
        coarse_max = 1.0 / (1.0 + np.exp(-float(analysis.coarse_logits.max())))
        per_case.append({"case": case.stem, "dice": rounded(best_dice), "iou": rounded(best_iou),
                         "points": len(cells), "coarse_max": rounded(coarse_max)})
        if case.stem in others:
            paired.append((best_dice, best_iou)
                          + _scored(segmenter, segmenter.analyze(pre, embedding, others[case.stem]),
                                    PROMPT_SETS["all"], truth)
                          + _scored(segmenter, segmenter.analyze(pre, embedding, generic[case.stem]),
                                    PROMPT_SETS["all"], truth))
    topk = {"theta": THETA_DEFAULT, "rows": [{"k": k, "scores": summarize(v)}
                                             for k, v in swept.items()]} if swept else None
    return ModelScores({name: summarize(s) for name, s in scores.items()}, topk, per_case,
                       location_test(paired),
                       points_coverage(per_case) if headline == "all" else None)


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
                 stems: list[str] | None = None, image_only: bool = False) -> dict:
    """The metrics record of a run's checkpoints on a test split: `full` gives the summary, the
    Table-5 prompt sets, the Table-4 sweep, the location test, the points coverage and every
    case; each other variant its Table-2 row. `image_only`: `full` is scored with no prompt."""
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
        main_model = variant == "full"
        if image_only:
            sets = {"none": PROMPT_SETS["none"]}
        else:
            sets = PROMPT_SETS if main_model else {"all": PROMPT_SETS["all"]}
        result = evaluate_model(Segmenter(load_trained(path)), cases, sets=sets,
                                sweep=main_model and not image_only,
                                location=main_model and not image_only)
        bridges[variant] = result.prompts["all" if "all" in result.prompts else "none"]
        full = result if main_model else full
    headline = full.prompts["none" if image_only else "all"]
    return record(
        "test-split", command=command, summary=headline, data=str(data),
        seconds=round(time.time() - started, 1),
        prompts=None if image_only else full.prompts, topk=full.topk,
        bridges=bridges if len(bridges) > 1 else None, location=full.location,
        points=full.points, per_case={"source": "pytorch", "cases": full.per_case},
        skipped=skipped)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.evaluate", description=__doc__)
    parser.add_argument("--run", required=True)
    parser.add_argument("--data", required=True, help="LViT folder (images/, masks/, reports)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--variants", default="full,no_gpfc,no_qgaf")
    parser.add_argument("--cases", help="file of stems to evaluate, one a line")
    parser.add_argument("--image-only", action="store_true",
                        help="score with every prompt off (an image-only reference model)")
    args = parser.parse_args(argv)
    stems = read_ids(resolve(args.cases)) if args.cases else None
    metrics = evaluate_run(resolve(args.run), resolve(args.data), args.variants.split(","),
                           command="python3 -m locus.evaluate " + " ".join(argv or sys.argv[1:]),
                           stems=stems, image_only=args.image_only)
    Path(resolve(args.out)).write_text(json.dumps(metrics, indent=1))
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("per_case", "skipped")}, indent=1))


if __name__ == "__main__":
    main()
