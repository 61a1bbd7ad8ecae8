/**
 * The clinic-ready studio, built and served under a subpath (/locus/), in Chromium on WASM:
 * - offline: after a first visit the studio reloads without a network (the service worker's
 *   precache), cross-origin isolated (WASM threads), with the CT bundle used last reopened from
 *   the worker's content-hash cache; a project-made CT DICOM in HU segments with the bundle's lung
 *   window (the same mask as the 8-bit slice the pipeline renders from it), and the exported DICOM
 *   SEG reads back to the exported mask and, as the ground truth, scores Dice 1;
 * - the patient's name and ID show only when asked and leave in no export;
 * - a DICOM of another modality asks before running and offers the matching bundle; labels follow
 *   the bundle; a multi-frame image picks its frame; window presets and readouts are in HU;
 * - a new version prompts before it takes over;
 * - a bundle on another origin loads only after the user allows it, through the service worker,
 *   and only when every sha256 matches;
 * - with the `_headers` rules sent by the host, page and worker run under the header CSP.
 * Throughout, no Content-Security-Policy violation (page, worker, service worker), no console
 * error, and no request leaves the studio's origin unless a test asked for one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { encode as encodePng } from 'fast-png';
import { decodeImage, maskFor, readDicomImage, readSegmentation, renderExpected, type Manifest } from '../src/pipeline/index';
import { PATIENT } from '../tests/fixtures/dicom/make-dicom';
import { SAMPLE_REPORT } from '../tests/fixtures/dicom/phantom';
import { CT_TITLE, DEMO_TITLE, SAMPLES, save, settled, startsWithTitle } from './studio-page';

const REPO = path.resolve(import.meta.dirname, '..');
const CT_FILE = path.join(SAMPLES, 'ct-phantom.dcm');
const ctManifest = JSON.parse(readFileSync(path.join(REPO, 'models/medseg-ct/manifest.json'), 'utf8')) as Manifest;

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Console errors and policy violations of the page, its workers and the service worker. */
  problems: string[];
  /** Requests (page, worker, service worker) to another origin than the studio's. */
  outside: { url: string; fromServiceWorker: boolean }[];
}

/** A fresh browser context on the studio, everything it logs and requests watched. */
async function openWatched(browser: Browser, baseURL: string, relative = './'): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const studio = new URL(baseURL);
  const watched: Watched = { context, page: await context.newPage(), problems: [], outside: [] };
  const problem = (where: string) => (m: { type(): string; text(): string }) => {
    if (m.type() === 'error') watched.problems.push(`${where}: ${m.text()}`);
  };
  context.on('request', (r) => {
    if (new URL(r.url()).origin !== studio.origin) watched.outside.push({ url: r.url(), fromServiceWorker: r.serviceWorker() !== null });
  });
  context.on('serviceworker', (sw) => sw.on('console', problem('service worker')));
  watched.page.on('worker', (w) => w.on('console', problem('worker')));
  watched.page.on('console', problem('page'));
  watched.page.on('pageerror', (e) => watched.problems.push(`page error: ${e.message}`));
  // Violations before the app's own listener exists (the page's parse) are caught here.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation (init): ${e.violatedDirective} ${e.blockedURI}`)),
  );
  await watched.page.goto(new URL(relative, baseURL).href);
  return watched;
}

/** The studio with its demo bundle loaded and its service worker in control (after the first install). */
async function openControlled(browser: Browser, baseURL: string): Promise<Watched> {
  const watched = await openWatched(browser, baseURL);
  await expect(bundleTitle(watched.page, DEMO_TITLE)).toBeVisible({ timeout: 180_000 });
  await watched.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
  return watched;
}

function expectClean(watched: Watched, allowOutside: (url: string) => boolean = () => false): void {
  expect(watched.problems, 'console errors and policy violations').toEqual([]);
  expect(watched.outside.filter((r) => !allowOutside(r.url)), 'requests leaving the origin').toEqual([]);
}

const status = (page: Page) => page.getByRole('status');
const bundleTitle = (page: Page, title: string) => page.getByRole('region', { name: 'Model bundle' }).getByText(title, { exact: true });

async function loadShipped(page: Page, title: string): Promise<void> {
  await page.locator('summary', { hasText: 'Load another bundle' }).click();
  await page.getByRole('button', { name: startsWithTitle(title) }).click();
  await expect(bundleTitle(page, title)).toBeVisible({ timeout: 180_000 });
}

/** The PNG the pipeline renders from the CT DICOM with the CT bundle's expected input (its lung window on HU). */
async function lungWindowPng(): Promise<Buffer> {
  const frame = await readDicomImage(new Uint8Array(readFileSync(CT_FILE))).frame(0);
  const rendered = renderExpected(frame.image, ctManifest.expected_input);
  return Buffer.from(encodePng({ width: rendered.width, height: rendered.height, data: rendered.data as Uint8Array, channels: 1, depth: 8 }));
}

test.describe.configure({ mode: 'serial' });

test('offline under a subpath: reload, a CT DICOM in HU segments with the lung window, the DICOM SEG reads back', async ({ browser, baseURL }) => {
  const testInfo = test.info();
  const watched = await openWatched(browser, baseURL!);
  const { page, context } = watched;
  await expect(bundleTitle(page, DEMO_TITLE)).toBeVisible({ timeout: 180_000 });
  await loadShipped(page, CT_TITLE);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
  await expect(page.getByLabel('Offline storage')).toContainText('kept offline');

  await context.setOffline(true);
  await page.reload();
  await expect(bundleTitle(page, CT_TITLE)).toBeVisible({ timeout: 180_000 });
  await expect(page.getByLabel('Offline storage')).toContainText('opened offline from the kept copy (all 4 files verified by sha256)');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(4, cores);
  await expect(status(page)).toContainText(`${threads} WASM thread${threads === 1 ? '' : 's'}`);

  await page.getByLabel('Image', { exact: true }).setInputFiles(CT_FILE);
  const dicom = page.getByLabel('DICOM', { exact: true });
  await expect(dicom).toContainText('CT (CT Image)');
  await expect(dicom).toContainText('values in HU');
  await expect(dicom).toContainText('0.700 × 0.700 mm');
  await expect(page.getByText('CT slice', { exact: true })).toBeVisible();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.getByLabel('Report', { exact: true }).fill(SAMPLE_REPORT);
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  const fromDicom = await settled(page, 180_000);
  const maskFile = await save(page, testInfo, 'Export mask');
  const record = JSON.parse((await save(page, testInfo, 'Export JSON')).bytes.toString('utf8'));
  expect(record.input).toMatchObject({ kind: 'dicom', modality: 'CT', unit: 'HU', renderedAs: ctManifest.expected_input });
  const seg = await save(page, testInfo, 'Export DICOM SEG');
  expect(seg.name).toBe('ct-phantom-seg.dcm');

  // The SEG reads back to the exported mask, made on the CT's instance, and carries no patient.
  const mask = decodeImage(new Uint8Array(maskFile.bytes));
  const source = readDicomImage(new Uint8Array(readFileSync(CT_FILE))).reference;
  const read = maskFor(readSegmentation(new Uint8Array(seg.bytes)), { sopInstanceUid: source.sopInstanceUid, frameIndex: 0, frames: 1 });
  expect(read.some((v) => v === 1)).toBe(true);
  expect(Buffer.from(read.map((v) => v * 255)).equals(Buffer.from(mask.data))).toBe(true);
  for (const exported of [seg.bytes.toString('latin1'), JSON.stringify(record)]) {
    expect(exported).not.toContain('Testpatient');
    expect(exported).not.toContain(PATIENT.id);
  }

  // As the ground truth of its own image the SEG scores Dice 1.
  await page.getByLabel('Ground truth mask', { exact: true }).setInputFiles({ name: seg.name, mimeType: 'application/dicom', buffer: seg.bytes });
  await expect(page.getByText(/Dice vs ground truth/)).toBeVisible();
  await expect(page.getByRole('cell', { name: '1.000' }).first()).toBeVisible();

  // The lung window from HU: the same mask as the 8-bit slice the pipeline renders with it.
  await page.getByLabel('Image', { exact: true }).setInputFiles({ name: 'ct-lung-window.png', mimeType: 'image/png', buffer: await lungWindowPng() });
  // Segment only once the PNG is the image on screen (the DICOM's result gone): a click while it
  // is still opening analyses the DICOM, whose result is then discarded as another image's.
  await expect(status(page)).toContainText('Ready: press Segment');
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await expect(status(page)).toContainText('Done', { timeout: 180_000 });
  expect(await settled(page)).toBe(fromDicom);
  const fromPng = decodeImage(new Uint8Array((await save(page, testInfo, 'Export mask')).bytes));
  expect(Buffer.from(fromPng.data).equals(Buffer.from(mask.data))).toBe(true);
  await context.setOffline(false);
  expectClean(watched);
  await context.close();
});

test('the patient is shown only when asked; labels, window presets and readouts follow the image and bundle', async ({ browser, baseURL }) => {
  const watched = await openWatched(browser, baseURL!);
  const { page } = watched;
  await expect(bundleTitle(page, DEMO_TITLE)).toBeVisible({ timeout: 180_000 });
  await expect(page.getByText('Chest X-ray', { exact: true })).toBeVisible();
  // A CT slice on the chest X-ray bundle asks first, and offers the CT bundle.
  await page.getByLabel('Image', { exact: true }).setInputFiles(CT_FILE);
  const prompt = page.getByRole('alertdialog');
  await expect(prompt).toContainText(`This CT image does not suit ${DEMO_TITLE}`);
  await expect(prompt).toContainText('the image is CT, the bundle expects CR or DX');
  await page.getByLabel('Report', { exact: true }).fill(SAMPLE_REPORT);
  await expect(page.getByRole('button', { name: 'Segment', exact: true })).toBeDisabled();
  await prompt.getByRole('button', { name: `Load ${CT_TITLE}` }).click();
  await expect(bundleTitle(page, CT_TITLE)).toBeVisible({ timeout: 180_000 });
  await expect(prompt).toHaveCount(0);
  await expect(page.getByRole('img', { name: /^CT viewer: 512 × 512 image/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Segment', exact: true })).toBeEnabled();

  // Never on screen until asked, gone with the next image.
  const body = page.locator('body');
  await expect(body).not.toContainText('Testpatient');
  await expect(body).not.toContainText(PATIENT.id);
  await page.getByRole('button', { name: 'Show patient name and ID' }).click();
  await expect(page.getByLabel('Patient details')).toHaveText(`Patient: Testpatient Jane · ID ${PATIENT.id} Hide`);
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(body).not.toContainText(PATIENT.id);

  // Window presets in HU; the readout says HU.
  const readout = page.getByLabel('Window and level');
  await expect(readout).toHaveText('W 1500  L -600 HU');
  await page.getByLabel('Window preset').selectOption('mediastinum');
  await expect(readout).toHaveText('W 350  L 50 HU');
  await page.getByLabel('Window preset').selectOption('model');
  await expect(readout).toHaveText('W 1300  L -400 HU');

  // A transfer syntax without a maintained codec is refused by name; the case on screen stays.
  await page.getByLabel('Image', { exact: true }).setInputFiles(path.join(REPO, 'tests/fixtures/dicom/refused-rle.dcm'));
  await expect(page.getByRole('alert')).toContainText(
    'refused-rle.dcm: cannot read the image: the pixels are encoded as RLE Lossless (transfer syntax 1.2.840.10008.1.2.5)',
  );
  await expect(page.getByRole('img', { name: /^CT viewer: 512 × 512 image/ })).toBeVisible();

  // A multi-frame Enhanced CT (JPEG-LS): the frame picker opens frame 3, and its SEG references frame 3.
  await page.getByLabel('Image', { exact: true }).setInputFiles(path.join(REPO, 'tests/fixtures/dicom/ct-enhanced-3.dcm'));
  await expect(page.getByText('the DICOM image has 3 frames; frame 1 is used')).toBeVisible();
  await page.getByLabel('Frame', { exact: true }).fill('3');
  await page.getByLabel('Frame', { exact: true }).press('Enter');
  await expect(page.getByText('the DICOM image has 3 frames; frame 3 is used')).toBeVisible();
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await settled(page, 180_000);
  const seg = readSegmentation(new Uint8Array((await save(page, test.info(), 'Export DICOM SEG')).bytes));
  expect(seg.frames.map((f) => f.frameNumber)).toEqual([3]);
  await expect(body).not.toContainText('Testpatient');
  expectClean(watched);
  await watched.context.close();
});

test('a new version waits for the user: the update prompt reloads into it', async ({ browser, baseURL }) => {
  const watched = await openControlled(browser, baseURL!);
  const { page } = watched;
  await expect(page.getByText('A new version of Locus is ready.')).toHaveCount(0);
  const response = await page.request.post(new URL('/__test/next-version', baseURL).href);
  expect(response.ok()).toBe(true);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await expect(page.getByText('A new version of Locus is ready.')).toBeVisible({ timeout: 120_000 });
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload to update' }).click()]);
  await expect(bundleTitle(page, DEMO_TITLE)).toBeVisible({ timeout: 180_000 });
  await expect(page.getByText('A new version of Locus is ready.')).toHaveCount(0);
  expectClean(watched);
  await watched.context.close();
});

test('a bundle on another origin loads only when allowed, through the service worker, and only if every sha256 matches', async ({ browser, baseURL }) => {
  const watched = await openControlled(browser, baseURL!);
  const { page } = watched;
  const other = new URL(baseURL!);
  other.hostname = 'localhost';
  const remote = (kind: string) => new URL(`/${kind}/medseg-ct/`, other).href;
  await page.locator('summary', { hasText: 'Load another bundle' }).click();
  const url = page.getByLabel('Bundle URL', { exact: true });
  // Cancelled: nothing is fetched.
  await url.fill(remote('remote-tampered'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByRole('alertdialog')).toContainText(`Load a bundle from ${other.origin}?`);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect(watched.outside).toEqual([]);
  // A changed graph is refused; the working bundle stays.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('button', { name: `Allow ${other.host} and load` }).click();
  await expect(page.getByRole('alert')).toContainText('sam_decoder.onnx: sha256');
  await expect(page.getByRole('alert')).toContainText(`(${DEMO_TITLE} is still in use.)`);
  // The genuine copy loads.
  await url.fill(remote('remote'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('button', { name: `Allow ${other.host} and load` }).click();
  await expect(bundleTitle(page, CT_TITLE)).toBeVisible({ timeout: 180_000 });
  expect(watched.outside.length).toBeGreaterThan(0);
  expect(watched.outside.filter((r) => !r.fromServiceWorker || new URL(r.url).origin !== other.origin), 'only the service worker, only the allowed origin').toEqual([]);
  expectClean(watched, (u) => new URL(u).origin === other.origin);
  await watched.context.close();
});

test('under the header CSP of _headers (a host that sends them), page and worker segment without a violation', async ({ browser, baseURL }) => {
  const watched = await openWatched(browser, baseURL!, '../locus-headers/');
  const { page } = watched;
  await expect(bundleTitle(page, DEMO_TITLE)).toBeVisible({ timeout: 180_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('button', { name: 'Sample: CR chest, MONOCHROME1 (DICOM)' }).click();
  await settled(page, 180_000);
  await expect(page.getByLabel('DICOM', { exact: true })).toContainText('at the detector');
  await expect(page.getByLabel('DICOM', { exact: true })).toContainText('MONOCHROME1');
  expectClean(watched);
  await watched.context.close();
});
