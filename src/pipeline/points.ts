/**
 * Top-k point prompts from the coarse mask and the decoder's point slots: a port of
 * models/locus/model/points.py (spec: models/README.md section 5).
 */
import type { FramePoint, GridCell } from './types';

/** A chosen coarse-grid cell and its probability sigmoid(logit), float64. */
export type CellPoint = GridCell & { readonly prob: number };

export interface TopkSettings {
  /** At most this many points. */
  k: number;
  /** Candidates are cells with probability strictly above theta. */
  theta: number;
}

/** Decoder point labels: 1 positive, 0 negative (-1 marks an empty slot). */
export type PointLabel = 0 | 1;

/** A point the user placed, already converted to the model-input frame. */
export interface UserPoint {
  point: FramePoint;
  label: PointLabel;
}

export interface PointSlots {
  /** float32 [N, 2]: (x, y) in the frame per slot; (0, 0) in empty slots. */
  coords: Float32Array;
  /** float32 [N]: 1, 0, or -1 for an empty slot. */
  labels: Float32Array;
}

export const POINT_LABEL_NONE = -1;
export const POINT_LABEL_POSITIVE = 1;

function sigmoid64(logit: number): number {
  return 1.0 / (1.0 + Math.exp(-logit));
}

/** Index of the largest value; the lowest index among ties (numpy argmax). */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Coarse logits [g_h, g_w] (row-major) -> up to k farthest-point cells among those with p > theta.
 *
 * The first is the most probable candidate; each next one is the candidate farthest (squared
 * distance in cells, integers) from its nearest chosen point; ties go to the lowest row-major index.
 */
export function selectPoints(logits: Float32Array, gridH: number, gridW: number, { k, theta }: TopkSettings): CellPoint[] {
  if (logits.length !== gridH * gridW) {
    throw new Error(`coarse logits hold ${logits.length} values, expected ${gridH}x${gridW}`);
  }
  const candidates: number[] = [];
  const probs: number[] = [];
  logits.forEach((logit, index) => {
    const p = sigmoid64(logit);
    if (p > theta) {
      candidates.push(index);
      probs.push(p);
    }
  });
  if (k <= 0 || candidates.length === 0) return [];
  const rows = candidates.map((index) => Math.floor(index / gridW));
  const cols = candidates.map((index) => index % gridW);
  const distanceTo = (pick: number, i: number): number => (rows[i]! - rows[pick]!) ** 2 + (cols[i]! - cols[pick]!) ** 2;
  const first = argmax(probs);
  const chosen = [first];
  const nearest = candidates.map((_, i) => distanceTo(first, i));
  while (chosen.length < Math.min(k, candidates.length)) {
    const pick = argmax(nearest);
    if (nearest[pick] === 0) break;
    chosen.push(pick);
    for (let i = 0; i < nearest.length; i++) nearest[i] = Math.min(nearest[i]!, distanceTo(pick, i));
  }
  return chosen.map((i) => ({ row: rows[i]!, col: cols[i]!, prob: probs[i]! }) as CellPoint);
}

/** Model points (label 1) first, then user points, at most maxPoints; the rest (0, 0) with label -1. */
export function pointSlots(modelPoints: readonly FramePoint[], userPoints: readonly UserPoint[], maxPoints: number): PointSlots {
  const entries: UserPoint[] = [
    ...modelPoints.map((point) => ({ point, label: POINT_LABEL_POSITIVE as PointLabel })),
    ...userPoints,
  ].slice(0, maxPoints);
  const coords = new Float32Array(maxPoints * 2);
  const labels = new Float32Array(maxPoints).fill(POINT_LABEL_NONE);
  entries.forEach(({ point, label }, slot) => {
    coords[slot * 2] = point.x;
    coords[slot * 2 + 1] = point.y;
    labels[slot] = label;
  });
  return { coords, labels };
}
