/**
 * `locus eval --sweep k,theta,prompts,location`: every case is encoded once and decoded for every
 * setting of the chosen sweeps (pipeline/sweeps.ts, the studio's workbench tables); each setting
 * gets the per-case rows and the summary a plain `locus eval` run with those settings would write.
 *
 * Output, `--out DIR`: `DIR/sweep.json` (the tables, the Dice histogram, the base settings, the
 * location test's texts per case, which file holds which setting) and per setting `DIR/<sweep>-<label>.json` (`locus eval`'s own JSON)
 * and `.csv`; `--out FILE.json`: the same in one file, the settings under `settings`.
 */
import path from 'node:path';
import {
  LOCATION_REPORTS,
  SWEEP_KINDS,
  locationTexts,
  sweepSettings,
  sweepTable,
  unitHistogram,
  type LocationTexts,
  type SweepKind,
  type SweepRow,
  type SweepSetting,
} from '../pipeline/index';
import { summarizeCases, type CaseScores, type EvalCaseResult, type EvalSummary } from '../runtime/evaluate';
import type { PromptSettings } from '../runtime/results';
import { promptSettingsOf } from '../runtime/sweep';
import { UsageError } from './args';
import { formatNumber, formatTable, writeCsv, writeJson } from './output';

/** The sweeps named by `--sweep` ("all" for the four). */
export function parseSweeps(value: string): SweepKind[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.includes('all')) return [...SWEEP_KINDS];
  const unknown = names.filter((n) => !(SWEEP_KINDS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--sweep takes ${SWEEP_KINDS.join(',')} or all; got '${value}'`);
  }
  return SWEEP_KINDS.filter((k) => names.includes(k));
}

/** Every setting of the chosen sweeps, in table order, around `base` (k, theta, k_max). */
export function sweepPlan(kinds: readonly SweepKind[], base: PromptSettings, kMax: number): SweepSetting[] {
  return kinds.flatMap((kind) => sweepSettings(kind, { k: base.k, theta: base.theta, kMax }));
}

/** A setting's file name: "prompts-coarse+text", "k-3", "theta-0.9", "location-other_regions". */
export function settingFile(setting: SweepSetting): string {
  return `${setting.sweep}-${setting.label}`;
}

/** What the loop left: the base rows and, per case id, every setting's scores. */
export interface SweepRun {
  rows: EvalCaseResult[];
  scores: Map<string, Record<string, CaseScores>>;
  reports: Map<string, string>;
  seconds: number;
  cancelled: boolean;
}

/**
 * A setting's rows as `locus eval` would write them: the base row with that setting's scores.
 * Location settings keep the eligible cases only (as a `--reports` run over those reports would).
 */
export function settingRows(run: SweepRun, setting: SweepSetting): EvalCaseResult[] {
  const rows: EvalCaseResult[] = [];
  for (const row of run.rows) {
    const scores = run.scores.get(row.id)?.[setting.key];
    if (scores !== undefined) rows.push({ ...row, ...scores, index: rows.length });
    else if (row.error !== null && (setting.sweep !== 'location' || locationTexts(run.reports.get(row.id) ?? '', row.id) !== null)) {
      rows.push({ ...row, index: rows.length });
    }
  }
  return rows;
}

export interface SweepTables {
  k?: SweepRow[];
  theta?: SweepRow[];
  prompts?: SweepRow[];
  /** The location test's rows, over the cases eligible for it (`n` of each row). */
  location?: SweepRow[];
  /** Dice of the base settings in 20 bins over [0, 1]. */
  histogram: ReturnType<typeof unitHistogram>;
}

export function sweepTables(run: SweepRun, plan: readonly SweepSetting[]): SweepTables {
  const perCase = run.rows.filter((r) => r.error === null).map((r) => run.scores.get(r.id) ?? {});
  const tables: SweepTables = { histogram: unitHistogram(run.rows.filter((r) => r.dice !== null).map((r) => r.dice!)) };
  for (const kind of SWEEP_KINDS) {
    const settings = plan.filter((s) => s.sweep === kind);
    if (settings.length > 0) tables[kind] = sweepTable(settings, perCase);
  }
  return tables;
}

/** What every output file starts with (the fields of `locus eval`'s JSON before summary and cases). */
export type RunHeader = Record<string, unknown>;

interface SettingOutput {
  setting: SweepSetting;
  summary: EvalSummary;
  cases: EvalCaseResult[];
}

function settingOutputs(run: SweepRun, plan: readonly SweepSetting[], base: PromptSettings): SettingOutput[] {
  return plan.map((setting) => {
    const cases = settingRows(run, setting);
    return { setting, summary: summarizeCases(cases, promptSettingsOf(setting, base), run.seconds, run.cancelled), cases };
  });
}

/** The location test's texts of every eligible case, by id (the reports its rows were scored with). */
function locationReports(run: SweepRun): Record<string, LocationTexts> {
  const out: Record<string, LocationTexts> = {};
  for (const row of run.rows) {
    const texts = locationTexts(run.reports.get(row.id) ?? '', row.id);
    if (texts !== null) out[row.id] = texts;
  }
  return out;
}

/** Writes the sweep's outputs (layout in the header comment); returns the files written. */
export async function writeSweep(
  out: string,
  header: RunHeader,
  run: SweepRun,
  plan: readonly SweepSetting[],
  base: PromptSettings,
  csv: { header: string[]; row: (r: EvalCaseResult) => unknown[] },
): Promise<string[]> {
  const outputs = settingOutputs(run, plan, base);
  const index = {
    ...header,
    base,
    seconds: run.seconds,
    cancelled: run.cancelled,
    tables: sweepTables(run, plan),
    ...(plan.some((s) => s.sweep === 'location') ? { locationReports: locationReports(run) } : {}),
  };
  if (out.toLowerCase().endsWith('.json')) {
    const settings = Object.fromEntries(outputs.map((o) => [o.setting.key, o]));
    await writeJson(out, { ...index, settings });
    return [out];
  }
  const files = Object.fromEntries(outputs.map((o) => [o.setting.key, `${settingFile(o.setting)}.json`]));
  const written = [path.join(out, 'sweep.json')];
  await writeJson(written[0]!, { ...index, files });
  for (const o of outputs) {
    const file = path.join(out, settingFile(o.setting));
    await writeJson(`${file}.json`, { ...header, setting: o.setting, summary: o.summary, cases: o.cases });
    await writeCsv(`${file}.csv`, csv.header, o.cases.map(csv.row));
    written.push(`${file}.json`, `${file}.csv`);
  }
  return written;
}

/** The sweep tables as text, one block per sweep. */
export function formatSweepTables(tables: SweepTables): string {
  const blocks: string[] = [];
  for (const kind of SWEEP_KINDS) {
    const rows = tables[kind];
    if (rows === undefined) continue;
    const title = kind === 'location' ? `location test (${LOCATION_REPORTS.join(', ')})` : `sweep ${kind}`;
    const cells = rows.map((r) => [
      r.label,
      String(r.n),
      formatNumber(r.dice?.mean ?? null),
      formatNumber(r.dice?.std ?? null),
      formatNumber(r.iou?.mean ?? null),
      formatNumber(r.points ?? null, 2),
    ]);
    blocks.push(`${title}\n${formatTable(['setting', 'n', 'dice', 'std', 'iou', 'points'], cells)}`);
  }
  return blocks.join('\n\n');
}
