/**
 * Where the coarse grid lands on the original image. The [g_h, g_w] grid covers the whole padded
 * S x S frame, and the image occupies its top-left [h', w'] corner, so in image pixels the grid
 * spans [0, S w / w'] x [0, S h / h'] and extends past the image's right/bottom edge whenever
 * the image was padded. Mirrors pipeline/geometry.ts (the UI may not call it at runtime).
 */
import type { Geometry } from '../../pipeline/index';

/** An axis-aligned rectangle in original-image pixels. */
export interface ImageRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Frame -> image scale factors (w / w', h / h'). */
function frameToImageScale(geometry: Geometry): { sx: number; sy: number } {
  const [h, w] = geometry.original;
  const [rh, rw] = geometry.resized;
  return { sx: w / rw, sy: h / rh };
}

/** The whole grid (the S x S frame) in image pixels. */
export function gridImageRect(geometry: Geometry): ImageRect {
  const { sx, sy } = frameToImageScale(geometry);
  return { x: 0, y: 0, width: geometry.inputSize * sx, height: geometry.inputSize * sy };
}

/** Cell (row, col) of a [g_h, g_w] grid in image pixels: frame [c S/g_w, (c+1) S/g_w] x ... scaled. */
export function cellImageRect(row: number, col: number, grid: readonly [number, number], geometry: Geometry): ImageRect {
  const { sx, sy } = frameToImageScale(geometry);
  const s = geometry.inputSize;
  const [gh, gw] = grid;
  const x0 = ((col * s) / gw) * sx;
  const y0 = ((row * s) / gh) * sy;
  return { x: x0, y: y0, width: ((s / gw) * sx), height: ((s / gh) * sy) };
}
