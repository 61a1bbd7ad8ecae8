/**
 * The workbench on a real engine (onnxruntime-node) and a folder given as Blobs, as the page hands
 * it over: the evaluation streams its rows, the cache keeps what its budget allows, a sweep
 * decodes the cached cases and encodes the others again, and either way it scores exactly what
 * the CLI's one-pass sweep scores; cancelling stops between cases; another bundle is refused; a
 * folder of DICOM images with PNG and SEG masks is scored as locus eval scores it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { openInput, openMask, segmentationOf, sweepSettings } from '../../src/pipeline/index';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { encodingBytesFor } from '../../src/runtime/case-encoding';
import { Engine } from '../../src/runtime/engine';
import { evaluateCases, type CaseScores } from '../../src/runtime/evaluate';
import { createNodeBackend } from '../../src/runtime/ort-node';
import type { BatchProgress, DatasetFile } from '../../src/worker/api';
import { Workbench } from '../../src/worker/workbench';
import { lvitFolder, samples } from '../cli/lvit-folder';
import { BUNDLE_DIR } from '../runtime/fixture-cases';
import { SAMPLE_REPORT } from '../fixtures/dicom/phantom';

const chosen = samples().slice(0, 6);
let root: string;
let engine: Engine;
let engineId = 'load-1';
let queue: Promise<unknown> = Promise.resolve();
let turns = 0;

function workbench(using: () => Engine = () => engine): Workbench {
  return new Workbench({
    loaded: () => ({ engine: using(), engineId }),
    exclusive: <T>(work: () => Promise<T>) => {
      turns++;
      const run = queue.then(work, work);
      queue = run.catch(() => undefined);
      return run;
    },
  });
}

/** The folder's files as the page sends them: paths under the folder's name, Blobs. */
function folderFiles(dir: string, name = 'ds'): DatasetFile[] {
  const out: DatasetFile[] = [];
  const walk = (at: string, rel: string) => {
    for (const entry of readdirSync(at)) {
      const full = path.join(at, entry);
      if (statSync(full).isDirectory()) walk(full, `${rel}/${entry}`);
      else out.push({ path: `${rel}/${entry}`, file: new Blob([readFileSync(full)]) });
    }
  };
  walk(dir, name);
  return out;
}

beforeAll(async () => {
  root = lvitFolder(chosen, 'xlsx');
  engine = await Engine.open(fsBundleSource(BUNDLE_DIR), await createNodeBackend('cpu'));
}, 60_000);
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await engine?.dispose();
});

describe('Workbench', () => {
  it('opens a folder of Blobs with an .xlsx table and pairs its cases', async () => {
    const summary = await workbench().open(folderFiles(root));
    expect(summary).toMatchObject({ name: 'ds', reportsFile: 'ds/Test_text.xlsx' });
    expect(summary.cases.map((c) => c.id).sort()).toEqual(chosen.map((s) => s.id).sort());
    expect(summary.cases.every((c) => c.problem === null && c.image!.startsWith('ds/images/'))).toBe(true);
  });

  it('keeps as many encodings as the budget allows and sweeps the rest by encoding them again, scoring as the CLI does', async () => {
    const bench = workbench();
    await bench.open(folderFiles(root));
    const perCase = encodingBytesFor(engine.manifest);
    const progress: BatchProgress[] = [];
    turns = 0;
    const done = await bench.evaluate({ cacheBytes: 2.5 * perCase + 200_000 }, (p) => progress.push(p));
    expect(turns).toBe(chosen.length);
    expect(progress.map((p) => p.done)).toEqual(chosen.map((_, i) => i + 1));
    expect(progress.every((p) => p.row !== undefined && p.summary!.cases === p.done)).toBe(true);
    expect(done.summary.cases).toBe(chosen.length);
    expect(done.cache.cases).toBe(2);
    // Encoding and mask at 1 bit a pixel: the masks are a few hundred pixels a side.
    expect(done.cache.perCaseBytes).toBe(done.cache.bytes / 2);
    expect(done.cache.perCaseBytes).toBeGreaterThan(perCase);
    expect(done.histogram.reduce((a, b) => a + b.count, 0)).toBe(chosen.length);

    const swept: Record<string, Record<string, CaseScores>> = {};
    const result = await bench.sweep(['prompts', 'location'], (p) => void (swept[p.scores!.id] = p.scores!.scores));
    expect(result.reencoded).toBe(chosen.length - 2);
    expect(result.failures).toEqual([]);
    expect(Object.keys(result.tables)).toEqual(['prompts', 'location']);

    const base = engine.defaultSettings();
    const plan = [...sweepSettings('prompts', { ...base, kMax: 8 }), ...sweepSettings('location', { ...base, kMax: 8 })];
    const cli: Record<string, Record<string, CaseScores>> = {};
    const inputs = folderFiles(root).filter((f) => f.path.includes('/images/'));
    const masks = new Map(folderFiles(root).filter((f) => f.path.includes('/masks/')).map((f) => [path.basename(f.path).replace(/^mask_/, ''), f.file]));
    const cases = inputs.map((f) => {
      const id = path.basename(f.path, '.png');
      return { id, image: f.file, mask: masks.get(`${id}.png`)!, report: chosen.find((s) => s.id === id)!.report };
    });
    await evaluateCases(engine, cases, base, { sweep: plan, onCase: (row, encoded) => void (cli[row.id] = encoded!.sweep) });
    expect(swept).toEqual(cli);
  }, 120_000);

  it('stops between cases when cancelled, runs one batch at a time, and refuses to sweep results of another bundle load', async () => {
    const bench = workbench();
    await bench.open(folderFiles(root));
    // Settled into a message at once: a rejection left pending until the evaluation ends is unhandled.
    let refused: Promise<string> | null = null;
    const done = await bench.evaluate({ cacheBytes: 0 }, (p) => {
      refused ??= bench.open(folderFiles(root)).then(() => 'opened', (error: Error) => error.message);
      if (p.done === 2) bench.cancel();
    });
    expect(done.summary).toMatchObject({ cases: 2, cancelled: true });
    expect(await refused).toBe('an evaluation is running: cancel it first');
    engineId = 'load-2';
    await expect(bench.sweep(['k'], () => undefined)).rejects.toThrow(/the bundle changed since this dataset was evaluated/);
    engineId = 'load-1';
    await expect(workbench().sweep(['k'], () => undefined)).rejects.toThrow('evaluate the dataset first');
    await expect(workbench().open([{ path: 'x/a.png', file: new Blob([]) }])).rejects.toThrow(/no images\/ folder/);
  }, 120_000);

  it('reads a folder of DICOM images with PNG and SEG masks as locus eval does, refusing another modality', async () => {
    const [ct, png] = [readFileSync('public/samples/ct-phantom.dcm'), readFileSync('public/samples/ct-phantom-mask.png')];
    const opened = await openInput(new Uint8Array(ct), 'ct');
    const seg = new Uint8Array(segmentationOf(opened, (await openMask(new Uint8Array(png), 'mask', opened)).mask, { name: 'test', version: '1' }));
    const csv = `Image,Description\nslice1.dcm,"${SAMPLE_REPORT}"\nslice2.dcm,"${SAMPLE_REPORT}"\n`;
    const files: DatasetFile[] = [
      { path: 'ct/images/slice1.dcm', file: new Blob([ct]) },
      { path: 'ct/images/slice2.dcm', file: new Blob([ct]) },
      { path: 'ct/masks/slice1.png', file: new Blob([png]) },
      { path: 'ct/masks/slice2.dcm', file: new Blob([seg]) },
      { path: 'ct/reports.csv', file: new Blob([csv]) },
    ];
    const ctEngine = await Engine.open(fsBundleSource('models/medseg-ct'), await createNodeBackend('cpu'));
    try {
      const bench = workbench(() => ctEngine);
      const summary = await bench.open(files);
      expect(summary.cases.map((c) => [c.image, c.mask, c.problem])).toEqual([
        ['ct/images/slice1.dcm', 'ct/masks/slice1.png', null],
        ['ct/images/slice2.dcm', 'ct/masks/slice2.dcm', null],
      ]);
      const rows: NonNullable<BatchProgress['row']>[] = [];
      await bench.evaluate({ cacheBytes: 0 }, (p) => void rows.push(p.row!));
      const cases = ['slice1', 'slice2'].map((id, i) => ({ id, image: new Blob([ct]), mask: i === 0 ? new Blob([png]) : new Blob([seg]), report: SAMPLE_REPORT }));
      const { rows: cli } = await evaluateCases(ctEngine, cases, ctEngine.defaultSettings());
      expect(rows.map((r) => [r.error, r.dice])).toEqual(cli.map((r) => [null, r.dice]));
      expect(rows[0]!.dice).toBeGreaterThan(0);
      expect(rows[1]!.dice).toBe(rows[0]!.dice);

      const demo = workbench();
      await demo.open(files);
      const done = await demo.evaluate({ cacheBytes: 0 }, () => undefined);
      expect(done.summary.errors.map((e) => e.error)).toEqual([
        expect.stringMatching(/^ct\/images\/slice1\.dcm: the image is CT, the bundle expects/),
        expect.stringMatching(/^ct\/images\/slice2\.dcm: the image is CT, the bundle expects/),
      ]);
    } finally {
      await ctEngine.dispose();
    }
  }, 120_000);
});
