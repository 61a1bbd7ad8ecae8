/**
 * Compressed DICOM frames -> samples as stored, through maintained codec packages only:
 * jpeg-js (JPEG baseline/extended, 8-bit), jpeg-lossless-decoder-js (JPEG Lossless, Process 14),
 * and the cornerstonejs WebAssembly builds of CharLS (JPEG-LS) and OpenJPEG (JPEG 2000). The
 * WebAssembly codecs load on first use; a browser build says where their .wasm files are
 * (`locateWasm`), node finds them beside their .js.
 */
import { decode as decodeJpegJs } from 'jpeg-js';
import type { PixelEncoding } from './syntax';

/** Samples as stored in the file (before the modality transform), interleaved when colour. */
export type StoredSamples = Uint8Array | Int8Array | Uint16Array | Int16Array;

export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  /** PixelRepresentation 1: two's complement samples. */
  signed: boolean;
}

export interface CodecOptions {
  /** The URL of a codec's .wasm file by its name (browser builds); omitted in node. */
  locateWasm?: (file: string) => string;
}

/** A new object per module: emscripten builds its Module on the object it is given. */
function emscriptenOptions(options: CodecOptions) {
  const locate = options.locateWasm;
  const quiet = { print: () => undefined, printErr: () => undefined };
  return locate === undefined ? quiet : { ...quiet, locateFile: (file: string) => locate(file) };
}

let charls: Promise<CharLSModule> | null = null;
let openjpeg: Promise<OpenJPEGModule> | null = null;

async function charlsModule(options: CodecOptions): Promise<CharLSModule> {
  charls ??= import('@cornerstonejs/codec-charls/decodewasmjs').then((m) => m.default(emscriptenOptions(options)));
  return charls;
}

async function openjpegModule(options: CodecOptions): Promise<OpenJPEGModule> {
  openjpeg ??= import('@cornerstonejs/codec-openjpeg/decodewasmjs').then((m) => m.default(emscriptenOptions(options)));
  return openjpeg;
}

/** Typed samples over a copy of `bytes`, by sample size and sign. */
function typed(bytes: Uint8Array, bits: 8 | 16, signed: boolean): StoredSamples {
  const copy = bytes.slice();
  if (bits === 8) return signed ? new Int8Array(copy.buffer) : copy;
  return signed ? new Int16Array(copy.buffer, 0, copy.length >> 1) : new Uint16Array(copy.buffer, 0, copy.length >> 1);
}

function checkSize(codec: string, info: { width: number; height: number; components: number }, layout: PixelLayout): void {
  if (info.width !== layout.columns || info.height !== layout.rows || info.components !== layout.samplesPerPixel) {
    throw new Error(
      `the ${codec} frame is ${info.width}x${info.height} with ${info.components} component(s), the header says ` +
        `${layout.columns}x${layout.rows} with ${layout.samplesPerPixel}: the file is inconsistent`,
    );
  }
}

/** A WebAssembly decoder run: copy in, decode, copy out, free (its buffers live in WASM memory). */
function runWasm(codec: string, decoder: WasmDecoder, frame: Uint8Array, layout: PixelLayout): StoredSamples {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    checkSize(codec, { width: info.width, height: info.height, components: info.componentCount }, layout);
    const bits = info.bitsPerSample > 8 ? 16 : 8;
    if (bits !== layout.bitsAllocated) {
      throw new Error(`the ${codec} frame has ${info.bitsPerSample}-bit samples, the header allocates ${layout.bitsAllocated}`);
    }
    return typed(decoder.getDecodedBuffer(), bits, layout.signed);
  } finally {
    decoder.delete();
  }
}

/** The sample precision of a JPEG's first frame header (SOFn), or null. */
function jpegPrecision(frame: Uint8Array): number | null {
  for (let i = 2; i + 4 < frame.length; ) {
    if (frame[i] !== 0xff) return null;
    const marker = frame[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return frame[i + 4]!;
    i += 2 + ((frame[i + 2]! << 8) | frame[i + 3]!);
  }
  return null;
}

function decodeBaseline(frame: Uint8Array, layout: PixelLayout): StoredSamples {
  const precision = jpegPrecision(frame);
  if (precision !== 8) {
    throw new Error(`the JPEG frames hold ${precision ?? 'unknown'}-bit samples: jpeg-js decodes 8-bit JPEG only (12-bit JPEG Extended is refused)`);
  }
  const raw = decodeJpegJs(frame, { useTArray: true, formatAsRGBA: false });
  checkSize('JPEG', { width: raw.width, height: raw.height, components: layout.samplesPerPixel }, layout);
  if (layout.samplesPerPixel === 3) return raw.data;
  const gray = new Uint8Array(raw.width * raw.height);
  for (let i = 0; i < gray.length; i++) gray[i] = raw.data[i * 3]!;
  return gray;
}

async function decodeLossless(frame: Uint8Array, layout: PixelLayout): Promise<StoredSamples> {
  const { Decoder } = await import('jpeg-lossless-decoder-js');
  const copy = frame.slice();
  const decoded = new Decoder().decode(copy.buffer, 0, copy.length);
  const bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  const bits = decoded instanceof Uint16Array ? 16 : 8;
  const expected = layout.rows * layout.columns * layout.samplesPerPixel;
  if (decoded.length !== expected) {
    throw new Error(`the JPEG Lossless frame holds ${decoded.length} samples, the header says ${expected}`);
  }
  if (bits !== layout.bitsAllocated) throw new Error(`the JPEG Lossless frame has ${bits}-bit samples, the header allocates ${layout.bitsAllocated}`);
  return typed(bytes, bits, layout.signed);
}

/** One compressed frame -> its samples as stored; a damaged stream says which codec failed. */
export async function decodeCompressed(
  encoding: Exclude<PixelEncoding, 'native'>,
  frame: Uint8Array,
  layout: PixelLayout,
  options: CodecOptions = {},
): Promise<StoredSamples> {
  const name = { 'jpeg-baseline': 'JPEG', 'jpeg-lossless': 'JPEG Lossless', 'jpeg-ls': 'JPEG-LS', 'jpeg-2000': 'JPEG 2000' }[encoding];
  try {
    switch (encoding) {
      case 'jpeg-baseline':
        return decodeBaseline(frame, layout);
      case 'jpeg-lossless':
        return await decodeLossless(frame, layout);
      case 'jpeg-ls':
        return runWasm(name, new (await charlsModule(options)).JpegLSDecoder(), frame, layout);
      case 'jpeg-2000':
        return runWasm(name, new (await openjpegModule(options)).J2KDecoder(), frame, layout);
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : `decoder error ${String(error)}`;
    throw new Error(why.startsWith('the ') ? why : `the ${name} data does not decode (${why}): the file is damaged`, { cause: error });
  }
}
