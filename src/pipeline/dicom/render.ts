/**
 * A DICOM frame's modality values -> the image a bundle expects (manifest `expected_input`,
 * models/README.md section 1), and -> the gray samples the viewer shows. The model input is 8-bit:
 * - `window`: DICOM's VOI LUT Function LINEAR on the modality values (HU for CT), PS3.3
 *   C.11.2.1.2.1: x <= c - 0.5 - (w - 1) / 2 -> 0; x > c - 0.5 + (w - 1) / 2 -> 255; else
 *   ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, rounded half up. The photometric interpretation does
 *   not enter: Hounsfield units say what is dense whatever way a viewer would show them.
 * - `full-range`: the lowest modality value (pixel padding left out) -> 0, the highest -> 255,
 *   MONOCHROME1 inverted (bone white, as the radiographs the model saw); padding -> 0.
 */
import type { ExpectedInput, WindowMapping } from '../contract';
import type { GrayImage } from '../display';
import { significantBits } from '../preprocess';
import type { DecodedImage } from '../types';
import type { ModalityImage } from './modality';

/** VOI LUT Function LINEAR of `x` with `center`/`width` onto 0..255, rounded half up. */
export function linearWindow(x: number, center: number, width: number): number {
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  if (x <= low) return 0;
  if (x > high) return 255;
  return Math.floor(((x - (center - 0.5)) / (width - 1) + 0.5) * 255 + 0.5);
}

function isPadding(v: number, padding: ModalityImage['padding']): boolean {
  return padding !== null && v >= padding[0] && v <= padding[1];
}

function renderWindow(image: ModalityImage, mapping: WindowMapping): Uint8Array {
  const { data, scale } = image;
  // One table entry per possible sample: a 16-bit image costs 65536 evaluations, not one per pixel.
  const size = data instanceof Uint8Array ? 256 : 65536;
  const table = new Uint8Array(size);
  for (let v = 0; v < size; v++) table[v] = linearWindow(v * scale.slope + scale.intercept, mapping.center, mapping.width);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]!]!;
  return out;
}

function renderFullRange(image: ModalityImage): Uint8Array {
  const { data, scale, padding, inverted } = image;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (isPadding(v, padding)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Uint8Array(data.length);
  if (!Number.isFinite(lo) || hi === lo) return out;
  // Modality values are a linear function of the samples: a negative slope swaps the ends.
  const [dark, bright] = scale.slope > 0 ? [lo, hi] : [hi, lo];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (isPadding(v, padding)) continue;
    const t = (v - dark) / (bright - dark);
    out[i] = Math.floor((inverted ? 1 - t : t) * 255 + 0.5);
  }
  return out;
}

/** The 8-bit gray image `expected` describes, made from a DICOM frame's modality values. */
export function renderExpected(image: ModalityImage, expected: ExpectedInput): DecodedImage {
  const data = expected.mapping.kind === 'window' ? renderWindow(image, expected.mapping) : renderFullRange(image);
  return { width: image.width, height: image.height, channels: 1, bitDepth: 8, data };
}

/** The viewer's gray samples of a DICOM frame: its unsigned samples with their scale to modality values. */
export function displayImage(image: ModalityImage): GrayImage {
  const { width, height, data, scale, inverted } = image;
  const maxValue = data instanceof Uint16Array ? 2 ** significantBits(data) - 1 : 255;
  return { width, height, data: data.slice(), maxValue, scale: { ...scale }, inverted };
}
