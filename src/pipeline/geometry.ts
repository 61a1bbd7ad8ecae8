/**
 * The one place that converts points between coordinate spaces (models/README.md section 5):
 * original image pixels <-> padded model-input frame, and coarse-grid cells -> frame.
 */
import type { Size2d } from './contract';
import { framePoint, imagePoint } from './types';
import type { FramePoint, Geometry, GridCell, ImagePoint } from './types';

/** Original-image point -> frame point: (x w'/w, y h'/h). */
export function imageToFrame(point: ImagePoint, geometry: Geometry): FramePoint {
  const [h, w] = geometry.original;
  const [rh, rw] = geometry.resized;
  return framePoint((point.x * rw) / w, (point.y * rh) / h);
}

/** Frame point -> original-image point; the inverse of imageToFrame (may land in the padding). */
export function frameToImage(point: FramePoint, geometry: Geometry): ImagePoint {
  const [h, w] = geometry.original;
  const [rh, rw] = geometry.resized;
  return imagePoint((point.x * w) / rw, (point.y * h) / rh);
}

/** Centre of cell (r, c) of a [g_h, g_w] grid over the S x S frame: ((c + 0.5) S / g_w, (r + 0.5) S / g_h). */
export function cellToFrame(cell: GridCell, grid: Size2d, inputSize: number): FramePoint {
  // Same operation order as points.py cell_to_frame, so the float32 slots match bit for bit.
  return framePoint(((cell.col + 0.5) * inputSize) / grid[1], ((cell.row + 0.5) * inputSize) / grid[0]);
}

/** True when a frame point lies on the resized image rather than in the padding. */
export function frameInsideImage(point: FramePoint, geometry: Geometry): boolean {
  const [rh, rw] = geometry.resized;
  return point.x >= 0 && point.y >= 0 && point.x <= rw && point.y <= rh;
}
