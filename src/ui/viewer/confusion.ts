/**
 * The paper's Fig. 3 colouring of a prediction against the ground truth, in colours that stay
 * apart for colour-blind readers (the paper's green/red pair is one colour to a deuteranope):
 * agreement bluish green, missed lesion magenta, extra mask yellow (Okabe-Ito hues; pairwise
 * CIELAB distance over 50 under simulated protan-, deuteran- and tritanopia, which the tests
 * check); true negatives stay clear.
 */
import type { Rgb } from './colormap';

export const TN = 0;
export const TP = 1;
export const FN = 2;
export const FP = 3;
export type ConfusionCode = typeof TN | typeof TP | typeof FN | typeof FP;

export const CONFUSION_COLORS: Record<'tp' | 'fn' | 'fp', Rgb> = {
  tp: [0, 158, 115],
  fn: [220, 50, 220],
  fp: [240, 228, 66],
};

export interface ConfusionCounts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

/** Per-pixel codes [h * w] of `predicted` against `truth` (non-zero = lesion). */
export function confusionCodes(predicted: ArrayLike<number>, truth: ArrayLike<number>): Uint8Array {
  if (predicted.length !== truth.length) throw new RangeError(`mask has ${predicted.length} pixels, truth ${truth.length}`);
  const codes = new Uint8Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] ? 1 : 0;
    const t = truth[i] ? 1 : 0;
    codes[i] = p && t ? TP : t ? FN : p ? FP : TN;
  }
  return codes;
}

export function confusionCounts(codes: Uint8Array): ConfusionCounts {
  const n = [0, 0, 0, 0];
  for (const c of codes) n[c]!++;
  return { tn: n[TN]!, tp: n[TP]!, fn: n[FN]!, fp: n[FP]! };
}

/** RGBA pixels [h, w, 4] of the codes in the Fig. 3 colours (true negatives transparent). */
export function confusionRgba(codes: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const table: (Rgb | null)[] = [null, CONFUSION_COLORS.tp, CONFUSION_COLORS.fn, CONFUSION_COLORS.fp];
  const out = new Uint8ClampedArray(codes.length * 4);
  for (let i = 0; i < codes.length; i++) {
    const rgb = table[codes[i]!];
    if (!rgb) continue;
    out[i * 4] = rgb[0];
    out[i * 4 + 1] = rgb[1];
    out[i * 4 + 2] = rgb[2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA pixels [h, w, 4]: `rgb` where the mask is set, transparent elsewhere. */
export function maskRgba(mask: ArrayLike<number>, rgb: Rgb): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(mask.length * 4);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    out[i * 4] = rgb[0];
    out[i * 4 + 1] = rgb[1];
    out[i * 4 + 2] = rgb[2];
    out[i * 4 + 3] = 255;
  }
  return out;
}
