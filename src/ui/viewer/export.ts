/**
 * The overlay PNG: the image and the visible overlays at the original resolution, painted by the
 * same routine as the screen (paint.ts), so the file shows what the viewer shows, with a legend
 * strip below the image saying what each colour and mark means.
 */
import { layoutLegend, legendItems, paintLegend } from './export-legend';
import { paintScene } from './paint';
import type { Ctx2d } from './types';
import { prepareLayers } from './rasters';
import type { OverlaySettings, ViewerLayers, WindowLevel } from './types';

/** Markers are sized for a ~600 px view and scale with the image, so they never hide a small one. */
const MARKER_REFERENCE_PX = 600;
/** ... but not below this, where a numbered tag would become unreadable. */
const MIN_MARKER_SCALE = 0.35;

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

/**
 * PNG of `layers.image` at scale 1 under `windowLevel`, with the overlays `overlays` shows: rows
 * 0..h-1 are the image; the legend strip follows.
 */
export async function renderOverlayPng(
  layers: ViewerLayers,
  overlays: OverlaySettings,
  windowLevel: WindowLevel,
): Promise<Blob> {
  const { image } = layers;
  if (!image) throw new Error('there is no image to export');
  const { width, height } = image;
  const prepared = prepareLayers({ ...layers, image }, windowLevel);
  const measure = exportCanvas(1, 1).ctx;
  const legend = layoutLegend(measure, legendItems(layers, overlays), width);
  const { canvas, ctx } = exportCanvas(width, height + legend.height);
  const view = {
    transform: { scale: 1, centerX: width / 2, centerY: height / 2 },
    size: { width, height },
    dpr: 1,
    markerScale: Math.max(MIN_MARKER_SCALE, Math.min(width, height) / MARKER_REFERENCE_PX),
    background: null,
  };
  paintScene(ctx, prepared, overlays, view, { model: layers.modelPoints, user: layers.userPoints, dragging: null });
  paintLegend(ctx, legend, height, width);
  return toPng(canvas);
}
