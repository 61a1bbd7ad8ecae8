import { describe, expect, it } from 'vitest';
import { CONFUSION, confusionMap, dice, iou, summarize } from '../../src/pipeline/metrics';

const m = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('dice and iou', () => {
  it('score overlap, counting any nonzero value as lesion', () => {
    expect(dice(m(1, 1, 0, 0), m(0, 255, 1, 0))).toBe(0.5);
    expect(iou(m(1, 1, 0, 0), m(0, 255, 1, 0))).toBeCloseTo(1 / 3, 15);
  });

  it('score 1 when both are empty and 0 when exactly one is', () => {
    expect(dice(m(0, 0), m(0, 0))).toBe(1);
    expect(iou(m(0, 0), m(0, 0))).toBe(1);
    expect(dice(m(1, 0), m(0, 0))).toBe(0);
    expect(iou(m(0, 0), m(0, 1))).toBe(0);
  });

  it('reject masks of different sizes', () => {
    expect(() => dice(m(1), m(1, 0))).toThrow(/differ in size/);
  });
});

describe('confusionMap', () => {
  it('codes TN 0, TP 1, FN 2, FP 3', () => {
    expect(Array.from(confusionMap(m(0, 1, 0, 1), m(0, 1, 1, 0)))).toEqual([
      CONFUSION.trueNegative,
      CONFUSION.truePositive,
      CONFUSION.falseNegative,
      CONFUSION.falsePositive,
    ]);
    expect(Object.values(CONFUSION)).toEqual([0, 1, 2, 3]);
  });
});

describe('summarize', () => {
  it('takes the mean and population std over cases', () => {
    const s = summarize([
      { dice: 1, iou: 1 },
      { dice: 0, iou: 0.5 },
    ]);
    expect(s).toEqual({ cases: 2, dice: { mean: 0.5, std: 0.5 }, iou: { mean: 0.75, std: 0.25 } });
    expect(summarize([]).cases).toBe(0);
  });
});
