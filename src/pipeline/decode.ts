/**
 * PNG and JPEG bytes -> DecodedImage, in pure JS (fast-png, jpeg-js) so node, the worker and the
 * CLI decode alike. The result is what models/locus/data/dataset.py `read_image` gets from Pillow,
 * so preprocessing sees the same codes on both sides:
 * - gray PNG: 8- or 16-bit as stored; 1/2/4-bit gray is scaled to 8-bit codes (0..255);
 * - gray + alpha: the gray channel only;
 * - RGB / RGBA: 8-bit; 16-bit colour keeps the high byte of each sample (Pillow's RGB;16B);
 * - palette: looked up to 8-bit RGB (transparency ignored);
 * - JPEG: gray stays one channel, colour (and CMYK) becomes RGB. JPEG decoders may differ from
 *   libjpeg by a code here and there, so JPEG parity with Python is close, not exact.
 * Also what every input path shares: bytes, a Blob or decoded pixels in (`decodeInput`, with the
 * input named in errors by `decodeNamed`), and a ground-truth mask as 0/1 (`binaryMask`).
 */
import { decode as decodePngRaw } from 'fast-png';
import type { DecodedPng } from 'fast-png';
import { decode as decodeJpegRaw } from 'jpeg-js';
import { fileKind, readImageHeader, unreadableKind } from './file-kind';
import { checkPixelBudget, imageWarnings, type InputWarning } from './input-checks';
import type { DecodedImage } from './types';

export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function asBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** The format from the magic bytes, or null. */
export function sniffFormat(input: Uint8Array | ArrayBuffer): ImageFormat | null {
  const bytes = asBytes(input);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Decode PNG or JPEG bytes. Anything else is refused naming its format ("a TIFF image: ...");
 * an image over the pixel budget is refused from its header, before any pixel is decoded;
 * damaged files say what is wrong ("corrupt PNG: the image data ends early ...").
 */
export function decodeImage(input: Uint8Array | ArrayBuffer): DecodedImage {
  const bytes = asBytes(input);
  const problem = unreadableKind(bytes);
  if (problem !== null) throw new Error(problem);
  checkPixelBudget(readImageHeader(bytes));
  return sniffFormat(bytes) === 'png' ? decodePng(bytes) : decodeJpeg(bytes);
}

/** The library's message, without the trailing colon some give when they have no detail. */
function message(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).trim().replace(/:$/, '');
  return text || 'unreadable data';
}

/** fast-png's messages in words a user can act on. */
function pngProblem(err: unknown): string {
  const text = message(err);
  const crc = /CRC mismatch for chunk (\w+)/.exec(text);
  if (crc) return `a checksum does not match (chunk ${crc[1]}): the file was damaged in transfer or storage`;
  if (/filter: undefined|decompressing|end of (data|file)|out of range/i.test(text)) {
    return 'the image data ends early or does not inflate: the file is truncated or damaged';
  }
  const filter = /Unsupported filter: (\d+)/.exec(text);
  if (filter) return `a row uses filter type ${filter[1]}, which PNG does not define: the file is damaged`;
  return text;
}

/** Samples of depth 1/2/4 packed into bytes, rows padded to a byte -> one value per sample. */
function unpackSamples(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  if (packed.length < rowBytes * height) throw new Error('corrupt PNG: image data is truncated');
  const out = new Uint8Array(width * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Keep `keep` of every `stride` interleaved samples, as 8-bit (16-bit samples keep the high byte). */
function pickChannels(data: Uint8Array | Uint16Array, stride: number, keep: number): Uint8Array {
  const pixels = data.length / stride;
  const out = new Uint8Array(pixels * keep);
  const shift = data instanceof Uint16Array ? 8 : 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < keep; c++) out[p * keep + c] = data[p * stride + c]! >> shift;
  }
  return out;
}

function paletteToRgb(indices: Uint8Array, palette: number[][]): Uint8Array {
  const out = new Uint8Array(indices.length * 3);
  indices.forEach((index, p) => {
    const colour = palette[index];
    if (colour === undefined) throw new Error(`corrupt PNG: palette index ${index} out of range (${palette.length} colours)`);
    out.set(colour.slice(0, 3), p * 3);
  });
  return out;
}

/** fast-png cannot de-interlace samples under 8 bits: refuse them before it decodes garbage. */
function checkPngSupported(bytes: Uint8Array): void {
  // IHDR is the first chunk: bit depth at byte 24, colour type at 25, interlace method at 28.
  const depth = bytes[24]!;
  if (bytes[28] === 1 && depth < 8) {
    const kind = bytes[25] === 3 ? 'palette' : 'gray';
    throw new Error(`unsupported PNG: interlaced (Adam7) ${kind} image with ${depth}-bit samples`);
  }
}

function pngToImage(png: DecodedPng): DecodedImage {
  const { width, height, depth, channels } = png;
  const data = png.data as Uint8Array | Uint16Array;
  if (png.palette !== undefined) {
    const indices = depth < 8 ? unpackSamples(data as Uint8Array, width, height, depth) : (data as Uint8Array);
    return { width, height, channels: 3, bitDepth: 8, data: paletteToRgb(indices, png.palette) };
  }
  if (depth < 8) {
    const scale = 255 / ((1 << depth) - 1);
    const gray = unpackSamples(data as Uint8Array, width, height, depth).map((v) => v * scale);
    return { width, height, channels: 1, bitDepth: 8, data: gray };
  }
  switch (channels) {
    case 1:
      return { width, height, channels: 1, bitDepth: depth === 16 ? 16 : 8, data };
    case 2:
      return { width, height, channels: 1, bitDepth: 8, data: pickChannels(data, 2, 1) };
    case 3:
    case 4:
      return { width, height, channels, bitDepth: 8, data: pickChannels(data, channels, channels) };
    default:
      throw new Error(`unsupported PNG: ${channels} channels`);
  }
}

export function decodePng(input: Uint8Array | ArrayBuffer): DecodedImage {
  const bytes = asBytes(input);
  checkPngSupported(bytes);
  let png: DecodedPng;
  try {
    png = decodePngRaw(bytes, { checkCrc: true });
    if (png.width === 0 || png.height === 0) throw new Error('image has no pixels');
  } catch (err) {
    throw new Error(`corrupt PNG: ${pngProblem(err)}`, { cause: err });
  }
  const image = pngToImage(png);
  if (image.data.length !== image.width * image.height * image.channels) throw new Error('corrupt PNG: image data is truncated');
  return image;
}

/** Number of components in the first SOF segment, or null if none is found. */
function jpegComponents(bytes: Uint8Array): number | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return bytes[i + 9]!;
    i += 2 + length;
  }
  return null;
}

export function decodeJpeg(input: Uint8Array | ArrayBuffer): DecodedImage {
  const bytes = asBytes(input);
  try {
    const raw = decodeJpegRaw(bytes, { useTArray: true, formatAsRGBA: false });
    const { width, height } = raw;
    if (width === 0 || height === 0) throw new Error('image has no pixels');
    if (jpegComponents(bytes) === 1) {
      return { width, height, channels: 1, bitDepth: 8, data: pickChannels(raw.data, 3, 1) };
    }
    return { width, height, channels: 3, bitDepth: 8, data: raw.data };
  } catch (err) {
    throw new Error(`corrupt JPEG: ${message(err)}`, { cause: err });
  }
}

/** Encoded file bytes (PNG/JPEG), a Blob, or pixels already decoded. */
export type ImageInput = Uint8Array | Blob | DecodedImage;

/** Decodes file bytes or a Blob; passes decoded pixels through. */
export async function decodeInput(input: ImageInput): Promise<DecodedImage> {
  if (input instanceof Uint8Array) return decodeImage(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return decodeImage(new Uint8Array(await input.arrayBuffer()));
  return input as DecodedImage;
}

/** Nonzero is lesion (any channel), as models/locus/data/dataset.py read_mask. */
export function binaryMask(mask: DecodedImage): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  const c = mask.channels;
  const colour = Math.min(c, 3);
  for (let i = 0; i < out.length; i++) {
    let on = 0;
    for (let k = 0; k < colour; k++) on |= mask.data[i * c + k] ?? 0;
    out[i] = on > 0 ? 1 : 0;
  }
  return out;
}

/** decodeInput, its error prefixed with `name` (a file name, or what the input is). */
export async function decodeNamed(input: ImageInput, name: string): Promise<DecodedImage> {
  try {
    return await decodeInput(input);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** A decoded input with what its file says about it. */
export interface CheckedImage {
  image: DecodedImage;
  /** Size, aspect and EXIF warnings (decoded pixels given directly have no header: size only). */
  warnings: InputWarning[];
  /** The file was a JPEG (noise in a JPEG ground truth has a known cause). */
  jpeg: boolean;
}

/** decodeNamed, and the header's warnings; reads a Blob once. */
export async function decodeChecked(input: ImageInput, name: string): Promise<CheckedImage> {
  const file = typeof Blob !== 'undefined' && input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input;
  const image = await decodeNamed(file, name);
  const bytes = file instanceof Uint8Array ? file : null;
  const orientation = bytes === null ? 1 : readImageHeader(bytes).orientation;
  return {
    image,
    warnings: imageWarnings({ width: image.width, height: image.height, orientation }),
    jpeg: bytes !== null && fileKind(bytes) === 'jpeg',
  };
}
