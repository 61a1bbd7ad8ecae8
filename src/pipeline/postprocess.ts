/**
 * From decoder outputs back to the original image (models/README.md section 5, "Final mask"), as
 * models/locus/data/preprocess.py `logits_to_original` and locus/infer.py do it: a grid that covers
 * the padded S x S frame is resized to S x S, cropped to the image's h' x w', and resized to the
 * original h x w, all with the preprocessing resize.
 */
import { resizeMaskAbove } from './mask-resize';
import { cropPlane, resizeLinear } from './preprocess';
import type { Plane } from './preprocess';
import type { Geometry } from './types';

/**
 * Any row-major [gridH, gridW] grid over the padded frame (mask logits, coarse logits or
 * probabilities) -> float64 values at the original image size [h, w].
 */
export function frameGridToImage(values: Float32Array | Float64Array, gridH: number, gridW: number, geometry: Geometry): Plane {
  const { original } = geometry;
  return resizeLinear(croppedFrame(values, gridH, gridW, geometry), original[0], original[1]);
}

/** A grid over the frame resized to S x S and cropped to the image's h' x w'. */
function croppedFrame(values: Float32Array | Float64Array, gridH: number, gridW: number, geometry: Geometry): Plane {
  if (values.length !== gridH * gridW) {
    throw new Error(`grid holds ${values.length} values, expected ${gridH}x${gridW}`);
  }
  const { inputSize, resized } = geometry;
  const frame = resizeLinear({ height: gridH, width: gridW, data: Float64Array.from(values) }, inputSize, inputSize);
  return cropPlane(frame, resized[0], resized[1]);
}

/** Decoder mask logits [m, m] -> float64 logits at the original size [h, w]. */
export function maskLogitsToOriginal(logits: Float32Array, m: number, geometry: Geometry): Plane {
  return frameGridToImage(logits, m, m, geometry);
}

/** Decoder mask logits [m, m] -> binary mask [h, w] (1 = lesion where the logit > threshold). */
export function maskLogitsToImage(logits: Float32Array, m: number, geometry: Geometry, threshold: number): Uint8Array {
  const [height, width] = geometry.original;
  return resizeMaskAbove(croppedFrame(logits, m, m, geometry), height, width, threshold);
}

/** sigmoid of each logit (float64 arithmetic), e.g. the coarse mask [g, g] as probabilities. */
export function coarseProbabilityMap(logits: Float32Array): Float32Array {
  return logits.map((logit) => 1.0 / (1.0 + Math.exp(-logit)));
}

/** A coarse [gridH, gridW] map over the frame -> float32 values at the original size, for overlays. */
export function upsampleToImage(values: Float32Array, gridH: number, gridW: number, geometry: Geometry): Float32Array {
  return Float32Array.from(frameGridToImage(values, gridH, gridW, geometry).data);
}
