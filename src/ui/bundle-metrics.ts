/**
 * A bundle's own figures for the bundle panel, from its manifest's typed `metrics` record
 * (pipeline/contract.ts Metrics): the Table-5 prompt rows (or the summary alone), the location
 * test, the models it was compared with (`baselines`: e.g. the bundle's v1 and an image-only
 * reference) and how they were measured. Figures measured through the shipped graphs (ONNX) are
 * preferred to PyTorch's.
 */
import type { Measured, Metrics, Score } from '../pipeline/index';

export interface ScoreRow {
  prompts: string;
  dice: number;
  iou: number | null;
  /** Standard deviation over folds (cross-validation only; a test split's spread over cases is not shown). */
  diceStd: number | null;
  iouStd: number | null;
}

/** An earlier or reference model measured the same way (all prompts), one line under the bundle's own rows. */
export interface BaselineRow extends ScoreRow {
  description: string;
}

export interface BundleScores {
  caption: string;
  rows: ScoreRow[];
  baselines: BaselineRow[];
  /**
   * Dice with the true report, with a report naming the other regions, and with a generic
   * all-regions report, when measured.
   */
  location: { trueReport: number | null; otherRegions: number; allRegions: number | null } | null;
  /** How the figures were obtained, when the manifest says. */
  protocol: string | null;
}

/** The ONNX score when there is one, else PyTorch's. */
export function preferredScore(measured: Measured | undefined): Score | null {
  return measured?.onnx ?? measured?.pytorch ?? null;
}

function scoreRow(prompts: string, score: Score, folds: boolean): ScoreRow {
  return {
    prompts,
    dice: score.dice.mean,
    iou: score.iou?.mean ?? null,
    diceStd: folds ? (score.dice.std ?? null) : null,
    iouStd: folds ? (score.iou?.std ?? null) : null,
  };
}

function caption(metrics: Metrics): string {
  if (metrics.cross_validation !== undefined) {
    return `${metrics.cross_validation.k}-fold cross-validation (mean ± std over folds)`;
  }
  const n = preferredScore(metrics.summary)?.n;
  return n === undefined ? 'Bundle test scores' : `Bundle test scores (${n} cases)`;
}

function locationScores(metrics: Metrics): BundleScores['location'] {
  const reports = metrics.location?.reports;
  const other = preferredScore(reports?.other_regions);
  if (reports === undefined || other === null) return null;
  return {
    trueReport: preferredScore(reports.true_report)?.dice.mean ?? null,
    otherRegions: other.dice.mean,
    allRegions: preferredScore(reports.all_regions)?.dice.mean ?? null,
  };
}

function baselineRows(metrics: Metrics, folds: boolean): BaselineRow[] {
  return (metrics.baselines ?? []).flatMap((baseline) => {
    const score = preferredScore(baseline.scores);
    if (score === null) return [];
    // A baseline's spread is over folds only when it was cross-validated too.
    const row = scoreRow(baseline.name, score, folds && baseline.folds !== undefined);
    return [{ ...row, description: baseline.description }];
  });
}

export function bundleScores(metrics: Metrics | null): BundleScores {
  if (metrics === null) return { caption: 'Bundle scores', rows: [], baselines: [], location: null, protocol: null };
  const folds = metrics.evaluation === 'cross-validation';
  const table = metrics.prompts ?? { all: metrics.summary };
  const rows = Object.entries(table).flatMap(([prompts, measured]) => {
    const score = preferredScore(measured);
    return score === null ? [] : [scoreRow(prompts, score, folds)];
  });
  return {
    caption: caption(metrics),
    rows,
    baselines: baselineRows(metrics, folds),
    location: locationScores(metrics),
    protocol: metrics.protocol ?? null,
  };
}
