/**
 * Decoded pixels -> one gray sample per pixel for display, and a binary mask -> PNG bytes. Gray
 * follows the preprocessing (luminance-bt601 for colour, the significant-bits rule for 16-bit
 * samples) so the studio shows what the model reads; 16-bit samples stay 16-bit for window/level.
 */
import { encode as encodePng } from 'fast-png';
import type { ValueScale, VoiFunction } from './dicom/modality';
import { LUMA_BT601, significantBits } from './preprocess';
import type { DecodedImage } from './types';

/** What the viewer paints: gray samples, row-major [height, width]. */
export interface GrayImage {
  width: number;
  height: number;
  /** Uint16Array for 16-bit sources, else Uint8Array. */
  data: Uint8Array | Uint16Array;
  /** The largest code the content can hold: 255, or 2^bits - 1 for 16-bit samples (4095 for 12-bit). */
  maxValue: number;
  /** DICOM: sample -> modality value (HU for CT); absent for PNG and JPEG, whose samples are the values. */
  scale?: ValueScale;
  /** DICOM MONOCHROME1: higher values are shown darker. */
  inverted?: boolean;
  /** DICOM: the window to show first (the file's first VOI window), in modality values. */
  window?: { level: number; width: number; function: VoiFunction };
}

/** Gray samples of `image` (a copy: the decoded pixels stay with their owner). */
export function toGrayImage(image: DecodedImage): GrayImage {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new Error(`decoded image holds ${data.length} values, expected ${width}x${height}x${channels}`);
  }
  if (channels === 1) {
    const maxValue = data instanceof Uint16Array ? 2 ** significantBits(data) - 1 : 255;
    return { width, height, data: data.slice(), maxValue };
  }
  const [wr, wg, wb] = LUMA_BT601;
  const gray = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < gray.length; i++, j += channels) {
    gray[i] = Math.round(wr * data[j]! + wg * data[j + 1]! + wb * data[j + 2]!);
  }
  return { width, height, data: gray, maxValue: 255 };
}

/**
 * A small 8-bit preview of `image` (box-averaged so its longest side is at most `maxSide`), its
 * full range [0, maxValue] mapped to [0, 255]: what a thumbnail of a 12- or 16-bit file should show.
 */
export function previewGray(image: GrayImage, maxSide: number): GrayImage {
  const { width, height, data, maxValue } = image;
  const step = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.ceil(width / step);
  const h = Math.ceil(height / step);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let yy = y * step; yy < Math.min(height, (y + 1) * step); yy++) {
        for (let xx = x * step; xx < Math.min(width, (x + 1) * step); xx++, count++) sum += data[yy * width + xx]!;
      }
      out[y * w + x] = Math.round((255 * sum) / (count * maxValue));
    }
  }
  return { width: w, height: h, data: out, maxValue: 255 };
}

/** A 0/1 mask [height, width] as an 8-bit gray PNG (0 background, 255 lesion). */
export function encodeMaskPng(mask: Uint8Array, width: number, height: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`mask holds ${mask.length} pixels, expected ${width}x${height}`);
  const data = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) data[i] = mask[i] !== 0 ? 255 : 0;
  return encodePng({ width, height, data, channels: 1, depth: 8 });
}
