import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Bundles shipped with the app: served at ./bundles/<name>/ in dev, copied into dist/ on build,
 * and listed (name, title, modality; the first is the default) in ./bundles/index.json. A bundle
 * folder that does not exist yet is left out.
 */
const BUNDLES: Record<string, string> = {
  'demo-cxr': resolve(import.meta.dirname, 'models/demo-cxr'),
  'medseg-ct': resolve(import.meta.dirname, 'models/medseg-ct'),
};

/** The studio's list of shipped bundles (src/ui/hooks/bundle.ts reads it). */
function bundleIndex(): string {
  const entries = Object.entries(BUNDLES)
    .filter(([, dir]) => existsSync(join(dir, 'manifest.json')))
    .map(([name, dir]) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { title: string; modality: string };
      return { name, path: `bundles/${name}/`, title: manifest.title, modality: manifest.modality };
    });
  return JSON.stringify(entries, null, 2) + '\n';
}

function shippedBundles(): Plugin {
  let outDir = 'dist';
  return {
    name: 'locus-shipped-bundles',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (/\/bundles\/index\.json$/.test((req.url ?? '').split('?')[0] ?? '')) {
          res.setHeader('Content-Type', 'application/json');
          res.end(bundleIndex());
          return;
        }
        const match = /^(?:.*?)\/bundles\/([^/]+)\/(.+)$/.exec((req.url ?? '').split('?')[0] ?? '');
        const root = match ? BUNDLES[match[1] ?? ''] : undefined;
        if (!match || !root) return next();
        const file = normalize(join(root, decodeURIComponent(match[2] ?? '')));
        if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(res);
      });
    },
    closeBundle() {
      for (const [name, dir] of Object.entries(BUNDLES)) {
        if (existsSync(dir)) cpSync(dir, join(outDir, 'bundles', name), { recursive: true });
      }
      mkdirSync(join(outDir, 'bundles'), { recursive: true });
      writeFileSync(join(outDir, 'bundles', 'index.json'), bundleIndex());
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), shippedBundles()],
  // ORT's WebGPU build loads its runtime with import(): workers must be ES modules.
  worker: { format: 'es' },
  // Pre-bundle what the worker imports so the dev server does not re-optimise mid-run.
  optimizeDeps: { include: ['comlink', 'fast-png', 'jpeg-js', 'ajv/dist/2020.js'], exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1', port: 5173 },
});
