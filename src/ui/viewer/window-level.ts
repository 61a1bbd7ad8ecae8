/**
 * Window/level: which range of values is shown as black..white. Values are the image's display
 * units: modality values for DICOM (Hounsfield units for CT, through the image's rescale), the
 * samples themselves for PNG and JPEG; so a CT's window reads W 1500 L -600 as a radiologist
 * expects. MONOCHROME1 images are shown inverted; a DICOM's SIGMOID VOI function is honoured.
 */
import type { DisplayImage, WindowLevel } from './types';

/** The smallest window width allowed (one sample step), so the mapping never divides by 0. */
const MIN_WIDTH = 1;

/** Sample `v` in display units (HU for CT). */
export function sampleValue(image: DisplayImage, v: number): number {
  const scale = image.scale;
  return scale === undefined ? v : v * scale.slope + scale.intercept;
}

/** The unit of the displayed values ('HU'), or '' when they have none. */
export function valueUnit(image: DisplayImage | null): string {
  return image?.scale?.unit ?? '';
}

/** The full range of the data, in display units. */
export function fullRange(image: DisplayImage): WindowLevel {
  if (image.data instanceof Uint8Array && image.scale === undefined) {
    return { level: image.maxValue / 2, width: Math.max(MIN_WIDTH, image.maxValue) };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of image.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { level: image.maxValue / 2, width: Math.max(MIN_WIDTH, image.maxValue) };
  const [a, b] = [sampleValue(image, lo), sampleValue(image, hi)].sort((x, y) => x - y) as [number, number];
  return { level: (a + b) / 2, width: Math.max(MIN_WIDTH, b - a) };
}

/** The window shown first: the DICOM file's own, else 8-bit images over 0..maxValue, deeper ones over their data. */
export function autoWindowLevel(image: DisplayImage): WindowLevel {
  return image.window ?? fullRange(image);
}

/** Display value 0..255 of a value `v` (display units) under `wl`, clamped. */
export function windowSample(v: number, wl: WindowLevel): number {
  const width = Math.max(MIN_WIDTH, wl.width);
  const t = wl.function === 'SIGMOID' ? 1 / (1 + Math.exp((-4 * (v - wl.level)) / width)) : (v - (wl.level - width / 2)) / width;
  return Math.round(Math.min(1, Math.max(0, t)) * 255);
}

/** The 256-entry table of an 8-bit image (its samples through its scale and `wl`, inverted for MONOCHROME1). */
export function windowLut(wl: WindowLevel, image?: DisplayImage): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const g = windowSample(image === undefined ? v : sampleValue(image, v), wl);
    lut[v] = image?.inverted ? 255 - g : g;
  }
  return lut;
}

/** Opaque gray RGBA pixels [h, w, 4] of the image under `wl`. */
export function windowedRgba(image: DisplayImage, wl: WindowLevel): Uint8ClampedArray<ArrayBuffer> {
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  const data = image.data;
  const lut = data instanceof Uint8Array ? windowLut(wl, image) : null;
  // Deeper samples map directly (linear windows) or through windowSample (a sigmoid): a 65536-entry
  // table would cost more to build than it saves on one pass, and window/level drags rebuild it.
  const width = Math.max(MIN_WIDTH, wl.width);
  const { slope, intercept } = image.scale ?? { slope: 1, intercept: 0 };
  const k = (255 * slope) / width;
  const offset = (255 * (intercept - (wl.level - width / 2))) / width;
  const sigmoid = wl.function === 'SIGMOID';
  for (let i = 0; i < n; i++) {
    const v = data[i] ?? 0;
    let g = lut ? (lut[v] ?? 0) : sigmoid ? windowSample(v * slope + intercept, wl) : v * k + offset;
    if (!lut && image.inverted) g = 255 - Math.min(255, Math.max(0, g));
    out[i * 4] = g;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = g;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * Window/level after a ctrl-drag of (dx, dy) screen px from `start`: right widens the window
 * (less contrast), down raises the level (darker image). One screen px moves `span / 512` units.
 * A drag makes the window linear (a file's sigmoid is a starting point, not a constraint).
 */
export function dragWindowLevel(start: WindowLevel, dx: number, dy: number, span: number): WindowLevel {
  const step = Math.max(span, MIN_WIDTH) / 512;
  return { level: start.level + dy * step, width: Math.max(MIN_WIDTH, start.width + dx * step) };
}

/** The value range a drag is scaled to: the image's full range, at least one step. */
export function windowSpan(image: DisplayImage): number {
  return fullRange(image).width;
}
