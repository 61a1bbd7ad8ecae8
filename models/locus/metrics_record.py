"""The bundle's `metrics`: one record for a test split (`locus.evaluate`) and a cross-validation
(`locus.cv_summary`), described by `$defs/metrics` in manifest.schema.json and by `Metrics` in
src/pipeline/contract.ts.

Every figure is a `Measured`: a `Score` per pipeline that measured it (`pytorch`: this package,
`onnx`: `locus eval` through the exported graphs). A score's std is over cases (population) in a
test split and over folds (sample, n - 1) in a cross-validation; figures are rounded to 4 decimals.
"""
from __future__ import annotations

from typing import Literal, Sequence, TypedDict

import numpy as np

from .schema import check_metrics

Source = Literal["pytorch", "onnx"]
SOURCES: tuple[Source, ...] = ("pytorch", "onnx")
DECIMALS = 4


class Stat(TypedDict, total=False):
    mean: float  # always present
    std: float


class Score(TypedDict, total=False):
    n: int
    dice: Stat  # always present
    iou: Stat


#: Source -> score; at least one source.
Measured = dict[Source, Score]


def rounded(value: float) -> float:
    return round(float(value), DECIMALS)


def stat(values: Sequence[float], *, ddof: int | None) -> Stat:
    """Mean of `values`, with their standard deviation (`ddof` 0 over cases, 1 over folds)
    unless `ddof` is None or there are too few values for it."""
    arr = np.asarray(values, dtype=np.float64)
    out: Stat = {"mean": rounded(arr.mean())}
    if ddof is not None and arr.size > ddof:
        out["std"] = rounded(arr.std(ddof=ddof))
    return out


def score(dice: Sequence[float], iou: Sequence[float] | None, *, ddof: int | None,
          n: int | None = None) -> Score:
    """Dice (and IoU) over `n` cases (default: one value per case)."""
    out: Score = {"n": len(dice) if n is None else n, "dice": stat(dice, ddof=ddof)}
    if iou is not None:
        out["iou"] = stat(iou, ddof=ddof)
    return out


def mean_of(measured: Measured, source: Source, metric: str = "dice") -> float | None:
    """A measured figure's mean, or None when that source or metric is absent."""
    found = measured.get(source, {}).get(metric)
    return None if found is None else found["mean"]


def record(evaluation: Literal["test-split", "cross-validation"], *, command: str,
           summary: Measured, **sections: object) -> dict:
    """The metrics record with its optional sections (None ones left out), checked against the
    schema before anyone writes it."""
    out = {"evaluation": evaluation, "command": command, "summary": summary}
    out |= {name: value for name, value in sections.items() if value is not None}
    check_metrics(out)
    return out
