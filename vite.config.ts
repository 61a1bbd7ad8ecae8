import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { manifestValidator } from './scripts/vite/manifest-validator.ts';

/**
 * Bundles shipped with the app: served at ./bundles/<name>/ in dev, copied into dist/ on build,
 * and listed (name, title, modality, the DICOM modalities it expects; the first is the default)
 * in ./bundles/index.json. A bundle
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
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        title: string;
        modality: string;
        expected_input: { dicom_modalities: string[] };
      };
      const { title, modality, expected_input } = manifest;
      return { name, path: `bundles/${name}/`, title, modality, dicomModalities: expected_input.dicom_modalities };
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

/**
 * The Content-Security-Policy of the built studio: scripts, styles, workers and connections from
 * its own origin only ('wasm-unsafe-eval' lets ONNX Runtime and the DICOM codecs compile their
 * WebAssembly; no inline script anywhere). Bundles on another origin are fetched by the service
 * worker, and only for origins the user approved (src/sw/remote.ts). Delivered as a <meta> tag
 * (any static host) and, where the host can send headers, by `_headers` and `vite preview`, with
 * what a meta tag cannot carry (frame-ancestors) and the cross-origin isolation headers.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "img-src 'self'",
  "style-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

export const HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The CSP as a meta tag in the built page, and `_headers` (Netlify / Cloudflare Pages format) beside it. */
function securityPolicy(): Plugin {
  let outDir = 'dist';
  return {
    name: 'locus-security-policy',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
    closeBundle() {
      const lines = Object.entries(HEADERS).map(([name, value]) => `  ${name}: ${value}`);
      writeFileSync(join(outDir, '_headers'), `/*\n${lines.join('\n')}\n`);
    },
  };
}

/**
 * The offline app: the service worker (src/sw/sw.ts) precaches the shell, ORT's and the codecs'
 * WebAssembly, the samples and the bundle list; the bundles themselves (tens of MB each) are kept
 * by the analysis worker, by content hash. Registered from src/ui/pwa.ts, with an update prompt.
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/sw',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'Locus studio',
    short_name: 'Locus',
    description: 'Report-guided lung infection segmentation in chest X-rays and CT slices, offline in the browser.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#0f1318',
    theme_color: '#12171d',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  injectManifest: {
    // The web manifest and its icon are added by the plugin itself.
    globPatterns: ['**/*.{js,mjs,css,html,wasm,png,dcm,json}'],
    // Bundle files are cached by the worker by content hash, not in the precache.
    globIgnores: ['bundles/*/**/*'],
    maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
  },
});

export default defineConfig({
  base: './',
  // The dev server serves the worker's modules through these plugins too (hence the validator here).
  plugins: [react(), shippedBundles(), securityPolicy(), pwa, manifestValidator()],
  // ORT's WebGPU build loads its runtime with import(): workers must be ES modules. The worker
  // validates manifests with the schema compiled at build time (no eval under the CSP).
  worker: { format: 'es', plugins: () => [manifestValidator()] },
  // Pre-bundle what the worker imports so the dev server does not re-optimise mid-run.
  optimizeDeps: { include: ['comlink', 'fast-png', 'jpeg-js', 'ajv/dist/2020.js'], exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', headers: HEADERS },
});
