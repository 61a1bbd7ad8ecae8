/**
 * Browser tests: the real worker in Debian's Chromium (never `npx playwright install`), headless
 * with WebGPU enabled (SwiftShader, a CPU adapter, when there is no GPU). The webServer builds the
 * test-only harness (tests/e2e/vite.harness.config.ts) and serves it with `vite preview`.
 */
import { defineConfig } from '@playwright/test';

const PORT = 4317;

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Kept apart from test-results/e2e-harness, which the webServer builds before the run.
  outputDir: 'test-results/playwright',
  timeout: 300_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npm run build:harness && npx vite preview --config tests/e2e/vite.harness.config.ts --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
