/**
 * Browser tests in Debian's Chromium (never `npx playwright install`), headless with WebGPU enabled
 * (SwiftShader, a CPU adapter, when there is no GPU). Projects:
 * - worker: the real worker on a bundle fixture, through the test-only harness
 *   (e2e/vite.harness.config.ts, served with `vite preview`);
 * - studio: the built app (`npm run build` -> dist/) served under a subpath by e2e/serve-dist.ts,
 *   on WebGPU;
 * - studio-wasm: the same build in a Chromium without WebGPU (the studio falls back to WASM and
 *   says so): the bad-input corpus, worker crashes and the soak, which are about inputs, the
 *   worker and memory rather than the GPU, and run far faster there than on SwiftShader;
 * - clinic: the same build on WASM, each test in a fresh context with its service worker: offline
 *   reload, DICOM in and SEG out, the patient kept hidden, modality prompts, the update prompt, a
 *   bundle from another origin (served at localhost, the studio being at 127.0.0.1), the header
 *   CSP; no policy violation and no request leaving the origin.
 */
import { defineConfig } from '@playwright/test';

// Fixed by default; LOCUS_HARNESS_PORT / LOCUS_STUDIO_PORT move them so two checkouts can test at once.
const HARNESS_PORT = Number(process.env['LOCUS_HARNESS_PORT'] ?? 4317);
const STUDIO_PORT = Number(process.env['LOCUS_STUDIO_PORT'] ?? 4318);
const CHROMIUM = '/usr/bin/chromium';
const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Kept apart from test-results/e2e-harness, which the webServer builds before the run.
  outputDir: 'test-results/playwright',
  timeout: 300_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: ['--enable-unsafe-webgpu', ...QUIET] },
  },
  projects: [
    { name: 'worker', testMatch: 'worker.spec.ts', use: { baseURL: `http://127.0.0.1:${HARNESS_PORT}/` } },
    { name: 'studio', testMatch: 'studio.spec.ts', use: { baseURL: `http://127.0.0.1:${STUDIO_PORT}/locus/` } },
    {
      name: 'studio-wasm',
      testMatch: ['corpus.spec.ts', 'recovery.spec.ts', 'soak.spec.ts', 'workbench.spec.ts', 'workbench-scale.spec.ts'],
      use: { baseURL: `http://127.0.0.1:${STUDIO_PORT}/locus/`, launchOptions: { executablePath: CHROMIUM, args: QUIET } },
    },
    {
      name: 'clinic',
      testMatch: 'clinic.spec.ts',
      use: { baseURL: `http://127.0.0.1:${STUDIO_PORT}/locus/`, launchOptions: { executablePath: CHROMIUM, args: QUIET } },
    },
  ],
  webServer: [
    {
      command: `npm run build:harness && npx vite preview --config e2e/vite.harness.config.ts --port ${HARNESS_PORT}`,
      url: `http://127.0.0.1:${HARNESS_PORT}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `npm run build && npx tsx e2e/serve-dist.ts ${STUDIO_PORT} dist`,
      url: `http://127.0.0.1:${STUDIO_PORT}/locus/`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
