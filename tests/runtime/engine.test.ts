/**
 * The engine on the bundle's fixtures, on onnxruntime-node (CPU) and onnxruntime-web's WASM build
 * in node: final masks identical to PyTorch's, decoder-only re-runs, and the load-time checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { Engine } from '../../src/runtime/engine';
import { createNodeBackend } from '../../src/runtime/ort-node';
import type { OrtBackend, RuntimeSession } from '../../src/runtime/ort';
import { maskLogitsToOriginal, type Geometry } from '../../src/pipeline/index';
import { BUNDLE_DIR, countDifferences, engineSettings, fixtureFloats, fixtureRuns, type FixtureRun } from './fixture-cases';

const runs = fixtureRuns();
const defaultRuns = runs.filter((r) => r.isDefault);
const lastRun = runs.at(-1)!;
const manifest = JSON.parse(readFileSync(path.join(BUNDLE_DIR, 'manifest.json'), 'utf8')) as {
  preprocess: { input_size: number };
  sam: { mask_logits_size: [number, number]; mask_threshold: number };
};
/** What `locus verify` allows between onnxruntime and PyTorch on every output. */
const VERIFY_TOLERANCE = 1e-4;
const inputSize = manifest.preprocess.input_size;

/**
 * onnxruntime-node (CPU) reproduces PyTorch's final mask pixel for pixel. The WASM kernels may
 * differ from PyTorch within the bundle's verification tolerance (1e-4 on mask_logits), which can
 * flip a pixel whose PyTorch logit lies that close to the threshold; only such pixels may differ.
 */
function expectFixtureMask(ep: 'cpu' | 'wasm', run: FixtureRun, mask: Uint8Array, geometry: Geometry): void {
  const differing = [...mask.keys()].filter((i) => mask[i] !== run.finalMask[i]);
  if (ep === 'cpu') {
    expect(differing).toEqual([]);
    return;
  }
  const logits = fixtureFloats(run, 'sam_decoder/mask_logits');
  const reference = maskLogitsToOriginal(logits, manifest.sam.mask_logits_size[0], geometry).data;
  const threshold = manifest.sam.mask_threshold;
  expect(differing.filter((i) => Math.abs(reference[i]! - threshold) >= VERIFY_TOLERANCE)).toEqual([]);
  expect(differing.length).toBeLessThanOrEqual(Math.ceil(mask.length * 1e-4));
}

describe.each(['cpu', 'wasm'] as const)('Engine on %s', (ep) => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.open(fsBundleSource(BUNDLE_DIR), await createNodeBackend(ep));
  }, 120_000);
  afterAll(async () => engine?.dispose());

  it('warms up on a blank frame and leaves no image behind', async () => {
    const ms = await engine.warmUp();
    expect(ms).toBeGreaterThan(0);
    await expect(engine.redecode(engine.defaultSettings())).rejects.toThrow('redecode needs an analyzed image first');
  });

  it('has fixture cases with default settings to check', () => {
    expect(defaultRuns.length).toBeGreaterThan(0);
    expect(engine.info().ep).toBe(ep);
  });

  it.each(defaultRuns.map((r) => [r.id, r] as const))(
    'case %s: analyze gives the fixture final mask (exactly on CPU)',
    async (_id, run) => {
      const result = await engine.analyze(run.image, run.report);
      expect([result.height, result.width]).toEqual(run.geometry.original);
      expect(result.geometry.resized).toEqual(run.geometry.resized);
      expectFixtureMask(ep, run, result.mask, result.geometry);
      expect(result.iou).toBeCloseTo(run.iou, 4);
      expect(result.fallback).toBeNull();
      expect(Object.keys(result.timings).sort()).toEqual(
        ['decoder', 'points', 'postprocess', 'preprocess', 'prompt_generator', 'sam_image_encoder'],
      );
      const gpfc = fixtureFloats(run, 'prompt_generator/gpfc_logits');
      result.gpfc.probabilities.flat().forEach((p, i) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-gpfc[i]!)), 4));
      const coarse = fixtureFloats(run, 'prompt_generator/coarse_logits');
      result.coarse.logits.forEach((v, i) => expect(Math.abs(v - coarse[i]!)).toBeLessThan(1e-4));
    },
    120_000,
  );

  it(`redecode with the settings of the last case (${lastRun.id}) reproduces its mask`, async () => {
    const first = await engine.analyze(lastRun.image, lastRun.report);
    const settings = engineSettings(lastRun, inputSize);
    const result = await engine.redecode(settings);
    expectFixtureMask(ep, lastRun, result.mask, first.geometry);
    expect(result.iou).toBeCloseTo(lastRun.iou, 4);
    expect(Object.keys(result.timings).sort()).toEqual(['decoder', 'points', 'postprocess']);
    // Back to the defaults: the kept image tensors give the first mask again.
    const again = await engine.redecode(engine.defaultSettings());
    expect(countDifferences(again.mask, first.mask)).toBe(0);
  }, 120_000);

  it('rejects settings the graphs cannot take', async () => {
    await expect(engine.redecode({ ...engine.defaultSettings(), k: 99 })).rejects.toThrow(/k must be/);
  });
});

/** `session` with another run(). */
function withRun(session: RuntimeSession, run: RuntimeSession['run']): RuntimeSession {
  const { inputNames, outputNames, inputMetadata, outputMetadata } = session;
  return { inputNames, outputNames, inputMetadata, outputMetadata, release: () => session.release(), run };
}

/** A node backend that pretends to run on WebGPU and fails the first graph run (or loses the device). */
function flakyGpu(inner: OrtBackend, lose: boolean, failCreate = false): OrtBackend {
  let ep: 'webgpu' | 'wasm' = 'webgpu';
  let reason: string | null = null;
  let failed = false;
  return {
    info: () => ({ ...inner.info(), ep, requested: 'webgpu', fallbackReason: reason }),
    createSession: async (model, options) => {
      if (failCreate && ep === 'webgpu') throw new Error('simulated unsupported operator');
      const session = await inner.createSession(model, options);
      if (ep !== 'webgpu') return session;
      return withRun(session, async (feeds) => {
        if (!failed) {
          failed = true;
          throw new Error('simulated GPU failure');
        }
        return session.run(feeds);
      });
    },
    tensor: (data, dims) => inner.tensor(data, dims),
    fallback: (why) => {
      if (ep !== 'webgpu') return false;
      [ep, reason] = ['wasm', why];
      return true;
    },
    deviceLost: () => (lose && ep === 'webgpu' ? 'WebGPU device lost (destroyed): test' : null),
    synchronize: () => inner.synchronize(),
    dispose: () => inner.dispose(),
  };
}

describe('Engine fallback from WebGPU', () => {
  it.each([false, true])('a failed run (device lost: %s) moves to WASM, retries once and says so', async (lose) => {
    const events: string[] = [];
    const engine = await Engine.open(fsBundleSource(BUNDLE_DIR), flakyGpu(await createNodeBackend('cpu'), lose), {
      onEvent: (e) => events.push(e.type),
    });
    const run = defaultRuns[0]!;
    const result = await engine.analyze(run.image, run.report);
    expect(result.fallback).toMatchObject({ from: 'webgpu', to: 'wasm', stage: 'run' });
    expect(result.fallback?.reason).toMatch(lose ? /device lost/ : /simulated GPU failure/);
    expect(result.backend).toMatchObject({ ep: 'wasm', requested: 'webgpu' });
    expect(countDifferences(result.mask, run.finalMask)).toBe(0);
    expect(events).toContain('fallback');
    const next = await engine.redecode(engine.defaultSettings());
    expect(next.fallback).toBeNull();
    await engine.dispose();
  }, 120_000);

  it('a session that cannot be built on WebGPU moves the engine to WASM before any run, and says why', async () => {
    const notices: string[] = [];
    const engine = await Engine.open(fsBundleSource(BUNDLE_DIR), flakyGpu(await createNodeBackend('cpu'), false, true), {
      onEvent: (e) => e.type === 'fallback' && notices.push(e.notice.reason),
    });
    expect(engine.info()).toMatchObject({ ep: 'wasm', requested: 'webgpu' });
    expect(engine.info().fallbackReason).toMatch(/session failed on webgpu: prompt_generator\.onnx: onnxruntime cannot open this graph: simulated unsupported operator/);
    expect(notices).toHaveLength(1);
    await engine.dispose();
  }, 120_000);
});

/**
 * A node backend that behaves like WebGPU's queue: `run` returns as soon as the graph is computed
 * while `gpuMs` of its work stays queued; the next graph waits for it before it runs, and
 * `synchronize` waits for it without running anything.
 */
function queuedGpu(inner: OrtBackend, gpuMs: number): OrtBackend {
  let queue: Promise<void> = Promise.resolve();
  return {
    info: () => inner.info(),
    tensor: (data, dims) => inner.tensor(data, dims),
    fallback: (why) => inner.fallback(why),
    deviceLost: () => inner.deviceLost(),
    dispose: () => inner.dispose(),
    synchronize: () => queue,
    createSession: async (model, options) => {
      const session = await inner.createSession(model, options);
      return withRun(session, async (feeds) => {
        await queue;
        const outputs = await session.run(feeds);
        queue = new Promise((resolve) => setTimeout(resolve, gpuMs));
        return outputs;
      });
    },
  };
}

describe('stage timings with GPU work queued behind run()', () => {
  it('bill each graph for its own queued work, not the next graph', async () => {
    const gpuMs = 300;
    const engine = await Engine.open(fsBundleSource(BUNDLE_DIR), queuedGpu(await createNodeBackend('cpu'), gpuMs));
    const run = defaultRuns[0]!;
    const { timings } = await engine.analyze(run.image, run.report);
    expect(timings.prompt_generator).toBeGreaterThanOrEqual(gpuMs - 5);
    expect(timings.sam_image_encoder).toBeGreaterThanOrEqual(gpuMs - 5);
    // Without the wait inside the encoder's stage, the decoder would be billed for its ~300 ms.
    expect(timings.decoder).toBeLessThan(gpuMs / 2);
    await engine.dispose();
  }, 120_000);
});
