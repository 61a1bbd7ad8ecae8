/**
 * The built studio (dist/, served under /locus/) in Chromium with WebGPU: a sample segments in one
 * click on WebGPU with no fallback; the prompt lab's toggles, sliders, points and undo re-run the
 * decoder; an upload flow with a 16-bit image, bad inputs and a ground truth; exports. Every request
 * that does not go to the local server fails the run. Screenshots at 1280x800 and 1920x1080 are
 * attached to the report and kept in test-results.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Locator, type Page, type TestInfo } from '@playwright/test';
import { decodeImage } from '../src/pipeline/index';
import type { Sample } from '../src/ui/hooks/samples';

const SAMPLES = path.resolve(import.meta.dirname, '../public/samples');
const blocked: string[] = [];
const consoleLines: string[] = [];
let page: Page;

const samples = JSON.parse(readFileSync(path.join(SAMPLES, 'index.json'), 'utf8')) as Sample[];
const sample = (id: string): Sample => samples.find((s) => s.id === id)!;

async function openStudio(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const opened = await context.newPage();
  opened.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  opened.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await opened.goto('./');
  return opened;
}

// Unnamed on purpose: the page must hold exactly one status region (strict mode fails otherwise).
const status = () => page.getByRole('status');
const area = () => page.getByTestId('mask-area');

/** Waits until the result on screen matches the settings, and returns its mask area text. */
async function settled(): Promise<string> {
  await expect(status()).toContainText('Done', { timeout: 60_000 });
  return (await area().textContent()) ?? '';
}

async function screenshot(testInfo: TestInfo, name: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.locator('.column').evaluateAll((columns) => columns.forEach((c) => c.scrollTo(0, 0)));
  await page.waitForTimeout(300);
  const file = testInfo.outputPath(`${name}-${width}x${height}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(`${name} ${width}x${height}`, { path: file, contentType: 'image/png' });
  await noOverlaps(page);
}

/** The three columns and the top bar must not overlap one another. */
async function noOverlaps(p: Page): Promise<void> {
  const boxes = await Promise.all(
    ['.topbar', '.column.left', '.centre', '.column.right'].map(async (s) => (await p.locator(s).boundingBox())!),
  );
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      expect(overlapX > 1 && overlapY > 1, `regions ${i} and ${j} overlap`).toBe(false);
    }
  }
}

async function checkbox(name: string): Promise<Locator> {
  return page.getByRole('checkbox', { name, exact: true });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  page = await openStudio(browser);
});

test.afterAll(async () => {
  await test.info().attach('console', { body: consoleLines.join('\n'), contentType: 'text/plain' });
  await page.context().close();
});

test.afterEach(() => {
  expect(blocked, 'requests outside the local server').toEqual([]);
});

test('a sample segments in one click on WebGPU, with no fallback', async () => {
  const testInfo = test.info();
  await expect(page.getByRole('heading', { name: 'Locus studio' })).toBeVisible();
  await expect(page.getByText('Locus demo (synthetic chest X-ray)', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(status()).toContainText('Ready: open an image or pick a sample');
  await screenshot(testInfo, 'empty', 1280, 800);
  const bilateral = sample('bilateral-multi');
  await page.getByRole('button', { name: `Sample: ${bilateral.title}` }).click();
  await settled();
  await expect(status()).toContainText('WebGPU');
  await expect(status()).not.toContainText('WASM');
  await expect(status()).not.toContainText('Fell back');
  await expect(page.getByLabel('Report', { exact: true })).toHaveValue(bilateral.report);
  await expect(page.getByText(/Dice vs ground truth/)).toBeVisible();
  await expect(page.getByRole('cell', { name: /^0\.\d{3}$/ }).first()).toBeVisible();
  await expect(page.getByText('Embedding kept in a GPU buffer')).toBeVisible();
  const location = page.getByRole('region', { name: 'Location' });
  await expect(location.getByRole('table')).toBeVisible();
  await expect(location.getByText('Stage 4').first()).toBeVisible();
  await screenshot(testInfo, 'sample', 1280, 800);
  await screenshot(testInfo, 'sample', 1920, 1080);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('every control carries the accessible name screen readers and test clients rely on', async () => {
  for (const name of ['X-ray image', 'Ground truth mask']) await expect(page.getByLabel(name, { exact: true })).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Report', exact: true })).toBeVisible();
  const checkboxes = ['Coarse mask', 'Points', 'Text prompt', 'Show coarse mask', 'Show points', 'Show final mask', 'Show ground truth'];
  for (const name of checkboxes) await expect(page.getByRole('checkbox', { name, exact: true })).toHaveCount(1);
  for (const name of ['Top-k', 'Threshold']) await expect(page.getByRole('slider', { name, exact: true })).toHaveCount(1);
  for (const name of ['Segment', 'Undo', 'Redo', 'Export mask', 'Export JSON']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(1);
  }
  await expect(page.getByText(/Dice/).first()).toBeVisible();
  // An overlay toggle changes what the viewer shows (its description lists the visible overlays).
  const viewer = page.getByRole('img', { name: /^X-ray viewer:/ });
  const shown = (await viewer.getAttribute('aria-label'))!;
  await page.getByRole('checkbox', { name: 'Show final mask', exact: true }).uncheck();
  await expect(viewer).not.toHaveAttribute('aria-label', shown);
  await page.getByRole('checkbox', { name: 'Show final mask', exact: true }).check();
  await expect(viewer).toHaveAttribute('aria-label', shown);
});

test('each prompt toggle and slider re-runs the decoder and changes the mask', async () => {
  await page.getByRole('slider', { name: 'Threshold', exact: true }).fill('0.5');
  await page.getByRole('slider', { name: 'Top-k', exact: true }).fill('8');
  const base = await settled();
  for (const name of ['Coarse mask', 'Points', 'Text prompt']) {
    await (await checkbox(name)).uncheck();
    await expect(status()).not.toContainText('Done');
    expect(await settled(), `switching ${name} off`).not.toBe(base);
    await (await checkbox(name)).check();
    expect(await settled(), `switching ${name} back on`).toBe(base);
  }
  await expect(page.getByText(/Decoder time/)).toBeVisible();
});

test('a point added on the image re-runs the decoder, and Undo takes it back', async () => {
  const base = await settled();
  const canvas = page.locator('canvas.viewer-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.55);
  await expect(page.locator('ol.points li')).toHaveCount(1);
  expect(await settled()).not.toBe(base);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.locator('ol.points li')).toHaveCount(0);
  expect(await settled()).toBe(base);
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect(page.locator('ol.points li')).toHaveCount(1);
  await settled();
  await page.getByRole('button', { name: 'Reset to model points' }).click();
  await expect(page.locator('ol.points li')).toHaveCount(0);
  await expect(page.getByRole('slider', { name: 'Threshold', exact: true })).toHaveValue('0.9');
  await settled();
});

test('upload flow: a 16-bit image, bad inputs keep the case, the ground truth adds Dice', async () => {
  const sixteen = sample('sixteen-bit');
  await page.getByLabel('X-ray image', { exact: true }).setInputFiles(path.join(SAMPLES, sixteen.image));
  await expect(page.getByText(`${sixteen.image} · ${sixteen.width}×${sixteen.height}`)).toBeVisible();
  await expect(page.getByText(/Dice vs ground truth/)).toHaveCount(0);
  await page.getByLabel('Report', { exact: true }).fill(sixteen.report);
  // Not an image: a clear message; image and report stay.
  await page.getByLabel('X-ray image', { exact: true }).setInputFiles(path.join(SAMPLES, 'index.json'));
  await expect(page.getByRole('alert')).toContainText('index.json: cannot read the image: not a PNG or JPEG');
  await expect(page.getByText(`${sixteen.image} · ${sixteen.width}×${sixteen.height}`)).toBeVisible();
  await expect(page.getByLabel('Report', { exact: true })).toHaveValue(sixteen.report);
  // A report the grammar cannot read still segments; the location panel says why.
  await page.getByLabel('Report', { exact: true }).fill('Lungs look odd today.');
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await settled();
  // The analysis takes seconds on SwiftShader: wait for its result rather than the previous "Done".
  await expect(page.getByRole('region', { name: 'Location' })).toContainText('The report could not be read:', { timeout: 60_000 });
  await page.getByLabel('Report', { exact: true }).fill(sixteen.report);
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await settled();
  await expect(page.getByRole('region', { name: 'Location' })).not.toContainText('could not be read', { timeout: 60_000 });
  await expect(page.getByText(/Dice vs ground truth/)).toHaveCount(0);
  // A mask of another size is refused, naming both sizes.
  const other = sample('normal');
  await page.getByLabel('Ground truth mask', { exact: true }).setInputFiles(path.join(SAMPLES, other.mask));
  await expect(page.getByRole('alert')).toContainText(
    `the ground truth mask is ${other.width}x${other.height} but the image is ${sixteen.width}x${sixteen.height}`,
  );
  await page.getByLabel('Ground truth mask', { exact: true }).setInputFiles(path.join(SAMPLES, sixteen.mask));
  await expect(page.getByText(/Dice vs ground truth/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await settled();
  await screenshot(test.info(), 'upload-16-bit', 1280, 800);
});

test('exports: the mask PNG at the original size, the overlay PNG and the JSON record', async () => {
  const testInfo = test.info();
  const sixteen = sample('sixteen-bit');
  const save = async (button: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    return { name: download.suggestedFilename(), bytes: readFileSync(file) };
  };
  const mask = await save('Export mask');
  expect(mask.name).toBe('sixteen-bit-mask.png');
  const decoded = decodeImage(new Uint8Array(mask.bytes));
  expect(decoded).toMatchObject({ width: sixteen.width, height: sixteen.height, channels: 1, bitDepth: 8 });
  expect(new Set(decoded.data)).toEqual(new Set([0, 255]));
  const overlay = decodeImage(new Uint8Array((await save('Export overlay')).bytes));
  expect([overlay.width, overlay.height]).toEqual([sixteen.width, sixteen.height]);
  const record = JSON.parse((await save('Export JSON')).bytes.toString('utf8')) as Record<string, unknown>;
  expect(record).toMatchObject({
    bundle: { id: 'locus-demo-cxr' },
    report: sixteen.report,
    groundTruth: sixteen.mask,
    backend: { ep: 'webgpu' },
  });
  expect(record['metrics']).toMatchObject({ dice: expect.any(Number), iou: expect.any(Number) });
  expect(Object.keys(record['timings'] as object)).toEqual(['analysis', 'decode']);
  expect((record['parsedReport'] as { labels: number[] }).labels).toEqual([1, 1, 1, 0, 1, 0]);
});

test('an image dropped on the drop zone opens, and segments with its report', async () => {
  const left = sample('left-only');
  const base64 = readFileSync(path.join(SAMPLES, left.image)).toString('base64');
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'image/png' }));
      return transfer;
    },
    { base64, name: left.image },
  );
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText(`${left.image} · ${left.width}×${left.height}`)).toBeVisible();
  await page.getByLabel('Report', { exact: true }).fill(left.report);
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await settled();
  await expect(page.getByRole('img', { name: new RegExp(`^X-ray viewer: ${left.width} × ${left.height} image`) })).toBeVisible();
});

test('the CT bundle loads from a local folder, shows its cross-validated figures and segments', async () => {
  const summary = page.locator('summary', { hasText: 'Load another bundle' });
  await summary.click();
  await page.getByLabel('Bundle folder', { exact: true }).setInputFiles(path.resolve(import.meta.dirname, '../models/medseg-ct'));
  const bundlePanel = page.getByRole('region', { name: 'Model bundle' });
  await expect(bundlePanel.getByText('Locus CT (MedSeg COVID-19, 50 slices)', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(bundlePanel).toContainText('CT');
  await expect(bundlePanel.getByRole('table')).toContainText('cross-validation');
  await expect(page.getByText('No shipped samples for CT bundles')).toBeVisible();
  await expect(status()).toContainText('WebGPU');
  const left = sample('left-only');
  await page.getByLabel('X-ray image', { exact: true }).setInputFiles(path.join(SAMPLES, left.image));
  await page.getByLabel('Report', { exact: true }).fill(left.report);
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await settled();
  await expect(status()).not.toContainText('Fell back');
  await screenshot(test.info(), 'ct-bundle', 1280, 800);
});
