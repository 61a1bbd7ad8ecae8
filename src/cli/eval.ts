/**
 * `locus eval`: every case of an LViT-layout folder through the engine, scored against its mask.
 * `--cases FILE` keeps the listed stems only (a cross-validation fold); `--reports FILE` reads
 * the reports from another table (e.g. reports naming other regions) instead of the folder's.
 * `--sweep LIST` encodes each case once and scores every setting of the listed sweeps (./sweep.ts).
 * Bad cases (missing files, corrupt images, size mismatches, empty reports) are one-line errors
 * naming the file; the rest are still scored. Exit code 3 when any case could not be scored.
 */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../runtime/engine';
import { evaluateCases, summarizeCases, type EvalCaseInput, type EvalCaseResult, type EvalSummary } from '../runtime/evaluate';
import { checkSettings, type PromptSettings } from '../runtime/results';
import type { SweepSetting } from '../pipeline/index';
import { executionProvider, optionalString, parseCommand, promptSettings, requireOption, UsageError, type Options } from './args';
import { readDataset, readIdList, selectEntries, type DatasetEntry } from './dataset';
import { openEngine } from './open';
import { formatNumber, progressBar, writeCsv, writeJson } from './output';
import { formatSweepTables, parseSweeps, sweepPlan, sweepTables, writeSweep, type SweepRun } from './sweep';

async function readOrProblem(file: string): Promise<Uint8Array | string> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${file}: ${code === 'ENOENT' ? 'no such file' : 'cannot read the file'}`;
  }
}

/** Reads each case's files only when the loop reaches it. */
async function* caseInputs(entries: DatasetEntry[]): AsyncGenerator<EvalCaseInput> {
  for (const entry of entries) {
    const base = {
      id: entry.stem,
      report: entry.report,
      imageName: entry.image ?? entry.stem,
      maskName: entry.mask ?? `${entry.stem} (mask)`,
    };
    if (entry.problem !== null || entry.image === null || entry.mask === null) {
      const problem = entry.problem ?? `${entry.stem}: incomplete`;
      yield { ...base, image: new Uint8Array(), mask: new Uint8Array(), problem };
      continue;
    }
    const image = await readOrProblem(entry.image);
    const mask = await readOrProblem(entry.mask);
    const problem = typeof image === 'string' ? image : typeof mask === 'string' ? mask : undefined;
    if (problem !== undefined) yield { ...base, image: new Uint8Array(), mask: new Uint8Array(), problem };
    else yield { ...base, image: image as Uint8Array, mask: mask as Uint8Array };
  }
}

function printSummary(summary: EvalSummary, rows: EvalCaseResult[], total: number): void {
  const lines = [
    `cases: ${summary.cases} scored of ${total}${summary.cancelled ? ' (cancelled)' : ''}`,
    `mean Dice: ${formatNumber(summary.meanDice)} (std ${formatNumber(summary.stdDice)})`,
    `mean IoU:  ${formatNumber(summary.meanIou)} (std ${formatNumber(summary.stdIou)})`,
    `unreadable reports: ${summary.unreadable.length}`,
    `cases with warnings: ${rows.filter((r) => r.warnings.length > 0).length}`,
    ...summary.unreadable.map((u) => `  ${u.id}: ${u.reason}`),
    `errors: ${summary.errors.length}`,
    `time: ${summary.seconds.toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
}

const CSV_HEADER = [
  'id', 'dice', 'iou', 'predicted_iou', 'points', 'coarse_max', 'readable', 'unreadable_reason', 'error', 'warnings', 'ms',
  'gpfc_agreement', 'lesion_pixels', 'image_pixels',
];

function csvRow(r: EvalCaseResult): unknown[] {
  const warnings = r.warnings.map((w) => w.code).join(' ');
  return [
    r.id, r.dice, r.iou, r.predictedIou, r.points, r.coarseMax, r.readable, r.unreadableReason, r.error, warnings, r.ms.toFixed(1),
    r.gpfcAgreement, r.lesionPixels, r.imagePixels,
  ];
}

async function runEvaluation(
  engine: Engine,
  entries: DatasetEntry[],
  settings: PromptSettings,
  sweep: SweepSetting[],
  anyModality: boolean,
): Promise<SweepRun> {
  const progress = progressBar(entries.length);
  const scores: SweepRun['scores'] = new Map();
  const { rows, summary } = await evaluateCases(engine, caseInputs(entries), settings, {
    sweep,
    anyModality,
    onCase: (row, encoded) => {
      if (encoded !== null) scores.set(row.id, encoded.sweep);
      if (row.error !== null) progress.log(`error: ${row.error}`);
      for (const w of row.warnings) progress.log(`warning: ${w.file}: ${w.message}`);
      progress.update(row.index + 1, row.error === null ? `${row.id} dice ${formatNumber(row.dice, 3)}` : row.id);
    },
  });
  progress.finish();
  const reports = new Map(entries.map((e) => [e.stem, e.report]));
  return { rows, scores, reports, seconds: summary.seconds, cancelled: summary.cancelled };
}

export async function evalCommand(argv: string[]): Promise<number> {
  const values = parseCommand(argv, {
    bundle: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    csv: { type: 'string' },
    cases: { type: 'string' },
    reports: { type: 'string' },
    'any-modality': { type: 'boolean' },
    sweep: { type: 'string' },
  });
  const bundleDir = requireOption(values, 'bundle');
  const dataDir = requireOption(values, 'data');
  const out = requireOption(values, 'out');
  const ep = executionProvider(values, ['cpu', 'wasm']);
  const sweeps = sweepOption(values);
  const all = await readDataset(dataDir, optionalString(values, 'reports'));
  const casesFile = optionalString(values, 'cases');
  const entries = casesFile === undefined ? all : selectEntries(all, await readIdList(casesFile));
  const engine = await openEngine(bundleDir, ep);
  try {
    const settings = checkSettings(promptSettings(values, engine.defaultSettings()), engine.manifest);
    const plan = sweepPlan(sweeps, settings, engine.manifest.prompts.k_max);
    const run = await runEvaluation(engine, entries, settings, plan, values['any-modality'] === true);
    const summary = summarizeCases(run.rows, settings, run.seconds, run.cancelled);
    const header = {
      bundle: engine.manifest.bundle_id,
      data: dataDir,
      casesFile: casesFile ?? null,
      reportsFile: optionalString(values, 'reports') ?? null,
      backend: engine.info(),
    };
    if (plan.length > 0) {
      const files = await writeSweep(out, header, run, plan, settings, { header: CSV_HEADER, row: csvRow });
      console.log(`${formatSweepTables(sweepTables(run, plan))}\n\nwrote ${files.length} file(s) to ${out}`);
    } else {
      await writeJson(out, { ...header, summary, cases: run.rows });
      const csvOut = optionalString(values, 'csv');
      if (csvOut !== undefined) await writeCsv(csvOut, CSV_HEADER, run.rows.map(csvRow));
    }
    printSummary(summary, run.rows, entries.length);
    return summary.errors.length > 0 ? 3 : 0;
  } finally {
    await engine.dispose();
  }
}

/** The sweeps asked for (none without --sweep); --prompts and --csv do not combine with them. */
function sweepOption(values: Options) {
  const value = optionalString(values, 'sweep');
  if (value === undefined) return [];
  if (optionalString(values, 'prompts') !== undefined) throw new UsageError('--sweep scores fixed prompt sets: leave out --prompts');
  if (optionalString(values, 'csv') !== undefined) throw new UsageError('--sweep writes a CSV per setting under --out DIR: leave out --csv');
  return parseSweeps(value);
}
