/**
 * Scale: the 500-case synthetic test split (models/data-gen/synth-cxr/test, made by locus.synth
 * when missing) evaluated in the workbench on WASM, with an encoding cache of 32 MB that fills
 * during the first ~100 cases. After a warm-up of 150 cases the page's and the worker's heaps
 * (objects without compiled code, and ArrayBuffers; CDP, after a forced GC) must stay within 10%
 * to the end. The throughput (cases/s) and the samples are printed and attached.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { heapProbe, type HeapSample } from './heap';
import { DEMO_TITLE, openStudio, type StudioPage } from './studio-page';

const ROOT = path.resolve(import.meta.dirname, '..');
const SPLIT = path.join(ROOT, 'models/data-gen/synth-cxr/test');
const CASES = 500;
const WARM_UP = 150;
const CACHE_MIB = 32;

let studio: StudioPage;

test.afterAll(async () => studio?.page.context().close());

function ensureSplit(): void {
  if (existsSync(path.join(SPLIT, 'reports.csv'))) return;
  const made = spawnSync('/usr/bin/python3', ['-m', 'locus.synth', '--out', 'data-gen/synth-cxr/test', '--split', 'test', '--n', String(CASES)], {
    cwd: path.join(ROOT, 'models'),
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`locus.synth failed: ${made.stderr}`);
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const describe = (s: HeapSample) => `objects ${mb(s.objects)}, V8 heap with code ${mb(s.used)}, ArrayBuffers ${mb(s.buffers)}`;

test(`the ${CASES}-case synthetic split evaluates on WASM with the page and worker heaps flat after ${WARM_UP} cases`, async ({ browser }) => {
  test.setTimeout(1_800_000);
  ensureSplit();
  studio = await openStudio(browser);
  const { page } = studio;
  await expect(page.getByText(DEMO_TITLE, { exact: true })).toBeVisible({ timeout: 180_000 });
  await page.getByRole('tab', { name: 'Workbench' }).click();
  await page.getByLabel('Encoding cache (MB)').fill(String(CACHE_MIB));
  await page.getByLabel('Dataset folder', { exact: true }).setInputFiles(SPLIT);
  await expect(page.getByText(new RegExp(`test: ${CASES} cases, reports from test/reports\\.csv`))).toBeVisible({ timeout: 120_000 });
  const probe = await heapProbe(page);
  const progress = page.getByRole('progressbar', { name: 'Dataset evaluation' });
  await page.getByRole('button', { name: 'Evaluate dataset' }).click();
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 900_000, intervals: [1000] }).toBeGreaterThanOrEqual(WARM_UP);
  const warm = { page: await probe.page(), worker: await probe.worker() };
  const summary = page.getByTestId('workbench-summary');
  await expect(summary).toContainText(`${CASES} of ${CASES} cases scored`, { timeout: 1_500_000 });
  const end = { page: await probe.page(), worker: await probe.worker() };
  const line = (await page.locator('.batch-progress .hint').first().textContent()) ?? '';
  const lines = [
    `WASM, ${CASES} cases: ${line}`,
    (await summary.textContent()) ?? '',
    `after ${WARM_UP} cases: page ${describe(warm.page)}; worker ${describe(warm.worker)}`,
    `after ${CASES} cases: page ${describe(end.page)}; worker ${describe(end.worker)}`,
  ];
  console.log(lines.join('\n'));
  await test.info().attach('scale', { body: lines.join('\n'), contentType: 'text/plain' });
  expect(line).toMatch(new RegExp(`${CASES} / ${CASES} cases · [\\d.]+ cases/s`));
  expect(line).toMatch(new RegExp(`cache: \\d+ cases, [\\d.]+ MB of ${CACHE_MIB} MB`));
  for (const side of ['page', 'worker'] as const) {
    expect(end[side].objects, `${side} heap objects`).toBeLessThanOrEqual(warm[side].objects * 1.1);
    expect(end[side].buffers, `${side} ArrayBuffer memory`).toBeLessThanOrEqual(warm[side].buffers * 1.1);
  }
  expect(studio.blocked).toEqual([]);
});
