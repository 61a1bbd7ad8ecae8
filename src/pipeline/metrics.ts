/**
 * Per-case Dice and IoU at the original resolution, mirroring models/locus/metrics.py.
 *
 * Empty masks: a mask is a Uint8Array with nonzero = lesion. When prediction and truth are both
 * empty (a normal case correctly left blank) Dice and IoU are 1; when exactly one is empty they
 * are 0. Summaries weigh every case the same (mean over cases, as LViT-style tables do).
 */

interface Overlap {
  intersection: number;
  predicted: number;
  truth: number;
}

function overlap(pred: Uint8Array, truth: Uint8Array): Overlap {
  if (pred.length !== truth.length) {
    throw new Error(`masks differ in size: ${pred.length} vs ${truth.length} pixels`);
  }
  let intersection = 0;
  let predicted = 0;
  let truthCount = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] !== 0;
    const t = truth[i] !== 0;
    if (p) predicted++;
    if (t) truthCount++;
    if (p && t) intersection++;
  }
  return { intersection, predicted, truth: truthCount };
}

/** 2|A∩B| / (|A| + |B|); 1 when both are empty. */
export function dice(pred: Uint8Array, truth: Uint8Array): number {
  const o = overlap(pred, truth);
  const total = o.predicted + o.truth;
  return total === 0 ? 1.0 : (2.0 * o.intersection) / total;
}

/** |A∩B| / |A∪B|; 1 when both are empty. */
export function iou(pred: Uint8Array, truth: Uint8Array): number {
  const o = overlap(pred, truth);
  const union = o.predicted + o.truth - o.intersection;
  return union === 0 ? 1.0 : o.intersection / union;
}

/** Per-pixel outcome codes for the overlay (paper Fig. 3). */
export const CONFUSION = { trueNegative: 0, truePositive: 1, falseNegative: 2, falsePositive: 3 } as const;

/** Per pixel: 0 true negative, 1 true positive, 2 false negative, 3 false positive. */
export function confusionMap(pred: Uint8Array, truth: Uint8Array): Uint8Array {
  if (pred.length !== truth.length) {
    throw new Error(`masks differ in size: ${pred.length} vs ${truth.length} pixels`);
  }
  const codes = new Uint8Array(pred.length);
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] !== 0;
    const t = truth[i] !== 0;
    codes[i] = p ? (t ? CONFUSION.truePositive : CONFUSION.falsePositive) : t ? CONFUSION.falseNegative : CONFUSION.trueNegative;
  }
  return codes;
}

export interface CaseScores {
  dice: number;
  iou: number;
}

export interface Stat {
  mean: number;
  /** Population standard deviation (ddof 0, numpy's default). */
  std: number;
}

export interface MetricSummary {
  cases: number;
  dice: Stat;
  iou: Stat;
}

function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Mean and std over cases (mIoU = iou.mean); NaN for no cases. */
export function summarize(rows: readonly CaseScores[]): MetricSummary {
  return { cases: rows.length, dice: stat(rows.map((r) => r.dice)), iou: stat(rows.map((r) => r.iou)) };
}
