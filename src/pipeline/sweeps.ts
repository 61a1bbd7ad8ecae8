/**
 * The evaluation tables of models/locus/evaluate.py, defined once for the studio's workbench and
 * `locus eval --sweep`: the Table-5 prompt subsets, the Table-4 Top-k sweep (and a threshold
 * sweep), and the location test's reports. A sweep is a list of decoder settings; a table is the
 * mean and population std (ddof 0, as `evaluate.summarize`) of Dice and IoU over the cases each
 * setting scored.
 */
import { summarize, type Stat } from './metrics';
import { NumpyGenerator } from './numpy-random';
import { parseReport, REGIONS } from './report';
import { reportFromZones } from './zones';

export const SWEEP_KINDS = ['k', 'theta', 'prompts', 'location'] as const;
export type SweepKind = (typeof SWEEP_KINDS)[number];

/** Table-5 analogue: every subset of (coarse mask, points, text), named and ordered as PROMPT_SETS in evaluate.py. */
export const PROMPT_SUBSETS = [
  { name: 'none', coarse: false, points: false, text: false },
  { name: 'coarse', coarse: true, points: false, text: false },
  { name: 'points', coarse: false, points: true, text: false },
  { name: 'text', coarse: false, points: false, text: true },
  { name: 'coarse+points', coarse: true, points: true, text: false },
  { name: 'coarse+text', coarse: true, points: false, text: true },
  { name: 'points+text', coarse: false, points: true, text: true },
  { name: 'all', coarse: true, points: true, text: true },
] as const;

/** Table-4 analogue: k at the manifest's theta, all prompts (TOPK_SWEEP in evaluate.py). */
export const TOPK_SWEEP = [0, 1, 2, 3, 4, 5] as const;

/**
 * Thresholds swept at the manifest's k, all prompts (the manifest's own theta is added when it is
 * not listed). Low values matter: an under-confident coarse mask has no cell above 0.9.
 */
export const THETA_SWEEP = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;

/** The location test's reports: the case's own, one naming exactly the other regions, one naming all six. */
export const LOCATION_REPORTS = ['true_report', 'other_regions', 'all_regions'] as const;
export type LocationReport = (typeof LOCATION_REPORTS)[number];

/** The decoder's prompt switches and Top-k parameters of one setting. */
export interface SweepPrompts {
  useCoarse: boolean;
  usePoints: boolean;
  useText: boolean;
  k: number;
  theta: number;
}

export interface SweepSetting {
  /** Unique over all sweeps: "prompts/coarse+text", "k/3", "theta/0.9", "location/other_regions". */
  key: string;
  sweep: SweepKind;
  /** The table's row label: a subset name, a k, a threshold or a report. */
  label: string;
  prompts: SweepPrompts;
  /** Which report the prompt generator reads. */
  report: LocationReport;
}

export interface SweepBase {
  k: number;
  theta: number;
  /** The bundle's largest k (`prompts.k_max`): larger k values are left out of the sweep. */
  kMax: number;
}

function allPrompts(k: number, theta: number): SweepPrompts {
  return { useCoarse: true, usePoints: true, useText: true, k, theta };
}

/** The settings of one sweep, in table order. */
export function sweepSettings(kind: SweepKind, base: SweepBase): SweepSetting[] {
  const setting = (label: string, prompts: SweepPrompts, report: LocationReport = 'true_report'): SweepSetting => ({
    key: `${kind}/${label}`,
    sweep: kind,
    label,
    prompts,
    report,
  });
  switch (kind) {
    case 'prompts':
      return PROMPT_SUBSETS.map((s) =>
        setting(s.name, { useCoarse: s.coarse, usePoints: s.points, useText: s.text, k: base.k, theta: base.theta }),
      );
    case 'k':
      return TOPK_SWEEP.filter((k) => k <= base.kMax).map((k) => setting(String(k), allPrompts(k, base.theta)));
    case 'theta': {
      const thetas = [...new Set<number>([...THETA_SWEEP, base.theta])].sort((a, b) => a - b);
      return thetas.map((theta) => setting(String(theta), allPrompts(base.k, theta)));
    }
    case 'location':
      return LOCATION_REPORTS.map((report) => setting(report, allPrompts(base.k, base.theta), report));
  }
}

/** What a setting's decoder run depends on: settings with the same identity give the same mask. */
export function settingIdentity(setting: SweepSetting): string {
  const p = setting.prompts;
  return [p.useCoarse, p.usePoints, p.useText, p.usePoints ? p.k : '-', p.usePoints ? p.theta : '-', setting.report].join('|');
}

/** Other-regions and all-regions reports of one case: the location test's texts. */
export type LocationTexts = Record<Exclude<LocationReport, 'true_report'>, string>;

/**
 * The location test's reports for a case whose report is readable and names some but not all
 * regions (null otherwise): exactly the complement, and all six, each with the report's lesion
 * count (at least 1), written by the LViT report rule from the per-case stream evaluate.py uses
 * (`default_rng([seed] + [ord(c) for c in stem])`, a fresh one for each text).
 */
export function locationTexts(report: string, stem: string, seed = 0): LocationTexts | null {
  const parsed = parseReport(report);
  const named = parsed.labels.reduce((a, b) => a + b, 0);
  if (!parsed.readable || named === 0 || named === REGIONS.length) return null;
  const count = Math.max(1, parsed.count || 1);
  const stream = () => new NumpyGenerator([seed, ...Array.from(stem, (c) => c.codePointAt(0)!)]);
  return {
    other_regions: reportFromZones(parsed.labels.map((v) => 1 - v), count, stream()),
    all_regions: reportFromZones(parsed.labels.map(() => 1), count, stream()),
  };
}

/** One row of a sweep table. */
export interface SweepRow {
  key: string;
  label: string;
  prompts: SweepPrompts;
  report: LocationReport;
  /** Cases scored with this setting. */
  n: number;
  dice: Stat | null;
  iou: Stat | null;
  /** Mean number of Top-k points the decoder got. */
  points: number | null;
}

/** What one setting scored on one case (the parts a table needs). */
export interface SettingScores {
  dice: number;
  iou: number;
  points: number;
}

/** A sweep's table: one row per setting, over the cases that have a score for it. */
export function sweepTable(settings: readonly SweepSetting[], cases: readonly Readonly<Record<string, SettingScores>>[]): SweepRow[] {
  return settings.map((s) => {
    const scored = cases.map((c) => c[s.key]).filter((v): v is SettingScores => v !== undefined);
    const stats = scored.length > 0 ? summarize(scored) : null;
    return {
      key: s.key,
      label: s.label,
      prompts: s.prompts,
      report: s.report,
      n: scored.length,
      dice: stats && stats.dice,
      iou: stats && stats.iou,
      points: scored.length > 0 ? scored.reduce((a, v) => a + v.points, 0) / scored.length : null,
    };
  });
}

export interface HistogramBin {
  /** [from, to): the last bin includes `to`. */
  from: number;
  to: number;
  count: number;
}

/** Counts of values in `bins` equal bins over [0, 1] (Dice and IoU), the last one closed. */
export function unitHistogram(values: readonly number[], bins = 20): HistogramBin[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!(v >= 0 && v <= 1)) continue;
    counts[Math.min(bins - 1, Math.floor(v * bins))]! += 1;
  }
  return counts.map((count, i) => ({ from: i / bins, to: (i + 1) / bins, count }));
}

/** A GPFC probability above this names the region (the location panel's rule). */
export const GPFC_THRESHOLD = 0.5;

/**
 * How many of the regions agree between a readable report's labels and the last GPFC stage (a
 * region named by one and not the other disagrees); null when the report could not be read.
 */
export function gpfcAgreement(labels: readonly number[] | null, stages: readonly (readonly number[])[]): number | null {
  const last = stages[stages.length - 1];
  if (labels === null || last === undefined) return null;
  return labels.filter((label, r) => (label !== 0) === ((last[r] ?? 0) > GPFC_THRESHOLD)).length;
}
