/**
 * Workbench throughput, cases per second, on the first N cases of an LViT folder (the synthetic
 * test split by default): the built studio's "Evaluate dataset" and a Top-k sweep (6 decoder runs
 * per case on the cached encodings) in Chromium on WebGPU (SwiftShader, a CPU adapter, where there
 * is no GPU) and on WASM, next to `locus eval` and `locus eval --sweep k` on onnxruntime-node (CPU)
 * and onnxruntime-web's WASM build in node. A benchmark, not a test: it prints the figures.
 *
 * usage: tsx scripts/workbench-speed.ts [--cases 100] [--gpu-cases 10] [--data DIR] [--runs webgpu,wasm,cli-cpu,cli-wasm] [--port 4320]
 * Needs `npm run build` first (and the split: see the README's eval example).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { serveDist } from './lib/serve-dist';
import { defaultBundle } from './lib/shipped';
import { parseCsv } from '../src/pipeline/index';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100' },
    data: { type: 'string', default: 'models/data-gen/synth-cxr/test' },
    runs: { type: 'string', default: 'webgpu,wasm,cli-cpu,cli-wasm' },
    /** SwiftShader is slow: WebGPU runs on the first this many of the cases. */
    'gpu-cases': { type: 'string', default: '10' },
    port: { type: 'string', default: process.env['LOCUS_BENCH_PORT'] ?? '4320' },
  },
});
const ROOT = path.resolve(import.meta.dirname, '..');
const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Figure {
  run: string;
  backend: string;
  evaluate: number;
  sweep: number;
}

/** The first `n` cases of an LViT folder (CSV reports), copied to a temporary folder named "bench". */
function subset(data: string, n: number): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'locus-speed-')), 'bench');
  mkdirSync(path.join(root, 'images'), { recursive: true });
  mkdirSync(path.join(root, 'masks'));
  const [header, ...rows] = parseCsv(readFileSync(path.join(data, 'reports.csv'), 'utf8'));
  const chosen = rows.slice(0, n);
  for (const [name] of chosen) {
    copyFileSync(path.join(data, 'images', name!), path.join(root, 'images', name!));
    copyFileSync(path.join(data, 'masks', name!), path.join(root, 'masks', name!));
  }
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  writeFileSync(path.join(root, 'reports.csv'), [header!.join(','), ...chosen.map((r) => r.map(quote).join(','))].join('\n') + '\n');
  return root;
}

/** Cases per second from the workbench's progress line ("100 / 100 cases · 4.3 cases/s · ..."). */
const rateOf = (line: string) => Number(/ · ([\d.]+) cases\/s/.exec(line)?.[1] ?? NaN);

async function browserRun(ep: 'webgpu' | 'wasm', folder: string, n: number): Promise<Figure> {
  const args = ep === 'webgpu' ? ['--enable-unsafe-webgpu', ...QUIET] : QUIET;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${values.port}/locus/`);
    await page.getByText(defaultBundle(ROOT).title, { exact: true }).waitFor({ timeout: 300_000 });
    const backend = (await page.locator('.status .badge').first().textContent()) ?? ep;
    await page.getByRole('tab', { name: 'Workbench' }).click();
    await page.getByLabel('Dataset folder', { exact: true }).setInputFiles(folder);
    await page.getByRole('button', { name: 'Evaluate dataset' }).click();
    // SwiftShader runs the graphs on the CPU: say how far it got while waiting.
    const hints = page.locator('.batch-progress .hint');
    const watch = setInterval(() => void hints.allTextContents().then((t) => console.error(`${ep}: ${t.join(' | ')}`), () => undefined), 30_000);
    try {
      await page.getByTestId('workbench-summary').getByText(`${n} of ${n} cases scored`).waitFor({ timeout: 3_600_000 });
      await page.getByRole('button', { name: 'Run Top-k sweep' }).click();
      await page.getByRole('figure', { name: 'Top-k sweep' }).waitFor({ timeout: 3_600_000 });
    } finally {
      clearInterval(watch);
    }
    const evaluate = rateOf((await hints.first().textContent()) ?? '');
    const sweep = rateOf((await page.locator('.sweep-controls .hint').first().textContent()) ?? '');
    return { run: `browser ${ep}`, backend, evaluate, sweep };
  } finally {
    await browser.close();
  }
}

/** `locus eval` in node: cases over the seconds it reports. */
async function cliRun(ep: 'cpu' | 'wasm', folder: string, n: number): Promise<Figure> {
  const run = async (...extra: string[]) => {
    const out = path.join(path.dirname(folder), `cli-${ep}-${extra.length}.json`);
    const args = ['bin/locus.mjs', 'eval', '--bundle', 'models/demo-cxr', '--data', folder, '--ep', ep, '--out', out, ...extra];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 26 });
    return n / Number(/^time: ([\d.]+) s/m.exec(stdout)?.[1] ?? NaN);
  };
  return { run: `locus eval --ep ${ep}`, backend: ep === 'cpu' ? 'onnxruntime-node CPU' : 'onnxruntime-web WASM in node', evaluate: await run(), sweep: await run('--sweep', 'k') };
}

async function main(): Promise<void> {
  const n = Number(values.cases);
  const gpuCases = Math.min(n, Number(values['gpu-cases']));
  const folder = subset(path.resolve(ROOT, values.data!), n);
  const gpuFolder = subset(path.resolve(ROOT, values.data!), gpuCases);
  const stop = await serveDist(values.port!);
  const figures: Figure[] = [];
  try {
    for (const run of values.runs!.split(',')) {
      if (run === 'webgpu') figures.push({ ...(await browserRun(run, gpuFolder, gpuCases)), run: `browser webgpu (${gpuCases} cases)` });
      else if (run === 'wasm') figures.push(await browserRun(run, folder, n));
      else if (run === 'cli-cpu' || run === 'cli-wasm') figures.push(await cliRun(run === 'cli-cpu' ? 'cpu' : 'wasm', folder, n));
      else throw new Error(`unknown run '${run}'`);
      console.error(`done: ${run}`);
    }
  } finally {
    stop();
    for (const made of [folder, gpuFolder]) rmSync(path.dirname(made), { recursive: true, force: true });
  }
  console.log(`${n} cases of ${values.data}; cases/s (evaluation: encode + decode; Top-k sweep: 6 decodes a case; CLI sweep: encode + 6 decodes)`);
  for (const f of figures) console.log(`${f.run.padEnd(30)} ${f.backend.padEnd(34)} evaluate ${f.evaluate.toPrecision(3).padStart(6)}  Top-k sweep ${f.sweep.toPrecision(3).padStart(6)}`);
}

await main();
