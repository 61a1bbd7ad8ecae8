/** Opening a bundle folder for a command, and reading input files with errors that name them. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage, type DecodedImage } from '../pipeline/index';
import { fsBundleSource } from '../runtime/bundle-node';
import { Engine } from '../runtime/engine';
import { createNodeBackend } from '../runtime/ort-node';
import type { ExecutionProvider } from '../runtime/ort';

/** An input problem worth one line: the message already names the file. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export async function openEngine(bundleDir: string, ep: ExecutionProvider): Promise<Engine> {
  if (!existsSync(path.join(bundleDir, 'manifest.json'))) {
    throw new InputError(`${path.join(bundleDir, 'manifest.json')}: no such file (is ${bundleDir} a Locus bundle folder?)`);
  }
  return Engine.open(fsBundleSource(bundleDir), await createNodeBackend(ep));
}

export async function readInput(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
}

export async function readImageFile(file: string): Promise<DecodedImage> {
  const bytes = await readInput(file);
  try {
    return decodeImage(bytes);
  } catch (error) {
    throw new InputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
