/**
 * The data behind every workbench table and figure, as plain columns and rows (full precision;
 * the screen rounds), and their CSV. The per-case export has the columns `locus eval` writes to
 * CSV, so a browser table and a CLI table of the same dataset line up column for column.
 */
import type { CaseScores, EvalCaseResult, HistogramBin, LocationTexts, SweepRow } from '../../worker/api';

export type Cell = string | number | boolean | null;

export interface DataTable {
  columns: string[];
  rows: Cell[][];
}

/** `locus eval --csv`'s columns (src/cli/eval.ts), then one Dice column per sweep setting run. */
const CASE_COLUMNS = [
  'id', 'dice', 'iou', 'predicted_iou', 'points', 'coarse_max', 'readable', 'unreadable_reason', 'error', 'warnings', 'ms',
  'gpfc_agreement', 'lesion_pixels', 'image_pixels',
];

export function caseTable(rows: readonly EvalCaseResult[], scores: ReadonlyMap<string, Readonly<Record<string, CaseScores>>>): DataTable {
  const keys = [...new Set([...scores.values()].flatMap((s) => Object.keys(s)))];
  return {
    columns: [...CASE_COLUMNS, ...keys.map((k) => `dice:${k}`)],
    rows: rows.map((r) => [
      r.id, r.dice, r.iou, r.predictedIou, r.points, r.coarseMax, r.readable, r.unreadableReason, r.error,
      r.warnings.map((w) => w.code).join(' '), Number(r.ms.toFixed(1)), r.gpfcAgreement, r.lesionPixels, r.imagePixels,
      ...keys.map((k) => scores.get(r.id)?.[k]?.dice ?? null),
    ]),
  };
}

/** A sweep's table: one row per setting. */
export function sweepTableData(rows: readonly SweepRow[], first: string): DataTable {
  return {
    columns: [first, 'prompts', 'k', 'theta', 'cases', 'dice_mean', 'dice_std', 'iou_mean', 'iou_std', 'points_mean'],
    rows: rows.map((r) => {
      const on = [r.prompts.useCoarse && 'coarse', r.prompts.usePoints && 'points', r.prompts.useText && 'text'].filter(Boolean);
      return [
        r.label, on.join('+') || 'none', r.prompts.k, r.prompts.theta, r.n,
        r.dice?.mean ?? null, r.dice?.std ?? null, r.iou?.mean ?? null, r.iou?.std ?? null, r.points,
      ];
    }),
  };
}

export function histogramData(bins: readonly HistogramBin[]): DataTable {
  return { columns: ['dice_from', 'dice_to', 'cases'], rows: bins.map((b) => [b.from, b.to, b.count]) };
}

/** Share of the image the lesion covers, in percent (null without a score). */
export function lesionPercent(row: EvalCaseResult): number | null {
  return row.lesionPixels === null || !row.imagePixels ? null : (100 * row.lesionPixels) / row.imagePixels;
}

export function lesionData(rows: readonly EvalCaseResult[]): DataTable {
  return {
    columns: ['id', 'lesion_pixels', 'lesion_percent', 'dice'],
    rows: rows.filter((r) => r.dice !== null).map((r) => [r.id, r.lesionPixels, lesionPercent(r), r.dice]),
  };
}

/** The location test per case: Dice with each report, and the drops from the true one. */
export function locationCaseData(
  ids: readonly string[],
  scores: ReadonlyMap<string, Readonly<Record<string, CaseScores>>>,
  texts: ReadonlyMap<string, LocationTexts>,
): DataTable {
  const rows: Cell[][] = [];
  for (const id of ids) {
    const s = scores.get(id);
    const dice = (report: string) => s?.[`location/${report}`]?.dice;
    const [own, other, all] = [dice('true_report'), dice('other_regions'), dice('all_regions')];
    if (own === undefined || other === undefined || all === undefined) continue;
    const t = texts.get(id);
    rows.push([id, own, other, all, own - other, own - all, t?.other_regions ?? null, t?.all_regions ?? null]);
  }
  return {
    columns: ['id', 'dice_true_report', 'dice_other_regions', 'dice_all_regions', 'drop_other', 'drop_all', 'other_regions_report', 'all_regions_report'],
    rows,
  };
}

function csvField(value: Cell): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: DataTable): string {
  return [table.columns, ...table.rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Rows as objects keyed by column, for JSON. */
export function toRecords(table: DataTable): Record<string, Cell>[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? null])));
}
