/**
 * The real worker in Chromium on a bundle fixture: once on WebGPU (which must really run there:
 * a WebGPU adapter, no fallback reason, the image embedding in a GPU buffer), once on WASM, and
 * the two masks must agree. Every request that does not go to the local harness server fails.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { decodeImage, maskLogitsToOriginal } from '../src/pipeline/index';
import type { HarnessRun } from './harness/harness';

const runs: Partial<Record<'webgpu' | 'wasm', HarnessRun>> = {};
let blocked: string[] = [];
let consoleLines: string[] = [];

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function binaryPng(base64: string): Uint8Array {
  const image = decodeImage(bytes(base64));
  const on = (i: number) => ((image.data[i * image.channels] ?? 0) > 0 ? 1 : 0);
  return Uint8Array.from({ length: image.width * image.height }, (_, i) => on(i));
}

function iou(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return either === 0 ? 1 : both / either;
}

async function isolate(context: BrowserContext): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
}

async function runHarness(page: Page, ep: 'webgpu' | 'wasm'): Promise<HarnessRun> {
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  return page.evaluate((which) => window.locusHarness.run(which), ep);
}

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ context }) => {
  blocked = [];
  consoleLines = [];
  await isolate(context);
});

// Playwright wants the fixtures argument destructured even when no fixture is used.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  await testInfo.attach('console', { body: consoleLines.join('\n'), contentType: 'text/plain' });
  expect(blocked, 'requests outside the local server').toEqual([]);
});

test('analyze runs on WebGPU for real, with no fallback', async ({ page }) => {
  const run = await runHarness(page, 'webgpu');
  runs.webgpu = run;
  test.info().annotations.push({ type: 'adapter', description: JSON.stringify(run.loaded.adapter) });
  expect(run.loaded).toMatchObject({ library: 'onnxruntime-web', requested: 'webgpu', ep: 'webgpu', fallbackReason: null });
  expect(run.loaded.adapter).not.toBeNull();
  for (const result of [run.analysis, run.redecode]) {
    expect(result.fallback).toBeNull();
    expect(result.backend).toMatchObject({ ep: 'webgpu', fallbackReason: null });
  }
  // Only the WebGPU EP can hand back GPU-buffer tensors: the encoder really ran on the GPU.
  expect(run.analysis.embeddingLocation).toBe('gpu-buffer');
  expect(run.sessions).toBe(3);
  const files = ['prompt_generator.onnx', 'sam_image_encoder.onnx', 'sam_decoder.onnx', 'vocab.txt'];
  expect(run.downloads).toEqual(expect.arrayContaining(files));
  const mask = bytes(run.analysis.mask);
  expect(iou(mask, binaryPng(run.fixture.finalMask))).toBeGreaterThanOrEqual(0.99);
  expect(Object.keys(run.analysis.timings)).toHaveLength(6);
});

test('analyze on WASM gives the fixture mask (up to pixels at the threshold)', async ({ page }) => {
  const run = await runHarness(page, 'wasm');
  runs.wasm = run;
  expect(run.loaded).toMatchObject({ requested: 'wasm', ep: 'wasm', adapter: null, fallbackReason: null });
  expect(run.analysis.fallback).toBeNull();
  expect(run.analysis.embeddingLocation).toBe('cpu');
  const mask = bytes(run.analysis.mask);
  const expected = binaryPng(run.fixture.finalMask);
  // Only pixels whose PyTorch logit lies within the bundle's verification tolerance (1e-4) of the
  // threshold may differ: there WASM and PyTorch may legitimately fall on either side.
  const raw = bytes(run.fixture.maskLogits);
  const logits = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const reference = maskLogitsToOriginal(logits, run.sam.mask_logits_size[0], run.geometry).data;
  const differing = [...mask.keys()].filter((i) => mask[i] !== expected[i]);
  expect(differing.filter((i) => Math.abs(reference[i]! - run.sam.mask_threshold) >= 1e-4)).toEqual([]);
  expect(differing.length).toBeLessThanOrEqual(Math.ceil(mask.length * 1e-4));
  // evaluate() in the worker: streamed per case, and cancel() stops an endless source.
  const scored = run.evaluation!;
  expect(scored.all).toMatchObject({ cases: scored.streamed, meanDice: 1, meanIou: 1, errors: [] });
  expect(scored.all.cancelled).toBe(false);
  expect(scored.streamed).toBeGreaterThan(0);
  expect(scored.cancelled).toMatchObject({ cases: 1, cancelled: true });
});

test('WebGPU and WASM masks agree (IoU >= 0.99), after analyze and after redecode', () => {
  const { webgpu, wasm } = runs;
  if (webgpu === undefined || wasm === undefined) throw new Error('both backends must have run');
  expect(webgpu.fixture.id).toBe(wasm.fixture.id);
  expect(iou(bytes(webgpu.analysis.mask), bytes(wasm.analysis.mask))).toBeGreaterThanOrEqual(0.99);
  expect(iou(bytes(webgpu.redecode.mask), bytes(wasm.redecode.mask))).toBeGreaterThanOrEqual(0.99);
  expect(Math.abs(webgpu.analysis.iou - wasm.analysis.iou)).toBeLessThan(1e-2);
});
