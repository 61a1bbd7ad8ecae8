/**
 * Soak: 500 decoder-only re-runs and 50 full analyses in one studio page (WASM), the heap of the
 * page and of its worker sampled through CDP after a forced GC. After a warm-up of 50 re-runs and
 * 5 analyses, the heap must stay flat: the last sample within 10% of the warm-up one, for heap
 * objects (compiled code aside: V8 keeps optimising hot functions, which is growth but no leak) and
 * for ArrayBuffer memory (masks, images, WebAssembly). The V8 total with code is reported too.
 * The figures are printed and attached to the report.
 */
import { expect, test } from '@playwright/test';
import { heapProbe, type HeapSample } from './heap';
import { openStudio, sample, status, type StudioPage } from './studio-page';

const CYCLES = 50;
const RERUNS_PER_CYCLE = 10;
const WARMUP_CYCLES = 5;
/** Thresholds the re-runs cycle through: each cycle skips the one its analysis ran at, so every change is a real re-run. */
const THETAS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

let studio: StudioPage;

test.afterAll(async () => studio?.page.context().close());

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function describe(name: string, s: HeapSample): string {
  return `${name}: snapshot objects ${mb(s.objects)}, V8 heap with code ${mb(s.used)}, ArrayBuffers ${mb(s.buffers)}`;
}

test('500 re-runs and 50 analyses leave the page and worker heaps flat (within 10% after warm-up)', async ({ browser }) => {
  test.setTimeout(1_800_000);
  studio = await openStudio(browser);
  const { page } = studio;
  const state = status(page);
  const theta = page.getByRole('slider', { name: 'Threshold', exact: true });
  await page.getByRole('button', { name: `Sample: ${sample('bilateral-multi').title}` }).click({ timeout: 180_000 });
  await expect(state).toHaveAttribute('data-done', 'true', { timeout: 180_000 });
  const probe = await heapProbe(page);
  const samples: { cycle: number; page: HeapSample; worker: HeapSample }[] = [];
  const started = Date.now();
  let reruns = 0;
  let analyses = 0;
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const previous = await state.getAttribute('data-analysis');
    const analysedAt = Number(await theta.inputValue());
    await page.getByRole('button', { name: 'Segment', exact: true }).click();
    await expect(state).not.toHaveAttribute('data-analysis', previous ?? '', { timeout: 60_000 });
    await expect(state).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
    analyses++;
    for (const value of THETAS.filter((v) => v !== analysedAt).slice(0, RERUNS_PER_CYCLE)) {
      await theta.fill(String(value));
      await expect(state).toHaveAttribute('data-theta', String(value), { timeout: 30_000 });
      await expect(state).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
      reruns++;
    }
    if (cycle === WARMUP_CYCLES || cycle % 10 === 0) samples.push({ cycle, page: await probe.page(), worker: await probe.worker() });
  }
  const seconds = (Date.now() - started) / 1000;
  const [warm, last] = [samples[0]!, samples.at(-1)!];
  const lines = [
    `${reruns} re-runs and ${analyses} analyses in ${seconds.toFixed(0)} s`,
    ...samples.map((s) => `after ${s.cycle * RERUNS_PER_CYCLE} re-runs / ${s.cycle} analyses: ${describe('page', s.page)}; ${describe('worker', s.worker)}`),
  ];
  console.log(lines.join('\n'));
  await test.info().attach('soak', { body: lines.join('\n'), contentType: 'text/plain' });
  expect(reruns).toBe(500);
  expect(analyses).toBe(50);
  for (const side of ['page', 'worker'] as const) {
    expect(last[side].objects, `${side} heap objects`).toBeLessThanOrEqual(warm[side].objects * 1.1);
    expect(last[side].buffers, `${side} ArrayBuffer memory`).toBeLessThanOrEqual(warm[side].buffers * 1.1);
  }
});
