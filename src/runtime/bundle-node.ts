/**
 * A bundle folder on disk as a BundleSource (the CLI and node tests). Node-only: src/worker and
 * src/ui must not import this file (lint rule).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError, checkRelativePath, type BundleSource } from './bundle';

export function fsBundleSource(dir: string): BundleSource {
  const root = path.resolve(dir);
  return {
    kind: 'reader',
    name: root,
    read: async (relative, onProgress) => {
      const full = path.join(root, ...checkRelativePath(relative).split('/'));
      let bytes: Buffer;
      try {
        bytes = await readFile(full);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new BundleError(full, code === 'ENOENT' ? 'no such file' : String(error));
      }
      onProgress?.(bytes.byteLength, bytes.byteLength);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
