/**
 * Shared pipeline types: decoded pixels and the three coordinate spaces.
 *
 * Points in different spaces get distinct (branded) types so that a point in original-image
 * pixels cannot be passed where a model-input frame point is expected; `geometry.ts` is the one
 * place that converts between them (shared/docs/style.md rule 9).
 */
import type { Size2d } from './contract';

/** Decoded pixels, row-major with interleaved channels: data[(y * width + x) * channels + c]. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 gray, 3 RGB, 4 RGBA (alpha is ignored by preprocessing). */
  channels: 1 | 3 | 4;
  bitDepth: 8 | 16;
  /** Uint8Array for bitDepth 8, Uint16Array for bitDepth 16. */
  data: Uint8Array | Uint16Array;
}

declare const imageSpace: unique symbol;
declare const frameSpace: unique symbol;
declare const gridSpace: unique symbol;

/**
 * Continuous pixel coordinates of the original image: (0, 0) is the top-left corner of the
 * top-left pixel, so pixel (row i, column j) has its centre at (j + 0.5, i + 0.5).
 */
export interface ImagePoint {
  readonly x: number;
  readonly y: number;
  readonly [imageSpace]: true;
}

/** Continuous pixel coordinates of the padded S x S model input (same corner convention). */
export interface FramePoint {
  readonly x: number;
  readonly y: number;
  readonly [frameSpace]: true;
}

/** A cell of the coarse g_h x g_w grid (integer indices). */
export interface GridCell {
  readonly row: number;
  readonly col: number;
  readonly [gridSpace]: true;
}

export function imagePoint(x: number, y: number): ImagePoint {
  return { x, y } as ImagePoint;
}

export function framePoint(x: number, y: number): FramePoint {
  return { x, y } as FramePoint;
}

export function gridCell(row: number, col: number): GridCell {
  return { row, col } as GridCell;
}

/**
 * Where the image sits in the model input: the original [h, w] was resized to [h', w'] and
 * placed at the top-left of the padded S x S frame.
 */
export interface Geometry {
  /** [h, w] of the decoded image. */
  original: Size2d;
  /** [h', w'] of the image inside the frame. */
  resized: Size2d;
  /** S, the side of the square model input. */
  inputSize: number;
}
