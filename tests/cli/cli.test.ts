/**
 * The `locus` CLI: segment writes a mask of the original size; eval scores an LViT folder (CSV
 * or XLSX reports) exactly as the engine does and reports bad cases as one-line errors naming
 * their files, going on with the rest (exit code 3); bench prints every stage; verify checks a
 * bundle against its manifest and fixtures and lists every failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { binaryMask, decodeImage, dice, iou } from '../../src/pipeline/index';
import { naturalCompare } from '../../src/cli/dataset';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { Engine } from '../../src/runtime/engine';
import { createNodeBackend } from '../../src/runtime/ort-node';
import { BUNDLE_DIR } from '../runtime/fixture-cases';
import { lvitFolder, samples, SAMPLES_DIR, scratchDirs, writeReportsCsv, type Sample } from './lvit-folder';
import { locus } from './run-locus';

const run = promisify(execFile);
const chosen = samples().slice(0, 3);
const dirs = scratchDirs();
const scratch = dirs.make;

afterAll(() => dirs.removeAll());

interface Expected {
  dice: number;
  iou: number;
  points: number;
  coarseMax: number;
}

describe('locus segment', () => {
  it('bin/locus.mjs writes a 0/255 mask at the original size and the JSON details', async () => {
    const sample = chosen[0]!;
    const dir = scratch('segment');
    const out = path.join(dir, 'mask.png');
    const json = path.join(dir, 'out.json');
    const args = ['--bundle', BUNDLE_DIR, '--image', path.join(SAMPLES_DIR, sample.image), '--report', sample.report];
    const { stdout } = await run(process.execPath, ['bin/locus.mjs', 'segment', ...args, '--out', out, '--json', json]);
    expect(stdout).toContain(`${sample.width}x${sample.height}`);
    const mask = decodeImage(readFileSync(out));
    expect([mask.width, mask.height, mask.channels]).toEqual([sample.width, sample.height, 1]);
    expect(new Set(mask.data)).toSatisfy((values: Set<number>) => [...values].every((v) => v === 0 || v === 255));
    const details = JSON.parse(readFileSync(json, 'utf8')) as { width: number; timings: Record<string, number> };
    expect(details.width).toBe(sample.width);
    expect(Object.keys(details.timings)).toHaveLength(6);
  }, 120_000);

  it('names the file for a wrong bundle, a corrupt image and an empty report', async () => {
    const sample = chosen[0]!;
    const image = path.join(SAMPLES_DIR, sample.image);
    const out = path.join(scratch('segment-bad'), 'm.png');
    const wrong = await locus('segment', '--bundle', SAMPLES_DIR, '--image', image, '--report', 'x', '--out', out);
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.err).toMatch(/^locus segment: error: .*manifest\.json: no such file/);
    const truncated = path.join(path.dirname(out), 'cut.png');
    writeFileSync(truncated, readFileSync(image).subarray(0, 200));
    const corrupt = await locus('segment', '--bundle', BUNDLE_DIR, '--image', truncated, '--report', 'x', '--out', out);
    expect(corrupt.code).toBe(1);
    expect(corrupt.err.split('\n')).toHaveLength(1);
    expect(corrupt.err).toContain('cut.png');
    const empty = await locus('segment', '--bundle', BUNDLE_DIR, '--image', image, '--report', '  ', '--out', out);
    expect(empty).toMatchObject({ code: 1, err: expect.stringMatching(/^locus segment: error: --report: the report is empty/) });
    expect((await locus('segment', '--bundle', BUNDLE_DIR)).code).toBe(2);
  }, 120_000);
});

describe('first-run answers', () => {
  it('prints a command\'s own usage for --help, with exit code 0', async () => {
    for (const name of ['segment', 'eval', 'bench', 'verify']) {
      const help = await locus(name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^usage:\\n  locus ${name} `));
      expect(help.err).toBe('');
    }
  });

  it('says in words that a folder is not a file, a file is not a folder, and a folder is missing', async () => {
    const out = path.join(scratch('first-run'), 'm.png');
    const folder = await locus('segment', '--bundle', BUNDLE_DIR, '--image', SAMPLES_DIR, '--report', 'x', '--out', out);
    expect(folder).toMatchObject({ code: 1, err: `locus segment: error: ${SAMPLES_DIR}: is a folder, not a file` });
    const image = path.join(SAMPLES_DIR, chosen[0]!.image);
    const under = await locus('segment', '--bundle', BUNDLE_DIR, '--image', path.join(image, 'x.png'), '--report', 'x', '--out', out);
    expect(under.err).toBe(`locus segment: error: ${path.join(image, 'x.png')}: a part of this path is a file, not a folder`);
    const bundleFile = await locus('segment', '--bundle', image, '--image', image, '--report', 'x', '--out', out);
    expect(bundleFile.err).toMatch(/is a file; --bundle takes the bundle's folder/);
    const missing = await locus('eval', '--bundle', BUNDLE_DIR, '--data', 'no/such/folder', '--out', out);
    expect(missing).toMatchObject({ code: 1, err: 'locus eval: error: no/such/folder: no such folder' });
  });
});

describe('locus eval', () => {
  const expected = new Map<string, Expected>();

  beforeAll(async () => {
    const engine = await Engine.open(fsBundleSource(BUNDLE_DIR), await createNodeBackend('cpu'));
    for (const s of chosen) {
      const result = await engine.analyze(decodeImage(readFileSync(path.join(SAMPLES_DIR, s.image))), s.report);
      const truth = binaryMask(decodeImage(readFileSync(path.join(SAMPLES_DIR, s.mask))));
      expected.set(s.id, {
        dice: dice(result.mask, truth),
        iou: iou(result.mask, truth),
        points: result.points.length,
        coarseMax: Math.max(...result.coarse.probabilities),
      });
    }
    await engine.dispose();
  }, 120_000);

  const mean = (key: 'dice' | 'iou') => chosen.reduce((sum, s) => sum + expected.get(s.id)![key], 0) / chosen.length;

  it.each(['csv', 'xlsx'] as const)('scores a small LViT folder with %s reports as the engine does', async (kind) => {
    const data = lvitFolder(chosen, kind);
    dirs.add(data);
    const out = path.join(data, 'results.json');
    const csv = path.join(data, 'results.csv');
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--out', out, '--csv', csv);
    expect(result.code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: { cases: number; meanDice: number; meanIou: number; errors: unknown[] };
      cases: { id: string; dice: number; iou: number; points: number; coarseMax: number }[];
    };
    expect(json.summary.cases).toBe(chosen.length);
    expect(json.summary.errors).toEqual([]);
    for (const row of json.cases) {
      expect(row.dice).toBeCloseTo(expected.get(row.id)!.dice, 12);
      expect(row.iou).toBeCloseTo(expected.get(row.id)!.iou, 12);
      expect(row.points).toBe(expected.get(row.id)!.points);
      expect(row.coarseMax).toBeCloseTo(expected.get(row.id)!.coarseMax, 12);
    }
    expect(json.summary.meanDice).toBeCloseTo(mean('dice'), 12);
    expect(json.summary.meanIou).toBeCloseTo(mean('iou'), 12);
    expect(result.out).toContain(`cases: ${chosen.length} scored of ${chosen.length}`);
    expect(result.out).toContain(`mean Dice: ${mean('dice').toFixed(4)}`);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe(
      'id,dice,iou,predicted_iou,points,coarse_max,readable,unreadable_reason,error,warnings,ms,gpfc_agreement,lesion_pixels,image_pixels',
    );
  }, 120_000);

  it('reports each bad case as one line naming its file and scores the others (exit 3)', async () => {
    const [good, other] = chosen as [Sample, Sample];
    const data = lvitFolder([good], 'csv');
    dirs.add(data);
    const img = (n: string) => path.join(data, 'images', n);
    writeFileSync(img('truncated.png'), readFileSync(path.join(SAMPLES_DIR, good.image)).subarray(0, 300));
    copyFileSync(path.join(SAMPLES_DIR, good.mask), path.join(data, 'masks', 'truncated.png'));
    copyFileSync(path.join(SAMPLES_DIR, good.image), img('nomask.png'));
    copyFileSync(path.join(SAMPLES_DIR, good.image), img('mismatch.png'));
    copyFileSync(path.join(SAMPLES_DIR, other.mask), path.join(data, 'masks', 'mismatch.png'));
    copyFileSync(path.join(SAMPLES_DIR, good.image), img('silent.png'));
    copyFileSync(path.join(SAMPLES_DIR, good.mask), path.join(data, 'masks', 'silent.png'));
    writeReportsCsv(data, [
      [`${good.id}.png`, good.report],
      ['truncated.png', good.report],
      ['nomask.png', good.report],
      ['mismatch.png', good.report],
      ['silent.png', ''],
    ]);
    const out = path.join(data, 'results.json');
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--out', out);
    expect(result.code).toBe(3);
    const errors = result.err.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(4);
    expect(errors.find((l) => l.includes('truncated.png'))).toMatch(/images\/truncated\.png: corrupt PNG/);
    expect(errors.find((l) => l.includes('nomask.png'))).toMatch(/images\/nomask\.png: no mask with the same stem/);
    expect(errors.find((l) => l.includes('mismatch.png'))).toMatch(
      new RegExp(`masks/mismatch\\.png: mask is ${other.width}x${other.height}, .*images/mismatch\\.png is ${good.width}x${good.height}`),
    );
    expect(errors.find((l) => l.includes('silent.png'))).toMatch(/images\/silent\.png: empty report/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { summary: { cases: number; errors: unknown[] } };
    expect(json.summary).toMatchObject({ cases: 1 });
    expect(json.summary.errors).toHaveLength(4);
    expect(result.out).toContain('errors: 4');
  }, 120_000);

  it('--cases keeps the listed stems and --reports reads another report table', async () => {
    const [first, second, third] = chosen as [Sample, Sample, Sample];
    const data = lvitFolder(chosen, 'csv');
    dirs.add(data);
    const ids = path.join(data, 'fold.txt');
    writeFileSync(ids, `${third.id}\n# held out\n\n${first.id}\n`);
    const out = path.join(data, 'fold.json');
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--cases', ids, '--out', out);
    expect(result.code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { casesFile: string; cases: { id: string; dice: number }[] };
    expect(json.cases.map((c) => c.id)).toEqual([first.id, third.id].sort(naturalCompare));
    expect(json.cases.find((c) => c.id === first.id)!.dice).toBeCloseTo(expected.get(first.id)!.dice, 12);
    expect(json.casesFile).toBe(ids);

    const other = path.join(data, 'other-reports.csv');
    writeFileSync(other, `Image,Description\n${second.id}.png,"${first.report}"\n`);
    const otherOut = path.join(data, 'other.json');
    const swapped = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--reports', other, '--out', otherOut);
    expect(swapped.code).toBe(0);
    const rows = (JSON.parse(readFileSync(otherOut, 'utf8')) as { cases: { id: string }[] }).cases;
    expect(rows.map((c) => c.id)).toEqual([second.id]);

    writeFileSync(ids, 'no-such-case\n');
    const missing = await locus('eval', '--bundle', BUNDLE_DIR, '--data', data, '--cases', ids, '--out', out);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no report for the listed case\(s\) no-such-case/);
  }, 120_000);

  it('fails with one line when the folder has no report table (exit 1)', async () => {
    const result = await locus('eval', '--bundle', BUNDLE_DIR, '--data', scratch('empty'), '--out', 'x.json');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^locus eval: error: .*: no reports\.csv or \.xlsx report file$/);
  });
});

describe('locus bench', () => {
  it('prints median and min for every stage, the full analysis and the decoder-only re-run', async () => {
    const json = path.join(scratch('bench'), 'bench.json');
    const result = await locus('bench', '--bundle', BUNDLE_DIR, '--runs', '2', '--json', json);
    expect(result.code).toBe(0);
    for (const row of ['preprocess', 'prompt_generator', 'sam_image_encoder', 'points', 'decoder', 'postprocess', 'analyze', 'redecode']) {
      expect(result.out).toMatch(new RegExp(`^${row}.*\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d$`, 'm'));
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as { stages: Record<string, { median: number; min: number }> };
    expect(Object.keys(report.stages)).toHaveLength(6);
  }, 120_000);

  it('says clearly that node has no WebGPU adapter here', async () => {
    const result = await locus('bench', '--bundle', BUNDLE_DIR, '--ep', 'webgpu', '--runs', '1');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/no WebGPU adapter/);
  }, 60_000);
});

describe('locus verify', () => {
  /** The bundle under test copied to a scratch folder, with `edit` applied there. */
  function editedBundle(edit: (dir: string) => void): string {
    const dir = path.join(scratch('verify'), 'bundle');
    cpSync(BUNDLE_DIR, dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it('passes the bundle: every fixture output of every graph within the tolerance (npm run verify:bundle)', async () => {
    const json = path.join(scratch('verify-ok'), 'report.json');
    const { stdout } = await run(process.execPath, ['bin/locus.mjs', 'verify', BUNDLE_DIR, '--json', json]);
    expect(stdout).toMatch(/onnxruntime-node [\d.]+ on cpu/);
    expect(stdout.trimEnd()).toMatch(/bundle OK$/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { ok: boolean; rows: { ok: boolean; maxAbsDiff: number; allowed: number }[] };
    expect(report.ok).toBe(true);
    expect(report.rows.length).toBeGreaterThanOrEqual(3 * 8);
    // The default tolerance 1e-4 scaled by max(1, largest |expected|) of each output.
    expect(report.rows.every((r) => r.ok && r.allowed >= 1e-4 && r.maxAbsDiff <= r.allowed)).toBe(true);
  }, 120_000);

  it('lists a changed graph and every output above --tol, one line each (exit 1)', async () => {
    const dir = editedBundle((d) => appendFileSync(path.join(d, 'sam_decoder.onnx'), 'x'));
    const result = await locus('verify', dir, '--tol', '0');
    expect(result.code).toBe(1);
    const failures = result.out.split('\n').filter((line) => line.startsWith('FAIL '));
    expect(failures[0]).toMatch(/^FAIL graph sam_decoder: sam_decoder\.onnx: \d+ bytes, the manifest says \d+$/);
    expect(failures.slice(1).every((line) => /^FAIL case \S+ graph \S+ output \S+: max abs diff \S+ > 0\.000e\+0 \(tol 0 x scale [\d.]+\)$/.test(line))).toBe(true);
    expect(result.out).toMatch(/bundle FAILED: \d+ failure\(s\)$/);
  }, 120_000);

  it('refuses a manifest whose regions disagree with the pipeline, naming the field', async () => {
    const dir = editedBundle((d) => {
      const file = path.join(d, 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { regions: string[] };
      manifest.regions.reverse();
      writeFileSync(file, JSON.stringify(manifest));
    });
    const result = await locus('verify', dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^FAIL manifest\.json: not a Locus bundle manifest: \/regions: /m);
  });

  it('needs exactly one bundle folder (exit 2)', async () => {
    expect(await locus('verify')).toMatchObject({ code: 2 });
    expect((await locus('verify', BUNDLE_DIR, BUNDLE_DIR)).err).toMatch(/unexpected argument/);
  });
});
