import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/pipeline/index';
import { bundleScores } from '../../src/ui/bundle-metrics';

const MODELS = path.resolve(import.meta.dirname, '../../models');
const manifestMetrics = (bundle: string): Metrics =>
  (JSON.parse(readFileSync(path.join(MODELS, bundle, 'manifest.json'), 'utf8')) as { metrics: Metrics }).metrics;

const score = (dice: number, iou: number, n = 500) => ({ n, dice: { mean: dice, std: 0.2 }, iou: { mean: iou } });

describe('bundleScores', () => {
  it('reads a held-out test split: no spread shown, PyTorch figures when no ONNX ones', () => {
    const scores = bundleScores({
      evaluation: 'test-split',
      command: 'python3 -m locus.evaluate',
      summary: { pytorch: score(0.7, 0.6) },
      prompts: { none: { pytorch: score(0.6, 0.5) }, all: { pytorch: score(0.7, 0.6) } },
      location: {
        n: 4,
        reports: { true_report: { pytorch: { dice: { mean: 0.7 } } }, other_regions: { pytorch: { dice: { mean: 0.45 } } } },
      },
    });
    expect(scores.caption).toBe('Bundle test scores (500 cases)');
    expect(scores.rows).toEqual([
      { prompts: 'none', dice: 0.6, iou: 0.5, diceStd: null, iouStd: null },
      { prompts: 'all', dice: 0.7, iou: 0.6, diceStd: null, iouStd: null },
    ]);
    expect(scores.location).toEqual({ trueReport: 0.7, otherRegions: 0.45, allRegions: null });
    expect(scores.baselines).toEqual([]);
  });

  it('reads cross-validation figures, preferring the ONNX ones', () => {
    const cv = (dice: number) => ({ n: 10, dice: { mean: dice, std: 0.02 }, iou: { mean: dice - 0.1, std: 0.03 } });
    const scores = bundleScores({
      evaluation: 'cross-validation',
      protocol: '5-fold',
      command: 'python3 -m locus.cv',
      summary: { pytorch: cv(0.51), onnx: cv(0.5) },
      cross_validation: { k: 5, folds: [{ fold: 0, n: 10, scores: { onnx: cv(0.5) } }], pooled: { onnx: cv(0.5) } },
      location: {
        n: 3,
        reports: {
          true_report: { pytorch: { dice: { mean: 0.55 } } },
          other_regions: { onnx: { dice: { mean: 0.47 } } },
          all_regions: { onnx: { dice: { mean: 0.56 } } },
        },
      },
      baselines: [
        { name: 'Locus v1', description: 'the v1 bundle, same folds', scores: { onnx: cv(0.4) }, folds: [] },
        { name: 'test split', description: 'no folds', scores: { pytorch: cv(0.3) } },
        { name: 'unmeasured', description: 'no score', scores: {} },
      ],
    });
    expect(scores.caption).toBe('5-fold cross-validation (mean ± std over folds)');
    expect(scores.rows).toEqual([{ prompts: 'all', dice: 0.5, iou: 0.4, diceStd: 0.02, iouStd: 0.03 }]);
    expect(scores.location).toEqual({ trueReport: 0.55, otherRegions: 0.47, allRegions: 0.56 });
    expect(scores.baselines).toEqual([
      { prompts: 'Locus v1', description: 'the v1 bundle, same folds', dice: 0.4, iou: 0.4 - 0.1, diceStd: 0.02, iouStd: 0.03 },
      { prompts: 'test split', description: 'no folds', dice: 0.3, iou: 0.3 - 0.1, diceStd: null, iouStd: null },
    ]);
    expect(scores.protocol).toBe('5-fold');
  });

  it('gives no rows for a bundle exported without metrics', () => {
    expect(bundleScores(null)).toEqual({ caption: 'Bundle scores', rows: [], baselines: [], location: null, protocol: null });
  });

  it.each(['demo-cxr', 'medseg-ct'])('reads every prompt set of the shipped %s manifest', (bundle) => {
    const metrics = manifestMetrics(bundle);
    const scores = bundleScores(metrics);
    expect(scores.rows.map((r) => r.prompts)).toEqual(Object.keys(metrics.prompts ?? {}));
    for (const row of scores.rows) expect(row.dice).toBeGreaterThan(0);
    expect(scores.location).not.toBeNull();
  });

  it('shows the shipped v2 figures with the v1 bundles on their own lines (same numbers as the manifests)', () => {
    const ct = bundleScores(manifestMetrics('medseg-ct'));
    expect(ct.caption).toBe('5-fold cross-validation (mean ± std over folds)');
    expect(ct.rows.at(-1)).toEqual({ prompts: 'all', dice: 0.7532, iou: 0.6187, diceStd: 0.0328, iouStd: 0.0362 });
    expect(ct.location).toEqual({ trueReport: 0.7523, otherRegions: 0.5742, allRegions: 0.7574 });
    expect(ct.baselines.find((b) => b.prompts === 'Locus v1')).toMatchObject({ dice: 0.5077, iou: 0.358, diceStd: 0.0519, iouStd: 0.038 });
    const demo = bundleScores(manifestMetrics('demo-cxr'));
    expect(demo.caption).toBe('Bundle test scores (500 cases)');
    expect(demo.rows.at(-1)).toEqual({ prompts: 'all', dice: 0.8987, iou: 0.833, diceStd: null, iouStd: null });
    expect(demo.location).toEqual({ trueReport: 0.9069, otherRegions: 0.0771, allRegions: 0.8401 });
    expect(demo.baselines).toEqual([expect.objectContaining({ prompts: 'Locus v1', dice: 0.7327, iou: 0.6049, diceStd: null, iouStd: null })]);
  });
});
