/**
 * The README's picture of the workbench (docs/workbench.png): the first N cases of the synthetic
 * test split, written afresh by `locus.synth` into a temporary folder, opened in the built studio
 * (WASM, so the picture does not depend on the machine's GPU), evaluated, every sweep run, the
 * table sorted by Dice and filtered to ten cases, then the page captured and stored as an indexed
 * PNG (Pillow's median-cut palette: a few times smaller than the capture, text still crisp).
 *
 * usage: tsx scripts/workbench-screenshot.ts [--out docs/workbench.png] [--cases 40] [--port 4321]
 * Needs `npm run build` first, and python3 with numpy and Pillow (scripts/setup.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { serveDist } from './lib/serve-dist';
import { defaultBundle } from './lib/shipped';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/workbench.png' },
    cases: { type: 'string', default: '40' },
    port: { type: 'string', default: process.env['LOCUS_SHOT_PORT'] ?? '4321' },
  },
});
const ROOT = path.resolve(import.meta.dirname, '..');
const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1440, height: 2200 };
const COLOURS = 96;

/** Runs a command to completion; its stderr becomes the error when it fails. */
function check(command: string, args: string[], cwd: string): void {
  const done = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${done.stderr || done.error?.message}`);
}

/** The first `n` synthetic test cases in the LViT layout, in `<tmp>/synth-test`. */
function synthFolder(n: number): string {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), 'locus-shot-')), 'synth-test');
  check('/usr/bin/python3', ['-m', 'locus.synth', '--out', folder, '--split', 'test', '--n', String(n)], path.join(ROOT, 'models'));
  return folder;
}

async function capture(folder: string, n: number, file: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: QUIET });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`http://127.0.0.1:${values.port}/locus/`);
    await page.getByText(defaultBundle(ROOT).title, { exact: true }).waitFor({ timeout: 300_000 });
    await page.getByRole('tab', { name: 'Workbench' }).click();
    await page.getByLabel('Dataset folder', { exact: true }).setInputFiles(folder);
    await page.getByText(new RegExp(`synth-test: ${n} cases`)).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Evaluate dataset' }).click();
    const allSweeps = page.getByRole('button', { name: 'Run all sweeps' });
    await page.getByTestId('workbench-summary').getByText(`of ${n} cases scored`).waitFor({ timeout: 1_800_000 });
    await allSweeps.and(page.locator(':enabled')).click({ timeout: 60_000 });
    await page.getByRole('figure', { name: 'Location test' }).waitFor({ timeout: 1_800_000 });
    await allSweeps.and(page.locator(':enabled')).waitFor({ timeout: 1_800_000 });
    const table = page.getByRole('table', { name: 'Per-case results' });
    await table.getByRole('columnheader', { name: /^Dice/ }).getByRole('button').click();
    await page.getByLabel('Filter cases').fill('_0000');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('.workbench-main').evaluate((main) => main.scrollTo(0, 0));
    // Let ECharts finish its entry animation.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: file });
  } finally {
    await browser.close();
  }
}

/** Rewrites the capture as an indexed PNG of at most COLOURS colours, in place. */
function indexColours(file: string): void {
  const pillow = `import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGB').quantize(${COLOURS}).save(sys.argv[1], optimize=True)`;
  check('/usr/bin/python3', ['-c', pillow, file], ROOT);
}

async function main(): Promise<void> {
  const n = Number(values.cases);
  const out = path.resolve(ROOT, values.out!);
  mkdirSync(path.dirname(out), { recursive: true });
  const folder = synthFolder(n);
  const stop = await serveDist(values.port!);
  try {
    await capture(folder, n, out);
  } finally {
    stop();
    rmSync(path.dirname(folder), { recursive: true, force: true });
  }
  indexColours(out);
  console.log(`${path.relative(ROOT, out)}: ${VIEWPORT.width} x ${VIEWPORT.height}, ${(statSync(out).size / 1024).toFixed(0)} KB`);
}

await main();
