/**
 * Stored samples -> modality values (PS3.3 C.11.1): RescaleSlope/Intercept (HU for CT), or a
 * Modality LUT table, per frame for enhanced multi-frame images; and the VOI the file proposes
 * for display (WindowCenter/Width with their explanations and function, or a VOI LUT table).
 * Values stay as unsigned samples plus a linear scale, so a 16-bit image costs 2 bytes a pixel.
 */
import { LUMA_BT601 } from '../preprocess';
import type { StoredSamples } from './codecs';
import { binary, frameGroup, items, number, numbers, text, texts, type NaturalDataset } from './dataset';
import type { FrameLayout } from './pixels';

/** modality value = sample * slope + intercept; `unit` 'HU' for CT, null when the values have none. */
export interface ValueScale {
  slope: number;
  intercept: number;
  unit: 'HU' | null;
}

/** One frame as unsigned samples and the scale to its modality values. */
export interface ModalityImage {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
  scale: ValueScale;
  /** MONOCHROME1: higher values are shown darker. */
  inverted: boolean;
  /** Samples (inclusive range, in `data` units) that are padding outside the acquired area, or null. */
  padding: [number, number] | null;
}

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/** A window the file proposes, in modality values. */
export interface WindowPreset {
  name: string;
  center: number;
  width: number;
  function: VoiFunction;
}

/** A VOI LUT table: modality value `first + i` -> data[i], out of 2^bits - 1. */
export interface VoiTable {
  name: string;
  first: number;
  bits: number;
  data: Uint16Array;
}

type Transform = { kind: 'linear'; slope: number; intercept: number; unit: 'HU' | null } | { kind: 'lut'; first: number; table: Uint16Array };

/** A LUT's descriptor [entries, first mapped value, bits] and its data (US values or OW words). */
function lutOf(item: NaturalDataset): { first: number; bits: number; table: Uint16Array } | null {
  const descriptor = numbers(item, 'LUTDescriptor');
  if (descriptor === null || descriptor.length < 3) return null;
  const [entries = 0, first = 0, bits = 16] = descriptor;
  const count = entries === 0 ? 65536 : entries;
  const raw = item['LUTData'];
  const listed = numbers(item, 'LUTData');
  const bytes = binary(item, 'LUTData')[0];
  const table =
    listed !== null && Array.isArray(raw) && typeof raw[0] === 'number'
      ? Uint16Array.from(listed)
      : bytes !== undefined
        ? new Uint16Array(bytes.slice().buffer, 0, Math.floor(bytes.length / 2))
        : null;
  if (table === null || table.length < count) return null;
  return { first, bits, table: table.subarray(0, count) };
}

function unitOf(modality: string | null, rescaleType: string | null): 'HU' | null {
  return modality === 'CT' && (rescaleType === null || rescaleType === 'HU') ? 'HU' : null;
}

/** Frame `index`'s modality transform (enhanced images: the Pixel Value Transformation group). */
function transformOf(ds: NaturalDataset, index: number): Transform {
  const modality = text(ds, 'Modality');
  const group = frameGroup(ds, 'PixelValueTransformationSequence', index) ?? ds;
  const slope = number(group, 'RescaleSlope');
  const intercept = number(group, 'RescaleIntercept');
  if (slope !== null || intercept !== null) {
    if (slope === 0) throw new Error('RescaleSlope is 0: every pixel would have the same value');
    return { kind: 'linear', slope: slope ?? 1, intercept: intercept ?? 0, unit: unitOf(modality, text(group, 'RescaleType')) };
  }
  const lut = items(ds, 'ModalityLUTSequence')[0];
  const table = lut === undefined ? null : lutOf(lut);
  if (table !== null) return { kind: 'lut', first: table.first, table: table.table };
  return { kind: 'linear', slope: 1, intercept: 0, unit: unitOf(modality, null) };
}

/** The unit of frame `index`'s modality values: 'HU' for CT rescaled to HU, else null. */
export function valueUnit(ds: NaturalDataset, index: number): 'HU' | null {
  const transform = transformOf(ds, index);
  return transform.kind === 'linear' ? transform.unit : null;
}

/** True when a CT image gives no RescaleSlope/Intercept (its stored values are taken as HU). */
export function missingRescale(ds: NaturalDataset, index: number): boolean {
  const group = frameGroup(ds, 'PixelValueTransformationSequence', index) ?? ds;
  return number(group, 'RescaleSlope') === null && number(group, 'RescaleIntercept') === null && items(ds, 'ModalityLUTSequence').length === 0;
}

/** 8-bit colour -> BT.601 luma, rounded (what the studio shows for PNG colour too). */
function luma(samples: StoredSamples, pixels: number, photometric: FrameLayout['photometric']): Uint8Array {
  const out = new Uint8Array(pixels);
  // Native YBR_FULL already carries luma in its first component.
  if (photometric === 'YBR_FULL') {
    for (let p = 0; p < pixels; p++) out[p] = samples[p * 3]!;
    return out;
  }
  const [wr, wg, wb] = LUMA_BT601;
  for (let p = 0; p < pixels; p++) out[p] = Math.round(wr * samples[p * 3]! + wg * samples[p * 3 + 1]! + wb * samples[p * 3 + 2]!);
  return out;
}

function paddingOf(ds: NaturalDataset, offset: number): [number, number] | null {
  const value = number(ds, 'PixelPaddingValue');
  if (value === null) return null;
  const limit = number(ds, 'PixelPaddingRangeLimit') ?? value;
  return [Math.min(value, limit) + offset, Math.max(value, limit) + offset];
}

/** Unsigned samples from stored ones: signed samples move up by half their range (the scale moves down). */
function unsigned(samples: StoredSamples, bits: 8 | 16): { data: Uint8Array | Uint16Array; offset: number } {
  if (samples instanceof Uint8Array || samples instanceof Uint16Array) return { data: samples, offset: 0 };
  const offset = bits === 8 ? 128 : 32768;
  const data = bits === 8 ? new Uint8Array(samples.length) : new Uint16Array(samples.length);
  for (let i = 0; i < samples.length; i++) data[i] = samples[i]! + offset;
  return { data, offset };
}

function throughLut(samples: StoredSamples, first: number, table: Uint16Array): Uint16Array {
  const out = new Uint16Array(samples.length);
  const last = table.length - 1;
  for (let i = 0; i < samples.length; i++) out[i] = table[Math.min(last, Math.max(0, samples[i]! - first))]!;
  return out;
}

/** Frame `index`'s stored samples as a ModalityImage. */
export function toModalityImage(ds: NaturalDataset, layout: FrameLayout, samples: StoredSamples, index: number): ModalityImage {
  const { rows: height, columns: width } = layout;
  const base = { width, height, inverted: layout.photometric === 'MONOCHROME1' };
  if (layout.samplesPerPixel === 3) {
    if (layout.bitsAllocated !== 8) throw new Error('16-bit colour images are not read by Locus');
    return { ...base, data: luma(samples, width * height, layout.photometric), scale: { slope: 1, intercept: 0, unit: null }, padding: null };
  }
  const transform = transformOf(ds, index);
  if (transform.kind === 'lut') {
    return { ...base, data: throughLut(samples, transform.first, transform.table), scale: { slope: 1, intercept: 0, unit: null }, padding: null };
  }
  const { data, offset } = unsigned(samples, layout.bitsAllocated);
  const scale = { slope: transform.slope, intercept: transform.intercept - transform.slope * offset, unit: transform.unit };
  return { ...base, data, scale, padding: paddingOf(ds, offset) };
}

const VOI_FUNCTIONS: readonly string[] = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'];

/** The windows the file proposes for frame `index` (enhanced images: the Frame VOI LUT group). */
export function windowPresets(ds: NaturalDataset, index: number): WindowPreset[] {
  const group = frameGroup(ds, 'FrameVOILUTSequence', index) ?? ds;
  const centers = numbers(group, 'WindowCenter') ?? [];
  const widths = numbers(group, 'WindowWidth') ?? [];
  const names = texts(group, 'WindowCenterWidthExplanation');
  const fn = text(group, 'VOILUTFunction') ?? 'LINEAR';
  return centers.flatMap((center, i) => {
    const width = widths[i] ?? widths[0];
    if (width === undefined || width < 1) return [];
    return [{ name: names[i] || `File window ${i + 1}`, center, width, function: (VOI_FUNCTIONS.includes(fn) ? fn : 'LINEAR') as VoiFunction }];
  });
}

/** The file's first VOI LUT table, or null. */
export function voiTable(ds: NaturalDataset): VoiTable | null {
  const item = items(ds, 'VOILUTSequence')[0];
  const lut = item === undefined ? null : lutOf(item);
  if (item === undefined || lut === null) return null;
  return { name: text(item, 'LUTExplanation') ?? 'File VOI LUT', first: lut.first, bits: lut.bits, data: lut.table };
}
