/**
 * The heatmap's colour table, shared by the viewer, the PNG export and the legend so that the
 * three always agree. Inferno is perceptually uniform and stays readable over a grayscale X-ray;
 * low probabilities fade out so that the anatomy under an unlikely region stays visible.
 */

export type Rgb = readonly [number, number, number];

/** Matplotlib's inferno sampled at 10 evenly spaced points (0, 1/9, ..., 1). */
export const COLORMAP_STOPS: readonly Rgb[] = [
  [0x00, 0x00, 0x04],
  [0x1b, 0x0c, 0x42],
  [0x4b, 0x0c, 0x6b],
  [0x78, 0x1c, 0x6d],
  [0xa5, 0x2c, 0x60],
  [0xcf, 0x44, 0x46],
  [0xed, 0x69, 0x25],
  [0xfb, 0x9b, 0x06],
  [0xf7, 0xd1, 0x3d],
  [0xfc, 0xff, 0xa4],
];

/** Below this probability a cell is fully transparent; it reaches full alpha at ALPHA_FULL. */
const ALPHA_START = 0.15;
const ALPHA_FULL = 0.7;

function clamp01(t: number): number {
  return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
}

/** Colour of probability `t` (clamped to [0, 1]), linearly interpolated between the stops. */
export function colormapRgb(t: number): Rgb {
  const last = COLORMAP_STOPS.length - 1;
  const pos = clamp01(t) * last;
  const i = Math.min(last - 1, Math.floor(pos));
  const f = pos - i;
  const a = COLORMAP_STOPS[i] as Rgb;
  const b = COLORMAP_STOPS[i + 1] as Rgb;
  const mix = (c: 0 | 1 | 2): number => Math.round(a[c] + (b[c] - a[c]) * f);
  return [mix(0), mix(1), mix(2)];
}

/** Alpha (0..1) of probability `t`: a smooth ramp from ALPHA_START to ALPHA_FULL. */
export function heatmapAlpha(t: number): number {
  const x = clamp01((clamp01(t) - ALPHA_START) / (ALPHA_FULL - ALPHA_START));
  return x * x * (3 - 2 * x);
}

/** CSS colour of probability `t`, opaque (for the legend's swatches and the diagram's shading). */
export function colormapCss(t: number): string {
  const [r, g, b] = colormapRgb(t);
  return `rgb(${r} ${g} ${b})`;
}

/** RGBA pixels [g_h, g_w, 4] of a probability grid, alpha from `heatmapAlpha`. */
export function heatmapRgba(probabilities: Float32Array, cells: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(cells * 4);
  for (let i = 0; i < cells; i++) {
    const p = probabilities[i] ?? 0;
    const [r, g, b] = colormapRgb(p);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = Math.round(heatmapAlpha(p) * 255);
  }
  return out;
}
