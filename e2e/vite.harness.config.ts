/**
 * Builds the test-only worker harness (e2e/harness) into test-results/e2e-harness, with the
 * bundle under test (LOCUS_BUNDLE, default models/demo-cxr) copied to ./bundle/. Never part of
 * dist/: the app's own build is vite.config.ts. `vite --config` on this file serves the same page
 * from source, as the studio's dev server does.
 */
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { manifestValidator } from '../scripts/vite/manifest-validator';

const repo = path.resolve(import.meta.dirname, '..');
const outDir = path.join(repo, 'test-results/e2e-harness');
const bundleDir = path.resolve(repo, process.env['LOCUS_BUNDLE'] ?? 'models/demo-cxr');

/** The bundle at ./bundle/: copied into the build, served from its folder by the dev server. */
function harnessBundle(): Plugin {
  return {
    name: 'locus-harness-bundle',
    configureServer(server) {
      server.middlewares.use('/bundle/', (req, res, next) => {
        const file = path.join(bundleDir, decodeURIComponent((req.url ?? '').split('?')[0] ?? ''));
        if (!file.startsWith(bundleDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(res);
      });
    },
    closeBundle() {
      if (!existsSync(path.join(bundleDir, 'manifest.json'))) throw new Error(`no bundle at ${bundleDir}`);
      cpSync(bundleDir, path.join(outDir, 'bundle'), { recursive: true });
    },
  };
}

export default defineConfig({
  root: path.join(repo, 'e2e/harness'),
  base: './',
  logLevel: 'warn',
  plugins: [harnessBundle(), manifestValidator()],
  // ORT's WebGPU build loads its runtime with import(): the worker must be an ES module.
  worker: { format: 'es', plugins: () => [manifestValidator()] },
  // Found up front, so the dev server does not re-optimise and reload the page mid-test; ORT is
  // left as shipped (its runtime files are located through our own asset URLs).
  optimizeDeps: { include: ['comlink', 'fast-png', 'jpeg-js', 'ajv/dist/2020.js'], exclude: ['onnxruntime-web'] },
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { host: '127.0.0.1', port: 4317, strictPort: true },
});
