// Flat config. The layer rule below enforces the import directions of src/ (shared/docs/style.md rule 1):
// pipeline <- runtime <- worker <- ui (types only), cli beside worker; only runtime/ loads onnxruntime.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const LAYERS = ['pipeline', 'runtime', 'worker', 'ui', 'cli', 'sw'];

/** Matches a relative import that reaches into one of `layers` of src/. */
function layerRegex(layers) {
  return `^\\.{1,2}/(.*/)?(${layers.join('|')})(/|$)`;
}

const UI_LIBRARIES = ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', '@tanstack/*'];

/**
 * @param {object} rule
 * @param {string} rule.self the folder under src/ the rule applies to
 * @param {string[]} rule.allowed layers this folder may import at runtime (itself is always allowed)
 * @param {string[]} [rule.typeOnly] layers this folder may import with `import type` only
 * @param {string[]} rule.packages package globs this folder must not import
 * @param {string[]} [rule.files] file globs (default: the whole folder)
 * @param {object[]} [rule.extra] more no-restricted-imports patterns
 */
function layerRule({ self, allowed, typeOnly = [], packages, files, extra = [] }) {
  const forbidden = LAYERS.filter((l) => l !== self && !allowed.includes(l) && !typeOnly.includes(l));
  const patterns = [
    { regex: layerRegex(forbidden), message: `src/${self}/ must not import these layers (shared/docs/style.md rule 1).` },
    ...extra,
  ];
  if (typeOnly.length > 0) {
    patterns.push({
      regex: layerRegex(typeOnly),
      allowTypeImports: true,
      message: `src/${self}/ may import only types from ${typeOnly.map((l) => `${l}/`).join(' and ')} (use \`import type\`).`,
    });
  }
  if (packages.length > 0) {
    patterns.push({ group: packages, message: `src/${self}/ must not depend on this package (shared/docs/style.md rule 1).` });
  }
  return {
    files: files ?? [`src/${self}/**/*.{ts,tsx}`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

/**
 * runtime/ort-node.ts and runtime/bundle-node.ts are node-only (onnxruntime-node, node:fs): only
 * src/cli (and tests) may import them, so the worker bundle never pulls node code in.
 */
const NODE_ONLY_RUNTIME = {
  regex: '(^|/)runtime/(ort-node|bundle-node)$|^\\./(ort-node|bundle-node)$',
  message: 'runtime/ort-node.ts and runtime/bundle-node.ts are node-only: import them from src/cli/ only.',
};
const NODE_ONLY_FILES = ['src/runtime/ort-node.ts', 'src/runtime/bundle-node.ts'];

// DOM entry points a pure module could reach for without importing anything.
const DOM_GLOBALS = ['window', 'document', 'navigator', 'self', 'fetch', 'createImageBitmap', 'OffscreenCanvas', 'Image'];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', 'models/', 'out/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  layerRule({
    self: 'pipeline',
    allowed: [],
    packages: ['onnxruntime-*', 'comlink', 'node:*', ...UI_LIBRARIES],
  }),
  {
    files: ['src/pipeline/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS.map((name) => ({ name, message: 'src/pipeline/ is pure: no DOM (shared/docs/style.md rule 1).' })),
      ],
    },
  },
  // runtime/: onnxruntime only in ort-web.ts (browser) and ort-node.ts (node); node:* only in the node-only files.
  layerRule({
    self: 'runtime',
    allowed: ['pipeline'],
    packages: ['onnxruntime-*', 'comlink', 'node:*', ...UI_LIBRARIES],
    extra: [NODE_ONLY_RUNTIME],
  }),
  layerRule({
    self: 'runtime',
    files: ['src/runtime/ort-web.ts'],
    allowed: ['pipeline'],
    packages: ['onnxruntime-node', 'comlink', 'node:*', ...UI_LIBRARIES],
  }),
  layerRule({
    self: 'runtime',
    files: NODE_ONLY_FILES,
    allowed: ['pipeline'],
    packages: ['comlink', ...UI_LIBRARIES],
  }),
  layerRule({
    self: 'worker',
    allowed: ['runtime', 'pipeline'],
    packages: ['onnxruntime-*', 'node:*', ...UI_LIBRARIES],
    extra: [NODE_ONLY_RUNTIME],
  }),
  layerRule({ self: 'ui', allowed: [], typeOnly: ['worker', 'pipeline'], packages: ['onnxruntime-*'] }),
  layerRule({ self: 'cli', allowed: ['runtime', 'pipeline'], packages: ['onnxruntime-*', 'comlink', ...UI_LIBRARIES] }),
  // The service worker: Workbox and the one path it shares with the runtime (runtime/remote-path.ts).
  layerRule({
    self: 'sw',
    allowed: ['runtime'],
    packages: ['onnxruntime-*', 'comlink', 'node:*', 'dcmjs', ...UI_LIBRARIES],
    extra: [{ regex: '(^|/)runtime/(?!remote-path$)', message: 'src/sw/ may import runtime/remote-path.ts only.' }],
  }),
);
