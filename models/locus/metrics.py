"""Dice and IoU per case, with empty masks defined (mirrored by `src/pipeline/metrics.ts`).

Both empty (a normal case correctly left blank) scores 1; one empty and the other not scores 0.
Means are taken over cases (each case weighs the same), as in LViT-style reporting.
"""
from __future__ import annotations

import numpy as np


def dice(pred: np.ndarray, truth: np.ndarray) -> float:
    pred, truth = pred.astype(bool), truth.astype(bool)
    total = int(pred.sum()) + int(truth.sum())
    if total == 0:
        return 1.0
    return 2.0 * int((pred & truth).sum()) / total


def iou(pred: np.ndarray, truth: np.ndarray) -> float:
    pred, truth = pred.astype(bool), truth.astype(bool)
    union = int((pred | truth).sum())
    if union == 0:
        return 1.0
    return int((pred & truth).sum()) / union
