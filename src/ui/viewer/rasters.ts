/**
 * Turns the viewer's layers into things a 2-D context can draw quickly: small canvases holding
 * the windowed image, the heatmap grid and the mask colourings, and Path2D outlines in image
 * pixels. Each is rebuilt only when its own inputs change (the Viewer memoises them one by one).
 */
import type { Geometry } from '../../pipeline/index';
import type { CoarseMap } from '../../worker/api';
import { heatmapRgba } from './colormap';
import { gridImageRect, type ImageRect } from './coarse-placement';
import { confusionCodes, confusionRgba, maskRgba } from './confusion';
import { maskContours } from './contour';
import type { DisplayImage, WindowLevel } from './types';
import { windowedRgba } from './window-level';

export type RasterCanvas = HTMLCanvasElement | OffscreenCanvas;

/** Mask fill colour (cyan: apart from the heatmap's inferno hues and Fig. 3's green/red/blue). */
export const MASK_RGB = [34, 211, 238] as const;

export interface CoarseRaster {
  /** One canvas pixel per grid cell. */
  canvas: RasterCanvas;
  /** Where the whole grid lands on the image. */
  rect: ImageRect;
}

/** Everything paint.ts draws besides the points; null where the layer is absent. */
export interface PreparedLayers {
  width: number;
  height: number;
  gray: RasterCanvas | null;
  coarse: CoarseRaster | null;
  maskFill: RasterCanvas | null;
  maskOutline: Path2D | null;
  /** Fig. 3 colouring of the mask against the truth (needs both). */
  confusion: RasterCanvas | null;
  truthOutline: Path2D | null;
}

/** A canvas holding `rgba` ([h, w, 4]); OffscreenCanvas where the browser has it. */
export function rasterCanvas(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number): RasterCanvas {
  const canvas: RasterCanvas =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('this browser gives no 2-D canvas context');
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}

export function grayRaster(image: DisplayImage, wl: WindowLevel): RasterCanvas {
  return rasterCanvas(windowedRgba(image, wl), image.width, image.height);
}

export function coarseRaster(coarse: { map: CoarseMap; geometry: Geometry }): CoarseRaster {
  const [gh, gw] = coarse.map.grid;
  return { canvas: rasterCanvas(heatmapRgba(coarse.map.probabilities, gh * gw), gw, gh), rect: gridImageRect(coarse.geometry) };
}

/** A mask's pixel-edge outline as one Path2D in image pixels (all loops, holes included). */
export function outlinePath(mask: Uint8Array, width: number, height: number): Path2D {
  const path = new Path2D();
  for (const loop of maskContours(mask, width, height)) {
    path.moveTo(loop[0] ?? 0, loop[1] ?? 0);
    for (let i = 2; i < loop.length; i += 2) path.lineTo(loop[i] ?? 0, loop[i + 1] ?? 0);
    path.closePath();
  }
  return path;
}

/** A mask sized for an image that is not the one shown would paint misplaced; drop it instead. */
function fits(mask: Uint8Array | null, width: number, height: number): mask is Uint8Array {
  return mask !== null && mask.length === width * height;
}

export function maskFillRaster(mask: Uint8Array | null, width: number, height: number): RasterCanvas | null {
  return fits(mask, width, height) ? rasterCanvas(maskRgba(mask, MASK_RGB), width, height) : null;
}

export function maskOutlinePath(mask: Uint8Array | null, width: number, height: number): Path2D | null {
  return fits(mask, width, height) ? outlinePath(mask, width, height) : null;
}

export function confusionRaster(
  mask: Uint8Array | null,
  truth: Uint8Array | null,
  width: number,
  height: number,
): RasterCanvas | null {
  if (!fits(mask, width, height) || !fits(truth, width, height)) return null;
  return rasterCanvas(confusionRgba(confusionCodes(mask, truth)), width, height);
}

/** All rasters at once (the PNG export; the Viewer builds them piecewise). */
export function prepareLayers(
  layers: {
    image: DisplayImage;
    coarse: { map: CoarseMap; geometry: Geometry } | null;
    mask: Uint8Array | null;
    truth: Uint8Array | null;
  },
  wl: WindowLevel,
): PreparedLayers {
  const { width, height } = layers.image;
  return {
    width,
    height,
    gray: grayRaster(layers.image, wl),
    coarse: layers.coarse ? coarseRaster(layers.coarse) : null,
    maskFill: maskFillRaster(layers.mask, width, height),
    maskOutline: maskOutlinePath(layers.mask, width, height),
    confusion: confusionRaster(layers.mask, layers.truth, width, height),
    truthOutline: maskOutlinePath(layers.truth, width, height),
  };
}
