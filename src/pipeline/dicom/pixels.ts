/**
 * The Image Pixel module: the sample layout a file declares (checked before anything is decoded)
 * and one frame's samples as stored, from native pixel data or through the codecs. Stored
 * samples keep BitsStored bits: bits above HighBit are masked off and signed samples are
 * sign-extended from their own width (12-bit CT in 16-bit words).
 */
import { checkPixelBudget } from '../input-checks';
import { decodeCompressed, type CodecOptions, type PixelLayout, type StoredSamples } from './codecs';
import { binary, number, text, type NaturalDataset } from './dataset';
import { requireReadable, type TransferSyntax } from './syntax';

/** YBR_* colour is decoded to RGB by the codecs (JPEG, JPEG 2000); native YBR_FULL is used through its Y. */
export type Photometric = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB' | 'YBR_FULL' | 'YBR_FULL_422' | 'YBR_RCT' | 'YBR_ICT';

export interface FrameLayout extends PixelLayout {
  bitsStored: number;
  highBit: number;
  photometric: Photometric;
  /** PlanarConfiguration 1: colour planes one after the other (native data only). */
  planar: boolean;
  frames: number;
}

const PHOTOMETRICS: readonly string[] = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT'];

function required(ds: NaturalDataset, key: string): number {
  const value = number(ds, key);
  if (value === null) throw new Error(`the image has no ${key}: it is incomplete`);
  return value;
}

function photometricOf(ds: NaturalDataset, samples: number): Photometric {
  const value = text(ds, 'PhotometricInterpretation') ?? (samples === 1 ? 'MONOCHROME2' : 'RGB');
  if (value === 'PALETTE COLOR') throw new Error('a palette-colour image (PALETTE COLOR): Locus reads grayscale and RGB images');
  if (!PHOTOMETRICS.includes(value)) throw new Error(`photometric interpretation ${value} is not read by Locus (grayscale or RGB only)`);
  return value as Photometric;
}

/** The declared layout; throws naming what Locus does not read (1- or 32-bit samples, palettes, > 20 MP). */
export function frameLayout(ds: NaturalDataset): FrameLayout {
  if (ds['FloatPixelData'] !== undefined || ds['DoubleFloatPixelData'] !== undefined) {
    throw new Error('floating-point pixel data (parametric maps) is not read by Locus');
  }
  const rows = required(ds, 'Rows');
  const columns = required(ds, 'Columns');
  checkPixelBudget({ width: columns, height: rows });
  const samples = number(ds, 'SamplesPerPixel') ?? 1;
  if (samples !== 1 && samples !== 3) throw new Error(`${samples} samples per pixel: Locus reads 1 (gray) or 3 (colour)`);
  const bitsAllocated = required(ds, 'BitsAllocated');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new Error(`${bitsAllocated}-bit samples (BitsAllocated): Locus reads 8- and 16-bit images`);
  }
  const bitsStored = number(ds, 'BitsStored') ?? bitsAllocated;
  const highBit = number(ds, 'HighBit') ?? bitsStored - 1;
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit !== bitsStored - 1) {
    throw new Error(`BitsStored ${bitsStored} / HighBit ${highBit} in ${bitsAllocated}-bit words are not read by Locus (samples must sit in the low bits)`);
  }
  return {
    rows,
    columns,
    samplesPerPixel: samples,
    bitsAllocated,
    bitsStored,
    highBit,
    signed: number(ds, 'PixelRepresentation') === 1,
    photometric: photometricOf(ds, samples),
    planar: number(ds, 'PlanarConfiguration') === 1,
    frames: Math.max(1, number(ds, 'NumberOfFrames') ?? 1),
  };
}

function frameBytes(layout: FrameLayout): number {
  return layout.rows * layout.columns * layout.samplesPerPixel * (layout.bitsAllocated / 8);
}

function typedView(bytes: Uint8Array, layout: FrameLayout): StoredSamples {
  const copy = bytes.slice();
  if (layout.bitsAllocated === 8) return layout.signed ? new Int8Array(copy.buffer) : copy;
  return layout.signed ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
}

/** Keeps BitsStored bits: masks the rest off, sign-extending signed samples. */
function keepStoredBits(samples: StoredSamples, layout: FrameLayout): StoredSamples {
  const { bitsStored, bitsAllocated, signed } = layout;
  if (bitsStored === bitsAllocated) return samples;
  const mask = (1 << bitsStored) - 1;
  const sign = 1 << (bitsStored - 1);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]! & mask;
    samples[i] = signed && v & sign ? v - (1 << bitsStored) : v;
  }
  return samples;
}

/** Colour planes (RRR...GGG...BBB) -> interleaved (RGBRGB...). */
function interleave(samples: StoredSamples, pixels: number): StoredSamples {
  const out = new (samples.constructor as new (n: number) => StoredSamples)(samples.length);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = samples[c * pixels + p]!;
  return out;
}

function nativeFrame(data: Uint8Array[], layout: FrameLayout, index: number): StoredSamples {
  const size = frameBytes(layout);
  const all = data.length === 1 ? data[0]! : concat(data);
  const start = index * size;
  if (all.length < start + size) {
    throw new Error(`the pixel data ends early: frame ${index + 1} needs bytes ${start}..${start + size}, the file holds ${all.length}`);
  }
  const samples = typedView(all.subarray(start, start + size), layout);
  return layout.planar && layout.samplesPerPixel === 3 ? interleave(samples, layout.rows * layout.columns) : samples;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
}

/** True where a fragment starts a JPEG (SOI) or JPEG 2000 (SOC) codestream. */
function startsCodestream(fragment: Uint8Array): boolean {
  return fragment[0] === 0xff && (fragment[1] === 0xd8 || fragment[1] === 0x4f);
}

/**
 * Encapsulated fragments -> one byte string per frame. dcmjs already joins a frame's fragments
 * when the offset table is there; without it, fragments are grouped at each codestream start.
 */
export function encapsulatedFrames(fragments: Uint8Array[], frames: number): Uint8Array[] {
  if (fragments.length === frames) return fragments;
  if (frames === 1) return [concat(fragments)];
  const grouped: Uint8Array[][] = [];
  for (const fragment of fragments) {
    if (grouped.length === 0 || startsCodestream(fragment)) grouped.push([fragment]);
    else grouped.at(-1)!.push(fragment);
  }
  if (grouped.length !== frames) {
    throw new Error(`the compressed pixel data holds ${grouped.length} frame(s), NumberOfFrames says ${frames}`);
  }
  return grouped.map(concat);
}

/** Frame `index` (0-based) of the file's pixel data, as stored. */
export async function readFrame(
  ds: NaturalDataset,
  syntax: TransferSyntax,
  layout: FrameLayout,
  index: number,
  options: CodecOptions,
): Promise<StoredSamples> {
  if (index < 0 || index >= layout.frames) throw new Error(`frame ${index + 1} does not exist (the image has ${layout.frames})`);
  const encoding = requireReadable(syntax);
  const data = binary(ds, 'PixelData');
  if (data.length === 0) throw new Error('the file has no pixel data');
  const samples =
    encoding === 'native'
      ? nativeFrame(data, layout, index)
      : await decodeCompressed(encoding, encapsulatedFrames(data, layout.frames)[index]!, layout, options);
  return keepStoredBits(samples, layout);
}
