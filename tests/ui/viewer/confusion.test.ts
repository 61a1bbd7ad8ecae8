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
import { labDistance, simulate, VISION } from './color-vision';

describe('Fig. 3 confusion colouring', () => {
  const predicted = new Uint8Array([1, 1, 0, 0]);
  const truth = new Uint8Array([1, 0, 1, 0]);

  it('classifies each pixel', () => {
    const codes = confusionCodes(predicted, truth);
    expect(Array.from(codes)).toEqual([TP, FP, FN, TN]);
    expect(confusionCounts(codes)).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1 });
  });

  it('colours each class with its own colour and leaves TN clear', () => {
    const rgba = confusionRgba(confusionCodes(predicted, truth));
    expect(Array.from(rgba.slice(0, 4))).toEqual([...CONFUSION_COLORS.tp, 255]);
    expect(Array.from(rgba.slice(4, 8))).toEqual([...CONFUSION_COLORS.fp, 255]);
    expect(Array.from(rgba.slice(8, 12))).toEqual([...CONFUSION_COLORS.fn, 255]);
    expect(Array.from(rgba.slice(12))).toEqual([0, 0, 0, 0]);
  });

  it.each(VISION)('keeps agrees / missed / extra apart for %s vision (CIELAB distance over 40)', (vision) => {
    const { tp, fn, fp } = CONFUSION_COLORS;
    for (const [a, b] of [
      [tp, fn],
      [tp, fp],
      [fn, fp],
    ] as const) {
      expect(labDistance(simulate(a, vision), simulate(b, vision))).toBeGreaterThan(40);
    }
  });

  it('the simulation itself tells red from green only for normal vision (the paper\'s Fig. 3 pair)', () => {
    const [green, red] = [[34, 197, 94], [239, 68, 68]] as const;
    expect(labDistance(simulate(green, 'normal'), simulate(red, 'normal'))).toBeGreaterThan(100);
    expect(labDistance(simulate(green, 'deuteranopia'), simulate(red, 'deuteranopia'))).toBeLessThan(20);
  });

  it('refuses masks of different sizes', () => {
    expect(() => confusionCodes(new Uint8Array(3), new Uint8Array(4))).toThrow(RangeError);
  });

  it('fills a mask with one colour', () => {
    expect(Array.from(maskRgba(new Uint8Array([0, 2]), [1, 2, 3]))).toEqual([0, 0, 0, 0, 1, 2, 3, 255]);
  });
});
