import { describe, expect, it } from 'vitest';
import {
  CONFUSION_COLORS,
  confusionCodes,
  confusionCounts,
  confusionRgba,
  FN,
  FP,
  maskRgba,
  TN,
  TP,
} from '../../../src/ui/viewer/confusion';

describe('Fig. 3 confusion colouring', () => {
  const predicted = new Uint8Array([1, 1, 0, 0]);
  const truth = new Uint8Array([1, 0, 1, 0]);

  it('classifies each pixel', () => {
    const codes = confusionCodes(predicted, truth);
    expect(Array.from(codes)).toEqual([TP, FP, FN, TN]);
    expect(confusionCounts(codes)).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1 });
  });

  it('colours TP green, FN red, FP blue and leaves TN clear', () => {
    const rgba = confusionRgba(confusionCodes(predicted, truth));
    expect(Array.from(rgba.slice(0, 4))).toEqual([...CONFUSION_COLORS.tp, 255]);
    expect(Array.from(rgba.slice(4, 8))).toEqual([...CONFUSION_COLORS.fp, 255]);
    expect(Array.from(rgba.slice(8, 12))).toEqual([...CONFUSION_COLORS.fn, 255]);
    expect(Array.from(rgba.slice(12))).toEqual([0, 0, 0, 0]);
    const [g, r, b] = [CONFUSION_COLORS.tp, CONFUSION_COLORS.fn, CONFUSION_COLORS.fp];
    expect(g[1]).toBeGreaterThan(Math.max(g[0], g[2]));
    expect(r[0]).toBeGreaterThan(Math.max(r[1], r[2]));
    expect(b[2]).toBeGreaterThan(Math.max(b[0], b[1]));
  });

  it('refuses masks of different sizes', () => {
    expect(() => confusionCodes(new Uint8Array(3), new Uint8Array(4))).toThrow(RangeError);
  });

  it('fills a mask with one colour', () => {
    expect(Array.from(maskRgba(new Uint8Array([0, 2]), [1, 2, 3]))).toEqual([0, 0, 0, 0, 1, 2, 3, 255]);
  });
});
