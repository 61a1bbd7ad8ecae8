/** Opening a bundle folder for a command, and reading input files with errors that name them. */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openInput, type InputWarning, type OpenedInput } from '../pipeline/index';
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
  if (existsSync(bundleDir) && !statSync(bundleDir).isDirectory()) {
    throw new InputError(`${bundleDir}: is a file; --bundle takes the bundle's folder (the one holding manifest.json)`);
  }
  if (!existsSync(path.join(bundleDir, 'manifest.json'))) {
    throw new InputError(`${path.join(bundleDir, 'manifest.json')}: no such file (is ${bundleDir} a Locus bundle folder?)`);
  }
  return Engine.open(fsBundleSource(bundleDir), await createNodeBackend(ep));
}

/** Why a file could not be read, in words (node's codes are not for users). */
export function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of this path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  return (code !== undefined ? words[code] : undefined) ?? `cannot read the file (${error instanceof Error ? error.message : String(error)})`;
}

export async function readInput(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new InputError(`${file}: ${readProblem(error)}`);
  }
}

/** An image file (PNG, JPEG or DICOM, `frame` 0-based) opened, with its warnings; errors name the file. */
export async function readImageFile(file: string, frame = 0): Promise<OpenedInput> {
  const bytes = await readInput(file);
  try {
    return await openInput(bytes, file, { frame });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

/** Prints each warning on stderr, naming the command and what it is about. */
export function printWarnings(command: string, about: string, warnings: readonly InputWarning[]): void {
  for (const warning of warnings) console.error(`locus ${command}: warning: ${about}: ${warning.message}`);
}
