import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScores } from '../../src/ui/bundle-metrics';

const MODELS = path.resolve(import.meta.dirname, '../../models');
const manifestMetrics = (bundle: string): unknown =>
  (JSON.parse(readFileSync(path.join(MODELS, bundle, 'manifest.json'), 'utf8')) as { metrics: unknown }).metrics;

describe('bundleScores', () => {
  it('reads a held-out test split (demo-cxr shape)', () => {
    const scores = bundleScores({
      all_prompts: { dice: 0.7, miou: 0.6, cases: 500 },
      table5_prompts: { none: { dice: 0.6, miou: 0.5, cases: 500 }, all: { dice: 0.7, miou: 0.6, cases: 500 } },
      location: { cases: 4, dice_true_report: 0.7, dice_other_regions_report: 0.45 },
    });
    expect(scores.caption).toBe('Bundle test scores (500 cases)');
    expect(scores.rows).toEqual([
      { prompts: 'none', dice: 0.6, iou: 0.5, diceStd: null, iouStd: null },
      { prompts: 'all', dice: 0.7, iou: 0.6, diceStd: null, iouStd: null },
    ]);
    expect(scores.location).toEqual({ trueReport: 0.7, otherRegions: 0.45 });
  });

  it('reads cross-validation figures, preferring the ONNX ones (medseg-ct shape)', () => {
    const cv = (dice: number) => ({ dice: { mean: dice, std: 0.02 }, iou: { mean: dice - 0.1, std: 0.03 } });
    const scores = bundleScores({
      protocol: '5-fold',
      per_fold: [{}, {}, {}, {}, {}],
      table5_prompts: { all: { torch: cv(0.51), onnx: cv(0.5) } },
      location: { torch_dice_true_report: 0.55, onnx_dice_other_regions_report: 0.47 },
    });
    expect(scores.caption).toBe('5-fold cross-validation (mean ± std over folds)');
    expect(scores.rows).toEqual([{ prompts: 'all', dice: 0.5, iou: 0.4, diceStd: 0.02, iouStd: 0.03 }]);
    expect(scores.location).toEqual({ trueReport: 0.55, otherRegions: 0.47 });
    expect(scores.protocol).toBe('5-fold');
  });

  it('gives no rows for metrics it does not know, instead of failing', () => {
    expect(bundleScores(null).rows).toEqual([]);
    expect(bundleScores({ table5_prompts: { all: { dice: 'high' } } }).rows).toEqual([]);
    expect(bundleScores({}).location).toBeNull();
  });

  it.each(['demo-cxr', 'medseg-ct'])('reads every prompt set of the shipped %s manifest', (bundle) => {
    const metrics = manifestMetrics(bundle) as { table5_prompts: Record<string, unknown> };
    const scores = bundleScores(metrics);
    expect(scores.rows.map((r) => r.prompts)).toEqual(Object.keys(metrics.table5_prompts));
    for (const row of scores.rows) expect(row.dice).toBeGreaterThan(0);
    expect(scores.location).not.toBeNull();
  });
});
