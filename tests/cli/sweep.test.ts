/**
 * `locus eval --sweep`: one run that encodes each case once writes, per setting, exactly what a
 * separate `locus eval` run with that setting writes (the cross-validation script's ~15 runs per
 * fold become one), the location test's rows equal a `--reports` run over its texts, and the
 * tables are the means of the per-setting rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { locationTexts } from '../../src/pipeline/index';
import type { EvalCaseResult } from '../../src/runtime/evaluate';
import { BUNDLE_DIR } from '../runtime/fixture-cases';
import { lvitFolder, samples, scratchDirs, writeReportsCsv } from './lvit-folder';
import { locus } from './run-locus';

// Five cases: four whose reports name some but not all regions (the location test's), and a normal one.
const chosen = samples().filter((s) => ['normal', 'left-only', 'right-only', 'bilateral-multi', 'sixteen-bit'].includes(s.id));
const dirs = scratchDirs();
const scratch = dirs.make;
let data: string;
let out: string;

afterAll(() => dirs.removeAll());

interface EvalFile {
  summary: { cases: number; meanDice: number; meanIou: number; settings: Record<string, unknown> };
  cases: EvalCaseResult[];
  setting?: { key: string };
}

const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const SCORE_FIELDS = ['id', 'dice', 'iou', 'predictedIou', 'points', 'coarseMax', 'readable', 'gpfcAgreement', 'lesionPixels'] as const;
const scoreFields = (rows: EvalCaseResult[]) => rows.map((r) => Object.fromEntries(SCORE_FIELDS.map((f) => [f, r[f]])));

/** A plain `locus eval` run's file. */
async function plainEval(...extra: string[]): Promise<EvalFile> {
  const file = path.join(scratch('plain'), 'r.json');
  const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--out', file, ...extra);
  expect(result.code, result.err).toBe(0);
  return read<EvalFile>(file);
}

describe('locus eval --sweep', () => {
  beforeAll(async () => {
    data = lvitFolder(chosen, 'csv');
    dirs.add(data);
    out = path.join(scratch('sweep'), 'out');
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--sweep', 'prompts,k,location', '--out', out);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/sweep prompts\n/);
    expect(result.out).toMatch(/location test/);
  }, 180_000);

  it('writes sweep.json and, per setting, locus eval JSON and CSV', () => {
    const files = readdirSync(out).sort();
    const names = [
      ...['none', 'coarse', 'points', 'text', 'coarse+points', 'coarse+text', 'points+text', 'all'].map((n) => `prompts-${n}`),
      ...[0, 1, 2, 3, 4, 5].map((k) => `k-${k}`),
      'location-true_report',
      'location-other_regions',
      'location-all_regions',
    ];
    expect(files).toEqual(['sweep.json', ...names.flatMap((n) => [`${n}.csv`, `${n}.json`])].sort());
    const index = read<{ files: Record<string, string> }>(path.join(out, 'sweep.json'));
    expect(Object.values(index.files).sort()).toEqual(names.map((n) => `${n}.json`).sort());
    const csv = readFileSync(path.join(out, 'k-1.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'id,dice,iou,predicted_iou,points,coarse_max,readable,unreadable_reason,error,warnings,ms,gpfc_agreement,lesion_pixels,image_pixels',
    );
    expect(csv.filter((l) => l !== '')).toHaveLength(chosen.length + 1);
  });

  it.each([
    ['prompts-coarse+text', ['--prompts', 'coarse,text']],
    ['prompts-none', ['--prompts', '']],
    ['prompts-all', []],
    ['k-1', ['--k', '1']],
    ['k-5', ['--k', '5']],
  ])('%s.json holds what `locus eval %s` writes', async (name, flags) => {
    const swept = read<EvalFile>(path.join(out, `${name}.json`));
    const plain = await plainEval(...(flags as string[]));
    expect(scoreFields(swept.cases)).toEqual(scoreFields(plain.cases));
    expect(swept.summary).toMatchObject({ cases: plain.summary.cases, meanDice: plain.summary.meanDice, settings: plain.summary.settings });
  }, 120_000);

  it("scores the location test's texts as a --reports run over them does, on the eligible cases only", async () => {
    const eligible = chosen.filter((s) => locationTexts(s.report, s.id) !== null);
    expect(eligible.map((s) => s.id).sort()).toEqual(['bilateral-multi', 'left-only', 'right-only', 'sixteen-bit']);
    const index = read<{ locationReports: Record<string, { other_regions: string; all_regions: string }> }>(path.join(out, 'sweep.json'));
    for (const report of ['other_regions', 'all_regions'] as const) {
      const table = path.join(scratch('reports'), 'reports.csv');
      writeReportsCsv(path.dirname(table), eligible.map((s) => [`${s.id}.png`, locationTexts(s.report, s.id)![report]]));
      expect(Object.keys(index.locationReports).sort()).toEqual(eligible.map((s) => s.id).sort());
      const plain = await plainEval('--reports', table);
      const swept = read<EvalFile>(path.join(out, `location-${report}.json`));
      expect(scoreFields(swept.cases)).toEqual(scoreFields(plain.cases));
    }
    const truth = read<EvalFile>(path.join(out, 'location-true_report.json'));
    const all = read<EvalFile>(path.join(out, 'prompts-all.json'));
    expect(truth.cases.map((r) => r.id)).toEqual(eligible.map((s) => s.id).sort());
    expect(scoreFields(truth.cases)).toEqual(scoreFields(all.cases.filter((r) => truth.cases.some((t) => t.id === r.id))));
  }, 120_000);

  it('tables the mean and population std of each setting file', () => {
    const index = read<{ tables: Record<string, { key: string; n: number; dice: { mean: number; std: number } }[]> }>(
      path.join(out, 'sweep.json'),
    );
    for (const [kind, rows] of Object.entries(index.tables).filter(([k]) => k !== 'histogram')) {
      for (const row of rows) {
        const file = read<EvalFile>(path.join(out, `${row.key.replace('/', '-')}.json`));
        const dice = file.cases.map((r) => r.dice!);
        const mean = dice.reduce((a, b) => a + b, 0) / dice.length;
        expect(row.n, `${kind} ${row.key}`).toBe(dice.length);
        expect(row.dice.mean).toBeCloseTo(mean, 12);
        expect(row.dice.std).toBeCloseTo(Math.sqrt(dice.reduce((a, v) => a + (v - mean) ** 2, 0) / dice.length), 12);
      }
    }
  });

  it('writes one file for --out FILE.json, and refuses --prompts, --csv and unknown sweeps', async () => {
    const file = path.join(scratch('one-file'), 'sweep.json');
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--sweep', 'k', '--k', '2', '--out', file);
    expect(result.code, result.err).toBe(0);
    const doc = read<{ base: { k: number }; settings: Record<string, EvalFile>; tables: { k: unknown[] } }>(file);
    expect(doc.base.k).toBe(2);
    expect(Object.keys(doc.settings)).toEqual(['k/0', 'k/1', 'k/2', 'k/3', 'k/4', 'k/5']);
    const separate = read<EvalFile>(path.join(out, 'k-3.json'));
    expect(scoreFields(doc.settings['k/3']!.cases)).toEqual(scoreFields(separate.cases));
    for (const bad of [['--sweep', 'k', '--prompts', 'coarse'], ['--sweep', 'k', '--csv', 'x.csv'], ['--sweep', 'nope']]) {
      const refused = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--out', file, ...bad);
      expect(refused.code).toBe(2);
    }
  }, 120_000);
});
