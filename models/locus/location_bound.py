"""`python3 -m locus.location_bound --fold runs/medseg-v2g-cv/fold0 --image-only runs/medseg-v2-image-only-cv/fold0`

How much Dice can the report's regions add at most? For every held-out slice of a CV fold, the
mask predicted by Locus with a generic all-regions report and by the image-only reference, with
and without every pixel outside the regions the true report names removed ("oracle": the zone
maps of the rule that wrote the reports, in the 128 x 128 mask frame). A perfect location reader
can remove no more than that, so the gain of the oracle bounds what the report's regions can add
over a report that names every region, and over the image-only model. Also: the share of the
predicted area, and of the truth, outside the named regions. PyTorch, mask frame (not native
resolution): a bound, not the evaluation's Dice.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .checkpoint import load_trained
from .constants import MAX_POINTS, NUM_REGIONS
from .data.augment import AugmentConfig
from .data.dataset import read_cases
from .data.folds import read_ids
from .data.report import parse_report
from .evaluate import generic_reports
from .metrics import dice
from .paths import resolve
from .train.tensors import encode_reports, load_augmented


def region_bound(pred: np.ndarray, truth: np.ndarray, zones: np.ndarray,
                 named: tuple[int, ...]) -> dict:
    """pred/truth [m, m] bool, zones [m, m] region index per pixel, named: six 0/1 labels ->
    Dice without and with the prediction cut to the named regions, and the shares of the
    prediction and of the truth outside them."""
    inside = np.isin(zones, [z for z in range(NUM_REGIONS) if named[z]])
    return {"dice": dice(pred, truth), "oracle_dice": dice(pred & inside, truth),
            "pred_outside": float((pred & ~inside).sum() / max(pred.sum(), 1)),
            "truth_outside": float((truth & ~inside).sum() / max(truth.sum(), 1))}


@torch.no_grad()
def _masks(fold: Path, image_only: Path, data_root: Path) -> list[dict]:
    locus, reference = load_trained(fold / "full.pt"), load_trained(image_only / "full.pt")
    stems = read_ids(fold / "test.txt")
    cases = {c.stem: c for c in read_cases(data_root)[0]}
    data = load_augmented(data_root, stems, AugmentConfig(copies=0), locus.spec,
                          locus.config.mask_logits_size, locus.tokenizer, fold / "cache")
    generic = generic_reports([cases[s] for s in stems])
    no_points = dict(coords=torch.zeros(1, MAX_POINTS, 2), labels=torch.full((1, MAX_POINTS), -1.0))
    rows = []
    for i, stem in enumerate(stems):
        if stem not in generic:
            continue
        image = data.images[i:i + 1]
        ids, mask = encode_reports([generic[stem]], locus.tokenizer)
        out = locus.model.prompt_generator(image, ids, mask)
        pred = locus.model.sam.decode(locus.model.sam.encode(image), **no_points,
                                      coarse_logits=out.coarse_logits, has_mask=torch.ones(1),
                                      text=out.text_prompt, has_text=torch.ones(1))
        grid = reference.config.coarse_grid
        ref = reference.model.sam.decode(
            reference.model.sam.encode(image), **no_points,
            coarse_logits=torch.zeros(1, 1, grid, grid), has_mask=torch.zeros(1),
            text=torch.zeros(1, reference.config.decoder_dim), has_text=torch.zeros(1))
        truth, zones = data.targets[i, 0].numpy() > 0.5, data.zones[i].numpy()
        named = parse_report(cases[stem].report).labels
        rows.append({"stem": stem,
                     "locus_generic": region_bound(pred.mask_logits[0, 0].numpy() > 0, truth, zones, named),
                     "image_only": region_bound(ref.mask_logits[0, 0].numpy() > 0, truth, zones, named)})
    return rows


def summarize(rows: list[dict]) -> dict:
    return {model: {k: round(float(np.mean([r[model][k] for r in rows])), 4)
                    for k in rows[0][model]} for model in ("locus_generic", "image_only")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.location_bound", description=__doc__)
    parser.add_argument("--fold", required=True, help="a Locus CV fold folder (full.pt, test.txt)")
    parser.add_argument("--image-only", required=True, help="the same fold of the image-only CV")
    parser.add_argument("--data", default="../../shared/data/medseg-covid-ct/train")
    args = parser.parse_args(argv)
    rows = _masks(resolve(args.fold), resolve(args.image_only), resolve(args.data))
    print(json.dumps({"slices": len(rows), "mean": summarize(rows), "per_slice": rows}, indent=1))


if __name__ == "__main__":
    main()
