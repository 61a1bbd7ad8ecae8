/**
 * Fixture access for the pipeline tests: the bundle folder comes from LOCUS_BUNDLE (default
 * models/demo-cxr). Only tests read files; src/pipeline never touches node:fs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { decodeTensor, type FixtureSettings, type FixtureTensorRef, type HostTensor } from '../../src/cli/fixtures';
import { validateManifest } from '../../src/runtime/manifest';
import type { Manifest } from '../../src/pipeline/contract';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const requested = process.env['LOCUS_BUNDLE'] ?? 'models/demo-cxr';
export const BUNDLE_DIR = isAbsolute(requested) ? requested : join(ROOT, requested);

/** The fields of a fixture case the pipeline tests use (the index holds more). */
export interface PipelineCase {
  id: string;
  report: string;
  image: string;
  settings: FixtureSettings;
  geometry: { original: [number, number]; resized: [number, number] };
  tensors: Record<string, FixtureTensorRef>;
  // cells: [row, col, prob]
  points: { cells: [number, number, number][]; coords: [number, number][]; labels: number[] };
  final_mask: string;
}

export interface Bundle {
  dir: string;
  manifest: Manifest;
  cases: PipelineCase[];
}

function loadBundle(): Bundle | null {
  if (!existsSync(join(BUNDLE_DIR, 'manifest.json'))) return null;
  const checked = validateManifest(JSON.parse(readFileSync(join(BUNDLE_DIR, 'manifest.json'), 'utf8')));
  if (!checked.ok) throw new Error(`${BUNDLE_DIR}/manifest.json: ${checked.errors.join('; ')}`);
  const { manifest } = checked;
  if (manifest.fixtures === null) return null;
  const index = JSON.parse(readFileSync(join(BUNDLE_DIR, manifest.fixtures.index), 'utf8')) as { cases: PipelineCase[] };
  return { dir: BUNDLE_DIR, manifest, cases: index.cases };
}

/** The bundle with fixtures, or null when there is none (the fixture tests then skip, visibly). */
export const bundle = loadBundle();

export const NEEDS_BUNDLE = `needs a bundle with fixtures at ${BUNDLE_DIR} (set LOCUS_BUNDLE)`;

/** A describe block over the bundle's fixtures, or one visibly skipped test when there is no bundle. */
export function describeFixtures(title: string, body: (b: Bundle) => void): void {
  describe(title, () => {
    if (bundle === null) it.skip(NEEDS_BUNDLE, () => {});
    else body(bundle);
  });
}

export function readBundleBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(join(BUNDLE_DIR, relative)));
}

export function readFixtureTensor(fixture: PipelineCase, key: string): HostTensor {
  const ref = fixture.tensors[key];
  if (ref === undefined) throw new Error(`case ${fixture.id} has no tensor '${key}'`);
  return decodeTensor(readBundleBytes(ref.file).slice().buffer, ref.dtype, ref.shape);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
