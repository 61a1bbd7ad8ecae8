/**
 * The overlay PNG: the image and the visible overlays at the original resolution, painted by the
 * same routine as the screen (paint.ts), so the file shows what the viewer shows.
 */
import { paintScene } from './paint';
import type { Ctx2d } from './types';
import { prepareLayers } from './rasters';
import type { OverlaySettings, ViewerLayers, WindowLevel } from './types';

/** Markers are sized for a ~600 px view; a larger export scales them so they stay legible. */
const MARKER_REFERENCE_PX = 600;

function exportCanvas(width: number, height: number): { canvas: HTMLCanvasElement | OffscreenCanvas; ctx: Ctx2d } {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d') as Ctx2d | null;
  if (!ctx) throw new Error('this browser gives no 2-D canvas context, so the overlay cannot be exported');
  return { canvas, ctx };
}

function toPng(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<Blob> {
  if (!(canvas instanceof HTMLCanvasElement)) return canvas.convertToBlob({ type: 'image/png' });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
  );
}

/** PNG of `layers.image` at scale 1 under `windowLevel`, with the overlays `overlays` shows. */
export async function renderOverlayPng(
  layers: ViewerLayers,
  overlays: OverlaySettings,
  windowLevel: WindowLevel,
): Promise<Blob> {
  const { image } = layers;
  if (!image) throw new Error('there is no image to export');
  const { width, height } = image;
  const prepared = prepareLayers({ ...layers, image }, windowLevel);
  const { canvas, ctx } = exportCanvas(width, height);
  const view = {
    transform: { scale: 1, centerX: width / 2, centerY: height / 2 },
    size: { width, height },
    dpr: 1,
    markerScale: Math.max(1, Math.min(width, height) / MARKER_REFERENCE_PX),
    background: null,
  };
  paintScene(ctx, prepared, overlays, view, { model: layers.modelPoints, user: layers.userPoints, dragging: null });
  return toPng(canvas);
}
