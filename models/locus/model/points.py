"""Top-k point prompts from the coarse mask (paper Sec. 3.3), and the decoder's point slots.

Spec (mirrored by `src/pipeline/points.ts`):
- p = sigmoid(M) per cell, computed in float64 from the float32 logits.
- Candidates: cells with p > theta (strict). None -> no points.
- Point 1: the most probable candidate. Point j+1: the candidate whose squared Euclidean distance
  (in cells, between cell centres) to the nearest chosen point is largest. Ties go to the lowest
  row-major cell index. Stop after k points or when every candidate is chosen.
- Cell (row r, column c) of a g_h x g_w grid maps to the model-input frame point
  ((c + 0.5) * S / g_w, (r + 0.5) * S / g_h): continuous pixel coordinates (x, y) with (0, 0) the
  top-left corner of the top-left pixel of the padded S x S input. Label 1 (positive).
- Slots: model points first, then user points, at most `max_points`; the rest are padded with
  coordinates (0, 0) and label -1 (ignored by the decoder).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import MAX_POINTS, POINT_LABEL_NONE, POINT_LABEL_POSITIVE


@dataclass(frozen=True)
class CellPoint:
    """A chosen coarse-grid cell."""

    row: int
    col: int
    prob: float


@dataclass(frozen=True)
class PointSlots:
    """Decoder point inputs: coords float32 [N, 2] (x, y in the frame), labels int64 [N]."""

    coords: np.ndarray
    labels: np.ndarray


def sigmoid64(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))


def select_points(logits: np.ndarray, *, k: int, theta: float) -> list[CellPoint]:
    """Coarse logits [g_h, g_w] -> up to k farthest-point cells among those with p > theta."""
    probs = sigmoid64(logits)
    width = probs.shape[1]
    flat = probs.reshape(-1)
    candidates = np.flatnonzero(flat > theta)  # ascending row-major order
    if k <= 0 or candidates.size == 0:
        return []
    rows, cols = candidates // width, candidates % width
    first = int(np.argmax(flat[candidates]))  # argmax returns the lowest index among ties
    chosen = [first]
    nearest = (rows - rows[first]) ** 2 + (cols - cols[first]) ** 2
    while len(chosen) < min(k, candidates.size):
        pick = int(np.argmax(nearest))
        if nearest[pick] == 0:
            break
        chosen.append(pick)
        nearest = np.minimum(nearest, (rows - rows[pick]) ** 2 + (cols - cols[pick]) ** 2)
    return [CellPoint(row=int(rows[i]), col=int(cols[i]), prob=float(flat[candidates[i]]))
            for i in chosen]


def cell_to_frame(point: CellPoint, grid: tuple[int, int], input_size: int) -> tuple[float, float]:
    """Cell centre -> (x, y) in the padded model-input frame."""
    return ((point.col + 0.5) * input_size / grid[1], (point.row + 0.5) * input_size / grid[0])


def point_slots(model_points: list[tuple[float, float]],
                user_points: list[tuple[float, float, int]] = (),
                max_points: int = MAX_POINTS) -> PointSlots:
    """Model points (positive) then user points (x, y, label) -> padded decoder slots."""
    entries = [(x, y, POINT_LABEL_POSITIVE) for x, y in model_points] + list(user_points)
    entries = entries[:max_points]
    coords = np.zeros((max_points, 2), dtype=np.float32)
    labels = np.full((max_points,), POINT_LABEL_NONE, dtype=np.int64)
    for slot, (x, y, label) in enumerate(entries):
        coords[slot] = (x, y)
        labels[slot] = label
    return PointSlots(coords=coords, labels=labels)


def topk_slots(logits: np.ndarray, *, k: int, theta: float, input_size: int,
               max_points: int = MAX_POINTS) -> PointSlots:
    """Coarse logits [g_h, g_w] -> decoder slots holding the Top-k model points."""
    grid = (logits.shape[0], logits.shape[1])
    cells = select_points(logits, k=k, theta=theta)
    return point_slots([cell_to_frame(c, grid, input_size) for c in cells], max_points=max_points)
