/**
 * `locus eval`: every case of an LViT-layout folder through the engine, scored against its mask.
 * `--cases FILE` keeps the listed stems only (a cross-validation fold); `--reports FILE` reads
 * the reports from another table (e.g. reports naming other regions) instead of the folder's.
 * Bad cases (missing files, corrupt images, size mismatches, empty reports) are one-line errors
 * naming the file; the rest are still scored. Exit code 3 when any case could not be scored.
 */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../runtime/engine';
import { evaluateCases, type EvalCaseInput, type EvalCaseResult, type EvalSummary } from '../runtime/evaluate';
import { checkSettings } from '../runtime/results';
import { executionProvider, optionalString, parseCommand, promptSettings, requireOption, type Options } from './args';
import { readDataset, readIdList, selectEntries, type DatasetEntry } from './dataset';
import { openEngine } from './open';
import { formatNumber, progressBar, writeCsv, writeJson } from './output';

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

const CSV_HEADER = ['id', 'dice', 'iou', 'predicted_iou', 'readable', 'unreadable_reason', 'error', 'warnings', 'ms'];

function csvRow(r: EvalCaseResult): unknown[] {
  const warnings = r.warnings.map((w) => w.code).join(' ');
  return [r.id, r.dice, r.iou, r.predictedIou, r.readable, r.unreadableReason, r.error, warnings, r.ms.toFixed(1)];
}

async function runEvaluation(engine: Engine, entries: DatasetEntry[], values: Options) {
  const settings = checkSettings(promptSettings(values, engine.defaultSettings()), engine.manifest);
  const progress = progressBar(entries.length);
  const run = await evaluateCases(engine, caseInputs(entries), settings, {
    anyModality: values['any-modality'] === true,
    onCase: (row) => {
      if (row.error !== null) progress.log(`error: ${row.error}`);
      for (const w of row.warnings) progress.log(`warning: ${w.file}: ${w.message}`);
      progress.update(row.index + 1, row.error === null ? `${row.id} dice ${formatNumber(row.dice, 3)}` : row.id);
    },
  });
  progress.finish();
  return run;
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
  });
  const bundleDir = requireOption(values, 'bundle');
  const dataDir = requireOption(values, 'data');
  const out = requireOption(values, 'out');
  const ep = executionProvider(values, ['cpu', 'wasm']);
  const all = await readDataset(dataDir, optionalString(values, 'reports'));
  const casesFile = optionalString(values, 'cases');
  const entries = casesFile === undefined ? all : selectEntries(all, await readIdList(casesFile));
  const engine = await openEngine(bundleDir, ep);
  try {
    const { rows, summary } = await runEvaluation(engine, entries, values);
    const backend = engine.info();
    await writeJson(out, {
      bundle: engine.manifest.bundle_id,
      data: dataDir,
      casesFile: casesFile ?? null,
      reportsFile: optionalString(values, 'reports') ?? null,
      backend,
      summary,
      cases: rows,
    });
    const csvOut = optionalString(values, 'csv');
    if (csvOut !== undefined) await writeCsv(csvOut, CSV_HEADER, rows.map(csvRow));
    printSummary(summary, rows, entries.length);
    return summary.errors.length > 0 ? 3 : 0;
  } finally {
    await engine.dispose();
  }
}
