/**
 * `virtual:locus-manifest-validator`: the manifest schema (models/manifest.schema.json) compiled
 * by Ajv at build time into plain code, so the browser worker validates manifests without Ajv's
 * runtime code generation (`new Function`), which the studio's Content-Security-Policy forbids
 * (script-src 'self' 'wasm-unsafe-eval', no 'unsafe-eval'). Node (CLI, tests) compiles the same
 * schema with Ajv at run time (src/runtime/manifest.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'vite';

const ID = 'virtual:locus-manifest-validator';
const SCHEMA = path.resolve(import.meta.dirname, '../../models/manifest.schema.json');

/** Ajv's run-time helpers the generated code may require, written out (no require() in the browser). */
const HELPERS: Record<string, string> = {
  // The length of a string in code points (a surrogate pair counts once), as ucs2length.
  ucs2length: '((text) => Array.from(text).length)',
};

export function manifestValidator(): Plugin {
  return {
    name: 'locus-manifest-validator',
    resolveId: (source) => (source === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      this.addWatchFile(SCHEMA);
      const ajv = new Ajv2020({ allErrors: true, strict: true, code: { source: true, esm: true } });
      const code = standaloneCode(ajv, ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8'))));
      return code.replace(/require\("ajv\/dist\/runtime\/([a-z0-9]+)"\)\.default/g, (_, name: string) => {
        const helper = HELPERS[name];
        if (helper === undefined) throw new Error(`the compiled manifest schema needs Ajv's ${name}: add it to HELPERS`);
        return helper;
      });
    },
  };
}
