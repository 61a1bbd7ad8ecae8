/**
 * Interactive latency of the built studio: from a prompt change (the Threshold slider) to the
 * frame that shows the new mask, in Chromium on WASM with a shipped bundle (the CT bundle by
 * default), and where the time goes. The studio leaves User Timing marks along the path
 * (src/ui/latency.ts); this script reads them after each change and prints median and 90th
 * percentile of every part:
 *   wait       input -> the re-run is sent (scheduling, an earlier re-run still running)
 *   messaging  request -> response, less the worker's own stages (postMessage both ways, queueing)
 *   points / decoder / postprocess   the worker's stages
 *   render     response -> mask rasters start (React renders the panels)
 *   rasters    the mask fill and outline rebuilt
 *   commit     rasters end -> canvas paint starts
 *   paint      the canvas repainted
 *   frame      paint end -> the frame is presented
 *
 * The budget (--max-ms) applies to the bundle-independent parts: input-to-paint less the decoder
 * graph's own time, which belongs to the bundle (8-9 ms for the CT bundle on an idle 2-core machine).
 *
 * usage: tsx scripts/latency.ts [--bundle medseg-ct] [--changes 40] [--max-ms 50] [--side 512] [--image FILE]
 * Needs `npm run build` first. Exits 1 when the median input-to-paint without the decoder exceeds --max-ms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { serveDist } from './lib/serve-dist';
import { shippedBundles, startsWithTitle } from './lib/shipped';
import { encode as encodePng } from 'fast-png';
import { decodeImage, toGrayImage } from '../src/pipeline/index';

const { values } = parseArgs({
  options: {
    bundle: { type: 'string', default: 'medseg-ct' },
    changes: { type: 'string', default: '40' },
    'max-ms': { type: 'string' },
    side: { type: 'string', default: '512' },
    image: { type: 'string' },
    port: { type: 'string', default: process.env['LOCUS_LATENCY_PORT'] ?? '4319' },
  },
});
const ROOT = path.resolve(import.meta.dirname, '..');
const PARTS = ['wait', 'messaging', 'points', 'decoder', 'postprocess', 'render', 'rasters', 'commit', 'paint', 'frame'] as const;
type Part = (typeof PARTS)[number];

/** The bundle's first fixture image, enlarged by pixel repetition to side x side (a CT slice's size). */
function slice(bundle: string, side: number): Buffer {
  const index = JSON.parse(readFileSync(path.join(ROOT, 'models', bundle, 'fixtures/index.json'), 'utf8')) as { cases: { image: string }[] };
  const gray = toGrayImage(decodeImage(readFileSync(path.join(ROOT, 'models', bundle, index.cases[0]!.image))));
  const data = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = gray.data[Math.floor((y * gray.height) / side) * gray.width + Math.floor((x * gray.width) / side)]!;
      data[y * side + x] = gray.maxValue > 255 ? Math.round((255 * v) / gray.maxValue) : v;
    }
  }
  return Buffer.from(encodePng({ width: side, height: side, data, channels: 1, depth: 8 }));
}

interface Entry {
  name: string;
  startTime: number;
  duration: number;
  detail: { timings?: Record<string, number> } | null;
}

/** One change's parts from the marks it left (null when a mark is missing). */
function breakdown(entries: Entry[]): Record<Part | 'total', number> | null {
  const first = (name: string, after = 0) => entries.find((e) => e.name === name && e.startTime >= after);
  const input = first('locus:input');
  const request = input && first('locus:request', input.startTime);
  const response = request && first('locus:response', request.startTime);
  const rasters = response && first('locus:rasters', response.startTime);
  const paint = rasters && first('locus:paint', rasters.startTime + rasters.duration);
  const painted = paint && first('locus:painted', paint.startTime);
  if (!input || !request || !response || !rasters || !paint || !painted) return null;
  const stages = response.detail?.timings ?? {};
  const worker = (stages['points'] ?? 0) + (stages['decoder'] ?? 0) + (stages['postprocess'] ?? 0);
  return {
    wait: request.startTime - input.startTime,
    messaging: response.startTime - request.startTime - worker,
    points: stages['points'] ?? 0,
    decoder: stages['decoder'] ?? 0,
    postprocess: stages['postprocess'] ?? 0,
    render: rasters.startTime - response.startTime,
    rasters: rasters.duration,
    commit: paint.startTime - (rasters.startTime + rasters.duration),
    paint: paint.duration,
    frame: painted.startTime - (paint.startTime + paint.duration),
    total: painted.startTime - input.startTime,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function main(): Promise<number> {
  const stop = await serveDist(values.port!);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${values.port}/locus/`);
    const status = page.getByRole('status');
    await page.locator('summary', { hasText: 'Load another bundle' }).click();
    const shipped = shippedBundles(ROOT);
    const bundle = shipped.find((b) => b.name === values.bundle);
    if (bundle === undefined) throw new Error(`no shipped bundle '${values.bundle}' in dist/bundles/index.json`);
    await page.getByText(shipped[0]!.title, { exact: true }).waitFor({ timeout: 180_000 });
    if (bundle.name !== shipped[0]!.name) await page.getByRole('button', { name: startsWithTitle(bundle.title) }).click();
    await page.getByText(bundle.title, { exact: true }).first().waitFor({ timeout: 180_000 });
    const image = values.image ? readFileSync(values.image) : slice(bundle.name, Number(values.side));
    await page.getByLabel('Image', { exact: true }).setInputFiles({ name: 'slice.png', mimeType: 'image/png', buffer: image });
    await page.getByLabel('Report', { exact: true }).fill('Bilateral pulmonary infection, two infected areas, lower left lung and lower right lung.');
    await page.getByRole('button', { name: 'Segment', exact: true }).click();
    await status.and(page.locator('[data-done="true"]')).waitFor({ timeout: 120_000 });
    const slider = page.getByRole('slider', { name: 'Threshold', exact: true });
    const rows: Record<Part | 'total', number>[] = [];
    const changes = Number(values.changes);
    for (let i = 0; i < changes + 3; i++) {
      const theta = (0.3 + (i % 59) * 0.01).toFixed(2);
      await page.evaluate(() => {
        performance.clearMarks();
        performance.clearMeasures();
      });
      await slider.fill(theta);
      await page.locator(`[data-theta="${Number(theta)}"][data-done="true"]`).waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => performance.getEntriesByName('locus:painted').length > 0, null, { timeout: 10_000 });
      const entries = (await page.evaluate(() =>
        performance.getEntries().map((e) => ({ name: e.name, startTime: e.startTime, duration: e.duration, detail: (e as PerformanceMark).detail ?? null })),
      )) as Entry[];
      const row = breakdown(entries);
      if (row !== null && i >= 3) rows.push(row);
    }
    const line = (name: string, pick: (r: Record<Part | 'total', number>) => number) =>
      `${name.padEnd(12)} ${quantile(rows.map(pick), 0.5).toFixed(1).padStart(7)} ${quantile(rows.map(pick), 0.9).toFixed(1).padStart(7)}`;
    console.log(`input-to-paint of ${rows.length} Threshold changes, ${bundle.title}, WASM, image ${image.length} bytes`);
    console.log(`${'part (ms)'.padEnd(12)} ${'median'.padStart(7)} ${'p90'.padStart(7)}`);
    for (const part of PARTS) console.log(line(part, (r) => r[part]));
    console.log(line('total', (r) => r.total));
    console.log(line('no decoder', (r) => r.total - r.decoder));
    const median = quantile(rows.map((r) => r.total - r.decoder), 0.5);
    const budget = values['max-ms'] === undefined ? null : Number(values['max-ms']);
    if (rows.length < changes / 2) {
      console.error(`latency: only ${rows.length} of ${changes} changes left every mark`);
      return 1;
    }
    if (budget !== null && !(median <= budget)) {
      console.error(`latency: median input-to-paint without the decoder ${median.toFixed(1)} ms is over the ${budget} ms budget`);
      return 1;
    }
    return 0;
  } finally {
    await browser.close();
    stop();
  }
}

process.exitCode = await main();
