/**
 * Image preprocessing, a port of models/locus/data/preprocess.py (spec: models/README.md section 3).
 *
 * All arithmetic in float64; the model input is cast to float32 once at the end. The resize keeps
 * only the non-zero filter taps and sums them in ascending input order, which is what the dense
 * numpy matrix product computes up to the last bits (BLAS may associate differently).
 */
import type { IntensityWindow, PreprocessSpec, Size2d } from './contract';
import type { DecodedImage, Geometry } from './types';

/** BT.601 luma weights for R, G, B. */
export const LUMA_BT601 = [0.299, 0.587, 0.114] as const;

/** A float64 single-channel image, row-major: data[y * width + x]. */
export interface Plane {
  height: number;
  width: number;
  data: Float64Array;
}

export interface Preprocessed {
  /** float32 [1, 1, S, S], C order. */
  tensor: Float32Array;
  geometry: Geometry;
}

/** The largest code's bit length, at least 8 (the `significant-bits` rule). */
export function significantBits(data: Uint16Array): number {
  let max = 0;
  for (const v of data) if (v > max) max = v;
  return Math.max(8, max === 0 ? 0 : 32 - Math.clz32(max));
}

/** Channels and bit depth: decoded pixels -> gray in [0, 1] (luminance-bt601, significant-bits). */
export function toGray(image: DecodedImage): Plane {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new Error(`decoded image holds ${data.length} values, expected ${width}x${height}x${channels}`);
  }
  const maxCode = data instanceof Uint16Array ? 2 ** significantBits(data) - 1 : 255;
  const out = new Float64Array(width * height);
  if (channels === 1) {
    for (let i = 0; i < out.length; i++) out[i] = data[i]! / maxCode;
  } else {
    const [wr, wg, wb] = LUMA_BT601;
    for (let i = 0, j = 0; i < out.length; i++, j += channels) {
      out[i] = (wr * data[j]! + wg * data[j + 1]! + wb * data[j + 2]!) / maxCode;
    }
  }
  return { height, width, data: out };
}

/** [h', w'] after scaling the longest side to `longestSide` (floor-half-up, at least 1). */
export function resizedShape(height: number, width: number, longestSide: number): Size2d {
  const scale = longestSide / Math.max(height, width);
  return [Math.max(1, Math.floor(height * scale + 0.5)), Math.max(1, Math.floor(width * scale + 0.5))];
}

/** The non-zero taps of one output sample: weights for inputs first .. first + weights.length - 1. */
export interface FilterTaps {
  first: number;
  weights: Float64Array;
}

/**
 * Row-normalised triangle-filter weights for sizeIn -> sizeOut samples, as sparse taps per output.
 *
 * Output o sits at input coordinate c = (o + 0.5) * sizeIn / sizeOut - 0.5; support
 * r = max(sizeIn / sizeOut, 1); input i gets max(0, 1 - |i - c| / r), divided by the row sum.
 */
export function linearWeights(sizeIn: number, sizeOut: number): FilterTaps[] {
  const ratio = sizeIn / sizeOut;
  const support = Math.max(ratio, 1.0);
  const taps: FilterTaps[] = [];
  for (let o = 0; o < sizeOut; o++) {
    const centre = (o + 0.5) * ratio - 0.5;
    // Only inputs strictly inside the support have a non-zero weight; skipping the zero ones
    // changes no sum (numpy adds exact zeros there) and halves the work when enlarging.
    const first = Math.max(0, Math.floor(centre - support) + 1);
    const last = Math.min(sizeIn - 1, Math.ceil(centre + support) - 1);
    const weights = new Float64Array(last - first + 1);
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const w = Math.max(0.0, 1.0 - Math.abs(i - centre) / support);
      weights[i - first] = w;
      sum += w;
    }
    for (let t = 0; t < weights.length; t++) weights[t] = weights[t]! / sum;
    taps.push({ first, weights });
  }
  return taps;
}

/** Taps flattened into typed arrays: output o uses weights[start[o] .. start[o + 1]) on inputs first[o] ... */
export interface FlatTaps {
  first: Int32Array;
  start: Int32Array;
  weights: Float64Array;
}

function flattenTaps(taps: FilterTaps[]): FlatTaps {
  const start = new Int32Array(taps.length + 1);
  taps.forEach((tap, o) => (start[o + 1] = start[o]! + tap.weights.length));
  const weights = new Float64Array(start[taps.length]!);
  taps.forEach((tap, o) => weights.set(tap.weights, start[o]!));
  return { first: Int32Array.from(taps, (tap) => tap.first), start, weights };
}

/** Flattened taps per (sizeIn, sizeOut): every re-run resizes between the same sizes. */
const TAP_CACHE = new Map<string, FlatTaps>();
const TAP_CACHE_LIMIT = 16;

export function cachedTaps(sizeIn: number, sizeOut: number): FlatTaps {
  const key = `${sizeIn}>${sizeOut}`;
  let taps = TAP_CACHE.get(key);
  if (taps === undefined) {
    if (TAP_CACHE.size >= TAP_CACHE_LIMIT) TAP_CACHE.delete(TAP_CACHE.keys().next().value!);
    taps = flattenTaps(linearWeights(sizeIn, sizeOut));
    TAP_CACHE.set(key, taps);
  }
  return taps;
}

/** rows @ image: [height, inW], float64. */
function resizeRows(plane: Plane, height: number): Float64Array {
  const { width: inW, data } = plane;
  const rows = cachedTaps(plane.height, height);
  const tmp = new Float64Array(height * inW);
  for (let o = 0; o < height; o++) {
    const dst = o * inW;
    for (let t = rows.start[o]!, src = rows.first[o]! * inW; t < rows.start[o + 1]!; t++, src += inW) {
      const w = rows.weights[t]!;
      for (let x = 0; x < inW; x++) tmp[dst + x] = tmp[dst + x]! + w * data[src + x]!;
    }
  }
  return tmp;
}

/**
 * (rows @ image) @ cols.T into `out` [height, width]: the values themselves, or, with a
 * threshold, 1 where the value exceeds it and 0 elsewhere (the same sums, never stored as float64).
 */
function resizeColumns(tmp: Float64Array, inW: number, height: number, width: number, out: Float64Array | Uint8Array, threshold: number | null): void {
  const cols = cachedTaps(inW, width);
  for (let o = 0; o < height; o++) {
    const src = o * inW;
    for (let p = 0; p < width; p++) {
      const base = src + cols.first[p]! - cols.start[p]!;
      let acc = 0;
      for (let t = cols.start[p]!; t < cols.start[p + 1]!; t++) acc += cols.weights[t]! * tmp[base + t]!;
      out[o * width + p] = threshold === null ? acc : acc > threshold ? 1 : 0;
    }
  }
}

/**
 * Resize a plane to [height, width]: rows first, then columns (float64), like numpy's
 * (rows @ image) @ cols.T with the zero weights skipped (same terms, same order).
 */
export function resizeLinear(plane: Plane, height: number, width: number): Plane {
  const out = new Float64Array(height * width);
  resizeColumns(resizeRows(plane, height), plane.width, height, width, out, null);
  return { height, width, data: out };
}

/** resizeLinear then `value > threshold`, as 0/1, without the float64 result (the final mask of every re-run). */
export function resizeLinearAbove(plane: Plane, height: number, width: number, threshold: number): Uint8Array {
  const out = new Uint8Array(height * width);
  resizeColumns(resizeRows(plane, height), plane.width, height, width, out, threshold);
  return out;
}

/** Optional intensity window on [0, 1] values: clip((v - (center - width / 2)) / width, 0, 1). */
export function applyWindow(gray: Plane, window: IntensityWindow | null): Plane {
  if (window === null) return gray;
  const low = window.center - window.width / 2.0;
  const data = gray.data.map((v) => Math.min(1.0, Math.max(0.0, (v - low) / window.width)));
  return { height: gray.height, width: gray.width, data };
}

/** Top-left [rows, cols] of a plane. */
export function cropPlane(plane: Plane, rows: number, cols: number): Plane {
  const data = new Float64Array(rows * cols);
  for (let y = 0; y < rows; y++) data.set(plane.data.subarray(y * plane.width, y * plane.width + cols), y * cols);
  return { height: rows, width: cols, data };
}

/** Decoded pixels -> padded, normalised model input float32 [1, 1, S, S] and its geometry. */
export function preprocess(image: DecodedImage, spec: PreprocessSpec): Preprocessed {
  const size = spec.input_size;
  const mean = spec.mean[0] ?? 0;
  const std = spec.std[0] ?? 1;
  const gray = applyWindow(toGray(image), spec.window);
  // preprocess.py scales to input_size (the manifest repeats it as resize.longest_side).
  const [rh, rw] = resizedShape(gray.height, gray.width, size);
  const resized = resizeLinear(gray, rh, rw);
  const tensor = new Float32Array(size * size).fill(spec.pad.value);
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) tensor[y * size + x] = (resized.data[y * rw + x]! - mean) / std;
  }
  return { tensor, geometry: { original: [gray.height, gray.width], resized: [rh, rw], inputSize: size } };
}
