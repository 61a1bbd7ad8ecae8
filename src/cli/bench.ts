/**
 * `locus bench`: per-stage timings of the full analysis and of a decoder-only re-run, median and
 * minimum over N runs after one warm-up, on the EP named (no fallback: a missing WebGPU adapter is
 * reported as such).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { modelImage, type DecodedImage } from '../pipeline/index';
import type { Engine } from '../runtime/engine';
import { STAGES, type StageTimings } from '../runtime/results';
import {
  executionProvider,
  optionalString,
  parseCommand,
  positiveInteger,
  requireOption,
  UsageError,
  type Options,
} from './args';
import { openEngine, readImageFile } from './open';
import { formatTable, writeJson } from './output';

interface Stat {
  median: number;
  min: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? NaN };
}

/** --image/--report, or else the bundle's first fixture case. */
async function benchInput(bundleDir: string, values: Options) {
  const image = optionalString(values, 'image');
  const report = optionalString(values, 'report');
  if (image !== undefined) {
    if (report === undefined) throw new UsageError('--image needs --report');
    return { name: image, input: await readImageFile(image), report };
  }
  const manifest = JSON.parse(await readFile(path.join(bundleDir, 'manifest.json'), 'utf8')) as {
    fixtures: { index: string } | null;
  };
  if (manifest.fixtures === null) throw new UsageError('this bundle has no fixtures: give --image and --report');
  const index = JSON.parse(await readFile(path.join(bundleDir, manifest.fixtures.index), 'utf8')) as {
    cases: { image: string; report: string }[];
  };
  const first = index.cases[0];
  if (first === undefined) throw new UsageError('the bundle lists no fixture case: give --image and --report');
  return { name: first.image, input: await readImageFile(path.join(bundleDir, first.image)), report: first.report };
}

async function measure(engine: Engine, image: DecodedImage, report: string, runs: number) {
  const analyses: StageTimings[] = [];
  const analyzeMs: number[] = [];
  const redecodes: StageTimings[] = [];
  const redecodeMs: number[] = [];
  const settings = engine.defaultSettings();
  await engine.analyze(image, report);
  await engine.redecode(settings);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    analyses.push((await engine.analyze(image, report)).timings);
    analyzeMs.push(performance.now() - start);
  }
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    redecodes.push((await engine.redecode(settings)).timings);
    redecodeMs.push(performance.now() - start);
  }
  const stages = Object.fromEntries(STAGES.map((s) => [s, stat(analyses.map((t) => t[s] ?? NaN))]));
  return {
    stages,
    analyze: stat(analyzeMs),
    redecode: stat(redecodeMs),
    redecodeDecoder: stat(redecodes.map((t) => t.decoder ?? NaN)),
  };
}

export async function benchCommand(argv: string[]): Promise<number> {
  const values = parseCommand(argv, {
    bundle: { type: 'string' },
    runs: { type: 'string' },
    image: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'string' },
  });
  const bundleDir = requireOption(values, 'bundle');
  const ep = executionProvider(values, ['cpu', 'wasm', 'webgpu']);
  const runs = positiveInteger(values, 'runs', 10);
  const input = await benchInput(bundleDir, values);
  const engine = await openEngine(bundleDir, ep);
  try {
    const image = modelImage(input.input, engine.manifest.expected_input);
    const result = await measure(engine, image, input.report, runs);
    const backend = engine.info();
    const ms = (v: number) => v.toFixed(2);
    const rows = [
      ...STAGES.map((s) => [s, ms(result.stages[s]!.median), ms(result.stages[s]!.min)]),
      ['analyze (all stages)', ms(result.analyze.median), ms(result.analyze.min)],
      ['redecode (decoder only)', ms(result.redecode.median), ms(result.redecode.min)],
    ];
    const { preprocess } = engine.manifest;
    console.log(
      `bundle ${engine.manifest.bundle_id} (S=${preprocess.input_size}), ` +
        `${backend.library} ${backend.version} on ${backend.ep}, ${runs} run(s) after 1 warm-up, ` +
        `input ${input.name} ${image.width}x${image.height}\n`,
    );
    console.log(formatTable(['stage', 'median ms', 'min ms'], rows));
    const jsonOut = optionalString(values, 'json');
    if (jsonOut !== undefined) {
      await writeJson(jsonOut, { bundle: engine.manifest.bundle_id, backend, runs, input: input.name, ...result });
    }
    return 0;
  } finally {
    await engine.dispose();
  }
}
