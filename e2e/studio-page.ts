/**
 * One studio page shared by the tests of a spec file (the bundle loads once): opening it with every
 * request outside the local server blocked, the status and result readers, screenshots with the
 * layout check, and files made on the fly (a mirrored copy of an image has its size).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import { encode as encodePng } from 'fast-png';
import { decodeImage } from '../src/pipeline/index';
import type { Sample } from '../src/ui/hooks/samples';

export const SAMPLES = path.resolve(import.meta.dirname, '../public/samples');

/** The shipped bundles' titles, as their manifests give them (the studio shows them verbatim). */
const shippedTitle = (bundle: string): string =>
  (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../models', bundle, 'manifest.json'), 'utf8')) as { title: string }).title;
export const DEMO_TITLE = shippedTitle('demo-cxr');
export const CT_TITLE = shippedTitle('medseg-ct');
/** A pattern matching text that starts with the title (a button's name: the title, then its details). */
export const startsWithTitle = (title: string): RegExp => new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

const samples = JSON.parse(readFileSync(path.join(SAMPLES, 'index.json'), 'utf8')) as Sample[];
export const sample = (id: string): Sample => samples.find((s) => s.id === id)!;

export interface StudioPage {
  page: Page;
  /** Requests that tried to leave the local server (must stay empty). */
  blocked: string[];
  /** Console lines and page errors, for the report. */
  console: string[];
}

export interface StudioOptions {
  /** A Content-Security-Policy the page's document is served with (enforced). */
  csp?: string;
  /** A policy the worker's script is served with (enforced; `watchViolations` collects its violations). */
  workerCsp?: string;
}

/** The studio in a fresh context, every request outside the local server blocked. */
export async function openStudio(browser: Browser, options: StudioOptions = {}): Promise<StudioPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const opened: StudioPage = { page: await context.newPage(), blocked: [], console: [] };
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      opened.blocked.push(url.href);
      return route.abort('blockedbyclient');
    }
    const policy: Record<string, string> | null =
      request.resourceType() === 'document' && options.csp !== undefined
        ? { 'content-security-policy': options.csp }
        : /\/assets\/worker-[^/]*\.js$/.test(url.pathname) && options.workerCsp !== undefined
          ? { 'content-security-policy': options.workerCsp }
          : null;
    if (policy === null) return route.continue();
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), ...policy } });
  });
  if (options.csp !== undefined) {
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { cspSeen: string[] }).cspSeen = []);
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`page: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
  }
  opened.page.on('console', (m) => opened.console.push(`${m.type()}: ${m.text()} (${m.location().url})`));
  opened.page.on('pageerror', (e) => opened.console.push(`pageerror: ${e.message}`));
  await opened.page.goto('./');
  return opened;
}

/** The page's one status region (strict mode fails if there were two). */
export const status = (page: Page) => page.getByRole('status');
export const area = (page: Page) => page.getByTestId('mask-area');

/** Waits until the result on screen matches the case and settings, and returns its mask area text. */
export async function settled(page: Page, timeout = 120_000): Promise<string> {
  await expect(status(page)).toContainText('Done', { timeout });
  return (await area(page).textContent()) ?? '';
}

/** The three columns and the top bar must not overlap one another. */
export async function noOverlaps(page: Page): Promise<void> {
  const boxes = await Promise.all(
    ['.topbar', '.column.left', '.centre', '.column.right'].map(async (s) => (await page.locator(s).boundingBox())!),
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

export async function screenshot(page: Page, testInfo: TestInfo, name: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.locator('.column').evaluateAll((columns) => columns.forEach((c) => c.scrollTo(0, 0)));
  await page.waitForTimeout(300);
  const file = testInfo.outputPath(`${name}-${width}x${height}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(`${name} ${width}x${height}`, { path: file, contentType: 'image/png' });
  await noOverlaps(page);
}

/** A left-right mirrored copy of an image as a PNG file: another picture of exactly the same size. */
export function mirroredPng(file: string, name: string): { name: string; mimeType: string; buffer: Buffer } {
  const image = decodeImage(new Uint8Array(readFileSync(file)));
  const { width, height, channels } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = image.data[(y * width + (width - 1 - x)) * channels + c]!;
    }
  }
  const png = encodePng({ width, height, data, channels, depth: 8 });
  return { name, mimeType: 'image/png', buffer: Buffer.from(png) };
}

/** How long one export may take to click, to start and to finish (each), well inside a test's budget. */
const SAVE_STEP_MS = 60_000;

/**
 * Saves what clicking `button` downloads; its suggested name and bytes. Each step has its own
 * bound and message, so a stuck export fails within a minute and says whether the click never
 * landed, no download began, or the download did not finish (instead of the test's whole budget
 * spent on "waiting for event download").
 */
export async function save(page: Page, testInfo: TestInfo, button: string): Promise<{ name: string; bytes: Buffer }> {
  // A key press first: without it the workbench test lost its 11th export in 3 runs of 3 (the
  // link clicked, Chromium never began the download); with it, none was lost. Our reading:
  // Chromium's limiter lets a tab download once per user interaction and then asks, headless
  // nobody answers, and Playwright's synthetic click does not always re-arm it; a key does.
  await page.keyboard.press('Shift');
  const started = page.waitForEvent('download', { timeout: SAVE_STEP_MS });
  // Handled here so a click that fails first does not leave this rejection unhandled.
  started.catch(() => undefined);
  await page.getByRole('button', { name: button, exact: true }).click({ timeout: SAVE_STEP_MS }).catch((error: Error) => {
    throw new Error(`"${button}" could not be clicked: ${error.message}`);
  });
  const download = await started.catch((error: Error) => {
    throw new Error(`"${button}" was clicked but no download began: ${error.message}`);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`not finished after ${SAVE_STEP_MS} ms`), SAVE_STEP_MS)));
  const failure = await Promise.race([download.failure(), late]).finally(() => clearTimeout(timer));
  if (failure !== null) throw new Error(`"${button}" download ${download.suggestedFilename()} failed: ${failure}`);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

/**
 * Exports caught in the page instead of saved by Chromium: from `catchExports` on, a download link
 * the studio clicks hands its file name and Blob to the test and saves nothing. For a spec that
 * exports more files from one page than Chromium's download limiter lets through (the workbench
 * lost its 11th real download: the link clicked, no download begun), after real downloads have
 * shown the same `download()` path saves files.
 */
export async function catchExports(page: Page): Promise<void> {
  await page.evaluate(() => {
    const caught = window as unknown as { locusExports?: { name: string; blob: Blob }[] };
    if (caught.locusExports !== undefined) return;
    caught.locusExports = [];
    const blobs = new Map<string, Blob>();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = create(object);
      if (object instanceof Blob) blobs.set(url, object);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = blobs.get(this.href);
      if (this.download !== '' && blob !== undefined) caught.locusExports!.push({ name: this.download, blob });
      else click.call(this);
    };
  });
}

/** Clicks `button` on a page prepared by `catchExports` and returns the file it exported. */
export async function caughtExport(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const count = () => page.evaluate(() => (window as unknown as { locusExports: unknown[] }).locusExports.length);
  const before = await count();
  await page.getByRole('button', { name: button, exact: true }).click({ timeout: SAVE_STEP_MS });
  await expect.poll(count, { message: `"${button}" exported nothing`, timeout: SAVE_STEP_MS }).toBe(before + 1);
  const { name, base64 } = await page.evaluate(async (index) => {
    const { name, blob } = (window as unknown as { locusExports: { name: string; blob: Blob }[] }).locusExports[index]!;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { name, base64: btoa(binary) };
  }, before);
  return { name, bytes: Buffer.from(base64, 'base64') };
}

/**
 * Content-Security-Policy violations of a studio opened with `csp`: the page's from the start, its
 * worker's from now on (`read()` returns both). Blocked and report-only violations both count.
 */
export async function watchViolations(page: Page) {
  const worker = page.workers()[0];
  if (worker === undefined) throw new Error('the studio has no worker yet');
  await worker.evaluate(() => {
    const seen: string[] = ((self as unknown as { cspSeen: string[] }).cspSeen ??= []);
    self.addEventListener('securitypolicyviolation', (e) => seen.push(`worker: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return {
    read: async (): Promise<string[]> => [
      ...(await page.evaluate(() => (window as unknown as { cspSeen: string[] }).cspSeen)),
      ...(await worker.evaluate(() => (self as unknown as { cspSeen: string[] }).cspSeen)),
    ],
  };
}
