/**
 * The bundle the runtime and CLI tests run on, and its fixture cases as the engine sees them.
 * LOCUS_BUNDLE names the bundle folder (default: the shipped models/demo-cxr).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeImage, frameToImage, framePoint, type DecodedImage, type Geometry } from '../../src/pipeline/index';
import type { FixtureSettings } from '../../src/cli/fixtures';
import type { PromptSettings } from '../../src/runtime/results';

export const BUNDLE_DIR = path.resolve(process.env['LOCUS_BUNDLE'] ?? 'models/demo-cxr');

if (!existsSync(path.join(BUNDLE_DIR, 'manifest.json'))) {
  throw new Error(`no bundle at ${BUNDLE_DIR}: build models/demo-cxr or set LOCUS_BUNDLE`);
}


export interface FixtureRun {
  id: string;
  report: string;
  image: DecodedImage;
  imageFile: string;
  /** 0/1 per pixel at the original size. */
  finalMask: Uint8Array;
  iou: number;
  raw: FixtureSettings;
  geometry: { original: [number, number]; resized: [number, number] };
  /** True when the case used the manifest's default prompts and no user points. */
  isDefault: boolean;
  /** "<graph>/<name>" -> raw little-endian file, bundle-relative. */
  tensors: Record<string, { file: string }>;
}

function readBundleFile(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(BUNDLE_DIR, relative)));
}

export function binary(mask: DecodedImage): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < out.length; i++) out[i] = (mask.data[i * mask.channels] ?? 0) > 0 ? 1 : 0;
  return out;
}

export function fixtureRuns(): FixtureRun[] {
  const manifest = JSON.parse(new TextDecoder().decode(readBundleFile('manifest.json'))) as {
    prompts: { k: number; theta: number };
    fixtures: { index: string } | null;
  };
  if (manifest.fixtures === null) throw new Error(`${BUNDLE_DIR} has no fixtures`);
  const index = JSON.parse(new TextDecoder().decode(readBundleFile(manifest.fixtures.index))) as {
    cases: (Omit<FixtureRun, 'image' | 'finalMask' | 'raw' | 'isDefault' | 'imageFile' | 'tensors'> & {
      tensors: Record<string, { file: string }>;
      image: string;
      final_mask: string;
      settings: FixtureSettings;
    })[];
  };
  return index.cases.map((c) => {
    const s = c.settings;
    const isDefault =
      s.k === manifest.prompts.k && s.theta === manifest.prompts.theta && s.use_coarse && s.use_points && s.use_text;
    return {
      id: c.id,
      report: c.report,
      image: decodeImage(readBundleFile(c.image)),
      imageFile: path.join(BUNDLE_DIR, c.image),
      finalMask: binary(decodeImage(readBundleFile(c.final_mask))),
      iou: c.iou,
      raw: s,
      geometry: c.geometry,
      isDefault: isDefault && s.user_points.length === 0,
      tensors: c.tensors,
    };
  });
}

/** The fixture's settings for the engine; user points go from the frame back to image pixels. */
export function engineSettings(run: FixtureRun, inputSize: number): PromptSettings {
  const geometry: Geometry = { original: run.geometry.original, resized: run.geometry.resized, inputSize };
  return {
    k: run.raw.k,
    theta: run.raw.theta,
    useCoarse: run.raw.use_coarse,
    usePoints: run.raw.use_points,
    useText: run.raw.use_text,
    userPoints: run.raw.user_points.map(([x, y, label]) => ({
      point: frameToImage(framePoint(x, y), geometry),
      label: label === 1 ? 1 : 0,
    })),
  };
}

/** A float32 fixture tensor of a case, by "<graph>/<name>". */
export function fixtureFloats(run: FixtureRun, key: string): Float32Array {
  const ref = run.tensors[key];
  if (ref === undefined) throw new Error(`case ${run.id} has no fixture tensor ${key}`);
  const bytes = readBundleFile(ref.file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function countDifferences(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
