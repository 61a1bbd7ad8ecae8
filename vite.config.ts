import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Bundles shipped with the app: served at ./bundles/<name>/ in dev, copied into dist/ on build. */
const BUNDLES = { 'demo-cxr': resolve(__dirname, 'models/demo-cxr') };

function shippedBundles(): Plugin {
  let outDir = 'dist';
  return {
    name: 'locus-shipped-bundles',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^(?:.*?)\/bundles\/([^/]+)\/(.+)$/.exec((req.url ?? '').split('?')[0] ?? '');
        const root = match ? BUNDLES[match[1] as keyof typeof BUNDLES] : undefined;
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
  server: { host: '127.0.0.1', port: 5173 },
});
