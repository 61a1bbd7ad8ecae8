/**
 * Window/level: which sample range is shown as black..white. Works in the image's own sample
 * units, so the same numbers apply to 8-bit and 16-bit sources.
 */
import type { DisplayImage, WindowLevel } from './types';

/** The smallest window width allowed (one sample step), so the mapping never divides by 0. */
const MIN_WIDTH = 1;

/** The auto window: 8-bit shows 0..maxValue; deeper images show their actual min..max. */
export function autoWindowLevel(image: DisplayImage): WindowLevel {
  if (image.data instanceof Uint8Array) return { level: image.maxValue / 2, width: Math.max(MIN_WIDTH, image.maxValue) };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of image.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { level: image.maxValue / 2, width: Math.max(MIN_WIDTH, image.maxValue) };
  return { level: (lo + hi) / 2, width: Math.max(MIN_WIDTH, hi - lo) };
}

/** Display value 0..255 of sample `v`: [level - width/2, level + width/2] -> [0, 255], clamped. */
export function windowSample(v: number, wl: WindowLevel): number {
  const width = Math.max(MIN_WIDTH, wl.width);
  const t = (v - (wl.level - width / 2)) / width;
  return Math.round(Math.min(1, Math.max(0, t)) * 255);
}

/** The 256-entry table for 8-bit sources. */
export function windowLut(wl: WindowLevel): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = windowSample(v, wl);
  return lut;
}

/** Opaque gray RGBA pixels [h, w, 4] of the image under `wl`. */
export function windowedRgba(image: DisplayImage, wl: WindowLevel): Uint8ClampedArray<ArrayBuffer> {
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  const data = image.data;
  const lut = data instanceof Uint8Array ? windowLut(wl) : null;
  // 16-bit maps each sample directly: a 65536-entry table would cost more to build than it saves
  // on a single pass, and window/level drags rebuild it every frame.
  const width = Math.max(MIN_WIDTH, wl.width);
  const lo = wl.level - width / 2;
  const k = 255 / width;
  for (let i = 0; i < n; i++) {
    const v = data[i] ?? 0;
    const g = lut ? (lut[v] ?? 0) : (v - lo) * k;
    out[i * 4] = g;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = g;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * Window/level after a ctrl-drag of (dx, dy) screen px from `start`: right widens the window
 * (less contrast), down raises the level (darker image). One screen px moves `span / 512` samples.
 */
export function dragWindowLevel(start: WindowLevel, dx: number, dy: number, span: number): WindowLevel {
  const step = Math.max(span, MIN_WIDTH) / 512;
  return { level: start.level + dy * step, width: Math.max(MIN_WIDTH, start.width + dx * step) };
}

/** The sample range a drag is scaled to: the auto window's width, at least one step. */
export function windowSpan(image: DisplayImage): number {
  return autoWindowLevel(image).width;
}
