/**
 * The research workbench in the built studio (WASM, its service worker registered), under the
 * Content-Security-Policy the studio ships with (vite.config.ts `CSP`, read from the build's
 * dist/_headers) sent as a header and enforced on the page and on its worker: a project-made LViT folder (the shipped samples, one case with
 * an unreadable report, one without a mask) is opened, evaluated (and once cancelled), sorted,
 * filtered, a case opened in the viewer; every sweep runs and its figure appears with its
 * accessible name; every table and plot is exported; the browser's numbers equal `locus eval
 * --sweep all --ep wasm` on the same folder to 1e-6; nothing leaves the origin.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { decode as decodePng } from 'fast-png';
import { catchExports, caughtExport, DEMO_TITLE, openStudio, sample, SAMPLES, save, status, watchViolations, type StudioPage } from './studio-page';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOLERANCE = 1e-6;
const FIGURES = ['Dice histogram', 'Dice vs lesion area', 'Top-k sweep', 'Threshold sweep', 'Prompt ablation', 'Location test'];
const SWEEPS: [string, string][] = [
  ['Run Top-k sweep', 'Top-k sweep'],
  ['Run threshold sweep', 'Threshold sweep'],
  ['Run prompt ablation', 'Prompt ablation'],
  ['Run location test', 'Location test'],
];

let studio: StudioPage;
let page: Page;
let folder: string;
let violations: Awaited<ReturnType<typeof watchViolations>>;
const downloads = new Map<string, Buffer>();

interface Case {
  id: string;
  image: string;
  mask: string | null;
  report: string;
}

/** The shipped samples as an LViT folder, plus a case whose report cannot be read and one with no mask. */
function projectFolder(): { root: string; cases: Case[] } {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'locus-workbench-')), 'samples-lvit');
  mkdirSync(path.join(root, 'images'), { recursive: true });
  mkdirSync(path.join(root, 'masks'));
  const samples = JSON.parse(readFileSync(path.join(SAMPLES, 'index.json'), 'utf8')) as { id: string; image: string; mask: string; report: string }[];
  const cases: Case[] = samples.map((s) => ({ id: s.id, image: s.image, mask: s.mask, report: s.report }));
  const left = cases.find((c) => c.id === 'left-only')!;
  cases.push({ id: 'left-unreadable', image: left.image, mask: left.mask, report: 'Unilateral pulmonary infection, two infected areas, upper left.' });
  cases.push({ id: 'no-mask', image: left.image, mask: null, report: left.report });
  cases.forEach((c, i) => {
    copyFileSync(path.join(SAMPLES, c.image), path.join(root, 'images', `${c.id}.png`));
    if (c.mask !== null) copyFileSync(path.join(SAMPLES, c.mask), path.join(root, 'masks', `${i % 2 ? 'mask_' : ''}${c.id}.png`));
  });
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  writeFileSync(path.join(root, 'reports.csv'), ['Image,Description', ...cases.map((c) => `${c.id}.png,${quote(c.report)}`)].join('\n') + '\n');
  return { root, cases };
}

/** The studio's own policy, as the build writes it for hosts that send headers (made before the run, so read once it starts). */
function shippedCsp(): string {
  const line = readFileSync(path.join(ROOT, 'dist/_headers'), 'utf8')
    .split('\n')
    .find((l) => l.trim().startsWith('Content-Security-Policy:'));
  if (line === undefined) throw new Error('dist/_headers has no Content-Security-Policy: run npm run build');
  return line.slice(line.indexOf(':') + 1).trim();
}

const summaryLine = () => page.getByTestId('workbench-summary');
const caseTable = () => page.getByRole('table', { name: 'Per-case results' });

/**
 * The bytes the export `name` saves: the first figure's four exports as real downloads (Chromium
 * saves them), every later one caught in the page from the same download link (one page exporting
 * two dozen files trips Chromium's download limiter; see catchExports).
 */
async function saveAs(name: string): Promise<Buffer> {
  const real = name.startsWith(`${FIGURES[0]} as `);
  if (!real) await catchExports(page);
  const { bytes } = real ? await save(page, test.info(), name) : await caughtExport(page, name);
  downloads.set(name, bytes);
  return bytes;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  folder = projectFolder().root;
  const csp = shippedCsp();
  studio = await openStudio(browser, { csp, workerCsp: csp });
  page = studio.page;
  await expect(page.getByText(DEMO_TITLE, { exact: true })).toBeVisible({ timeout: 180_000 });
  violations = await watchViolations(page);
});

test.afterAll(async () => {
  await test.info().attach('console', { body: studio.console.join('\n'), contentType: 'text/plain' });
  await page.context().close();
  rmSync(path.dirname(folder), { recursive: true, force: true });
});

test.afterEach(() => expect(studio.blocked, 'requests outside the local server').toEqual([]));

test('opens a dataset folder and evaluates it with progress, Cancel and results as they arrive', async () => {
  await page.getByRole('tab', { name: 'Workbench' }).click();
  await page.getByLabel('Dataset folder', { exact: true }).setInputFiles(folder);
  await expect(page.getByText(/samples-lvit: 10 cases, reports from samples-lvit\/reports\.csv; 1 cannot be evaluated/)).toBeVisible();
  const evaluate = page.getByRole('button', { name: 'Evaluate dataset' });
  const progress = page.getByRole('progressbar', { name: 'Dataset evaluation' });
  await evaluate.click();
  await expect(progress).toHaveAttribute('value', /^[1-9]/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(summaryLine()).toContainText('cancelled', { timeout: 60_000 });
  const partial = await caseTable().locator('tbody tr').count();
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(10);

  await evaluate.click();
  await expect(page.locator('.batch-progress .hint').first()).toContainText(/cases\/s/, { timeout: 60_000 });
  await expect(summaryLine()).toContainText('9 of 10 cases scored', { timeout: 180_000 });
  await expect(summaryLine()).toContainText('unreadable reports 1 · errors 1');
  await expect(summaryLine()).toHaveText(/Dice \d\.\d{3} ± \d\.\d{3} · IoU \d\.\d{3} ± \d\.\d{3}/);
  await expect(caseTable().locator('tbody tr')).toHaveCount(10);
  await expect(caseTable().getByRole('row', { name: /no-mask/ })).toContainText('no mask with the same stem');
  await expect(caseTable().getByRole('row', { name: /left-unreadable/ })).toContainText('unreadable: location words not followed by');
});

test('sorts, filters and opens a case in the viewer with its overlays and prompts', async () => {
  const diceHeader = caseTable().getByRole('columnheader', { name: /^Dice/ });
  await diceHeader.getByRole('button').click();
  await expect(diceHeader).toHaveAttribute('aria-sort', 'descending');
  const dice = async () => (await caseTable().locator('tbody tr td:nth-child(2)').allTextContents()).filter((t) => t !== '–').map(Number);
  const descending = await dice();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  await diceHeader.getByRole('button').click();
  await expect(diceHeader).toHaveAttribute('aria-sort', 'ascending');
  expect(await dice()).toEqual([...descending].reverse());
  await page.getByLabel('Filter cases').fill('only');
  await expect(caseTable().locator('tbody tr')).toHaveCount(2);
  await page.getByLabel('Filter cases').fill('');
  await page.getByLabel('Show').selectOption('errors');
  await expect(caseTable().locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Show').selectOption('all');

  const chosen = sample('bilateral-multi');
  const row = caseTable().getByRole('row', { name: /bilateral-multi/ });
  const tableDice = Number(await row.locator('td:nth-child(2)').textContent());
  await row.click();
  await expect(page.getByRole('tab', { name: 'Studio' })).toHaveAttribute('aria-selected', 'true');
  await expect(status(page)).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
  await expect(page.getByLabel('Report', { exact: true })).toHaveValue(chosen.report);
  await expect(page.getByText(/^bilateral-multi\.png · /)).toBeVisible();
  await expect(page.getByTestId('mask-area')).not.toBeEmpty();
  // Scored against the case's own mask, with the evaluation's prompts (the bundle's defaults).
  const viewerDice = await page.getByRole('rowheader', { name: 'Dice vs ground truth' }).locator('xpath=../td').textContent();
  expect(viewerDice).toBe(tableDice.toFixed(3));
  await expect(status(page)).toHaveAttribute('data-k', '3');
  await expect(status(page)).toHaveAttribute('data-theta', '0.9');
  await page.getByRole('tab', { name: 'Workbench' }).click();
  await expect(summaryLine()).toContainText('9 of 10 cases scored');
});

test('runs every sweep on the cached encodings; each figure appears with its accessible name', async () => {
  for (const [button, figure] of SWEEPS) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByRole('figure', { name: figure })).toBeVisible({ timeout: 180_000 });
    await expect(page.getByRole('button', { name: button })).toBeEnabled({ timeout: 180_000 });
    await expect(page.locator('.sweep-controls .hint').first()).toContainText('9 cases decoded from the cache');
    await expect(page.locator('.sweep-controls .hint').first()).toContainText('0 encoded again');
  }
  for (const name of FIGURES) {
    const figure = page.getByRole('figure', { name });
    await expect(figure.getByRole('img', { name: new RegExp(`^${name}: chart`) })).toBeVisible();
    await expect(figure.locator('svg').first()).toBeVisible();
    await figure.getByText('Data table', { exact: true }).click();
    await expect(figure.getByRole('table', { name: `${name} data` })).toBeVisible();
  }
  const prompts = page.getByRole('table', { name: 'Prompt ablation data' });
  const subsets = await prompts.locator('tbody tr td:first-child').allTextContents();
  expect(subsets).toEqual(['none', 'coarse', 'points', 'text', 'coarse+points', 'coarse+text', 'points+text', 'all']);
  const topk = await page.getByRole('table', { name: 'Top-k sweep data' }).locator('tbody tr td:first-child').allTextContents();
  expect(topk).toEqual(['0', '1', '2', '3', '4', '5']);
  await expect(page.getByRole('table', { name: 'Location test data' }).locator('tbody tr')).toHaveCount(3);
  await expect(caseTable().getByRole('columnheader', { name: /Text effect/ })).toBeVisible();
});

test('exports every table as CSV and JSON and every plot as SVG and PNG', async () => {
  for (const name of FIGURES) {
    const csv = (await saveAs(`${name} as CSV`)).toString('utf8');
    expect(csv.split('\n')[0]).toMatch(/^[a-z_]+,/);
    expect(JSON.parse((await saveAs(`${name} as JSON`)).toString('utf8'))).toMatchObject({ figure: name, rows: expect.any(Array) });
    const svg = (await saveAs(`${name} as SVG`)).toString('utf8');
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const png = decodePng(await saveAs(`${name} as PNG`));
    expect([png.width, png.height]).toEqual([1440, 840]);
  }
  const csv = (await saveAs('Per-case results as CSV')).toString('utf8').split('\n');
  expect(csv[0]).toMatch(/^id,dice,iou,predicted_iou,points,coarse_max,readable,unreadable_reason,error,warnings,ms,gpfc_agreement,lesion_pixels,image_pixels,dice:/);
  expect(csv.filter((l) => l !== '')).toHaveLength(11);
  await saveAs('Per-case results as JSON');
  expect(await violations.read(), 'Content-Security-Policy violations').toEqual([]);
});

interface CliSweep {
  tables: Record<string, { key: string; n: number; dice: { mean: number; std: number } | null; iou: { mean: number } | null }[]>;
  settings: Record<string, { cases: { id: string; dice: number | null; iou: number | null; predictedIou: number | null; points: number | null; error: string | null }[] }>;
}

test('agrees with locus eval --sweep all --ep wasm on the same folder to 1e-6', async () => {
  test.setTimeout(600_000);
  const out = path.join(path.dirname(folder), 'cli.json');
  const cli = promisify(execFile)(process.execPath, ['bin/locus.mjs', 'eval', '--bundle', 'models/demo-cxr', '--data', folder, '--ep', 'wasm', '--sweep', 'all', '--out', out]);
  await cli.catch((error: { code?: number }) => expect(error.code, 'exit 3: the case with no mask').toBe(3));
  const node = JSON.parse(readFileSync(out, 'utf8')) as CliSweep;
  const browser = JSON.parse(downloads.get('Per-case results as JSON')!.toString('utf8')) as {
    cases: Record<string, number | string | null>[];
    sweeps: Record<string, Record<string, { dice: number; iou: number; predictedIou: number; points: number }>>;
  };
  let largest = 0;
  const near = (a: unknown, b: unknown, what: string) => {
    if (a === null || b === null) return expect(a, what).toBe(b);
    const difference = Math.abs((a as number) - (b as number));
    largest = Math.max(largest, difference);
    expect(difference, what).toBeLessThanOrEqual(TOLERANCE);
  };
  let compared = 0;
  for (const row of node.settings['prompts/all']!.cases) {
    const mine = browser.cases.find((c) => c['id'] === row.id)!;
    for (const [key, field] of [['dice', 'dice'], ['iou', 'iou'], ['predicted_iou', 'predictedIou']] as const) near(mine[key], row[field], `${row.id} ${key}`);
    compared++;
  }
  for (const [key, setting] of Object.entries(node.settings)) {
    for (const row of setting.cases.filter((r) => r.error === null)) {
      const mine = browser.sweeps[row.id]?.[key];
      expect(mine, `${row.id} ${key}`).toBeDefined();
      near(mine!.dice, row.dice, `${row.id} ${key} dice`);
      near(mine!.iou, row.iou, `${row.id} ${key} iou`);
      near(mine!.predictedIou, row.predictedIou, `${row.id} ${key} predicted IoU`);
      expect(mine!.points, `${row.id} ${key} points`).toBe(row.points);
      compared++;
    }
  }
  const files: Record<string, string> = { k: 'Top-k sweep', theta: 'Threshold sweep', prompts: 'Prompt ablation', location: 'Location test' };
  for (const [kind, figure] of Object.entries(files)) {
    const exported = JSON.parse(downloads.get(`${figure} as JSON`)!.toString('utf8')) as { rowsRaw?: CliSweep['tables'][string]; rows: Record<string, number>[] };
    const rows = exported.rowsRaw ?? [];
    const expected = node.tables[kind]!;
    expect(rows.map((r) => r.key)).toEqual(expected.map((r) => r.key));
    rows.forEach((r, i) => {
      expect(r.n).toBe(expected[i]!.n);
      near(r.dice?.mean ?? null, expected[i]!.dice?.mean ?? null, `${r.key} mean Dice`);
      near(r.dice?.std ?? null, expected[i]!.dice?.std ?? null, `${r.key} std Dice`);
    });
  }
  const line = `${compared} per-case scores and every table row within ${TOLERANCE}; largest difference ${largest}`;
  console.log(line);
  await test.info().attach('parity', { body: line, contentType: 'text/plain' });
  expect(compared).toBeGreaterThan(9 * 20);
});

test('a sweep beyond the encoding cache encodes those cases again and scores the same', async () => {
  const before = JSON.parse(downloads.get('Top-k sweep as JSON')!.toString('utf8')) as { rowsRaw: unknown[] };
  const sweep = page.getByRole('button', { name: 'Run Top-k sweep' });
  await page.getByLabel('Encoding cache (MB)').fill('0');
  await page.getByRole('button', { name: 'Evaluate dataset' }).click();
  await expect(sweep).toBeDisabled();
  await expect(sweep).toBeEnabled({ timeout: 180_000 });
  await expect(page.locator('.batch-progress .hint').first()).toContainText('cache: 0 cases');
  await sweep.click();
  await expect(page.getByRole('figure', { name: 'Top-k sweep' })).toBeVisible({ timeout: 180_000 });
  await expect(sweep).toBeEnabled({ timeout: 180_000 });
  await expect(page.locator('.sweep-controls .hint').first()).toContainText('0 cases decoded from the cache (0.0 MB), 9 encoded again');
  const after = JSON.parse((await saveAs('Top-k sweep as JSON')).toString('utf8')) as { rowsRaw: unknown[] };
  expect(after.rowsRaw).toEqual(before.rowsRaw);
  expect(await violations.read(), 'Content-Security-Policy violations').toEqual([]);
});
