/**
 * The one painting routine for the screen and the PNG export, so both show the same thing.
 * Layers are drawn in image pixels under the view's matrix (overlays cannot drift from the
 * anatomy); strokes and markers are sized in screen px so they read the same at every zoom.
 */
import { paintModelPoints, paintUserPoints } from './paint-points';
import { MASK_RGB, type PreparedLayers } from './rasters';
import type { Ctx2d, MarkerStyle, OverlaySettings, PaintPoints, PaintView } from './types';
import { canvasMatrix } from './view-transform';

export const VIEWER_BACKGROUND = '#0b0e13';
/** The mask fill is this fraction of the overlay's opacity: the outline carries the edge. */
const MASK_FILL_ALPHA = 0.4;
/** The Fig. 3 colouring is this fraction of the truth overlay's opacity (anatomy stays visible). */
const CONFUSION_ALPHA = 0.6;
const OUTLINE_PX = 1.5;
const HALO_PX = 3.5;

function setImageMatrix(ctx: Ctx2d, view: PaintView): void {
  const m = canvasMatrix(view.transform, view.size, view.dpr);
  ctx.setTransform(m.a, 0, 0, m.d, m.e, m.f);
}

/** Crisp pixels when zoomed in; smooth filtering when zoomed out, which would otherwise alias. */
function drawRaster(ctx: Ctx2d, source: CanvasImageSource, view: PaintView, alpha: number, w: number, h: number): void {
  ctx.imageSmoothingEnabled = view.transform.scale * view.dpr < 1;
  ctx.imageSmoothingQuality = 'high';
  ctx.globalAlpha = alpha;
  ctx.drawImage(source, 0, 0, w, h);
  ctx.globalAlpha = 1;
}

/** A 1.5 px outline over a dark halo, so it reads on bright and dark anatomy alike. */
function strokeOutline(ctx: Ctx2d, path: Path2D, view: PaintView, color: string, alpha: number, dash: boolean): void {
  const perPx = view.markerScale / view.transform.scale;
  ctx.globalAlpha = alpha;
  ctx.lineJoin = 'round';
  ctx.setLineDash([]);
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.lineWidth = HALO_PX * perPx;
  ctx.stroke(path);
  ctx.setLineDash(dash ? [5 * perPx, 4 * perPx] : []);
  ctx.strokeStyle = color;
  ctx.lineWidth = OUTLINE_PX * perPx;
  ctx.stroke(path);
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

function paintCoarse(ctx: Ctx2d, layers: PreparedLayers, view: PaintView, alpha: number): void {
  if (!layers.coarse) return;
  const { canvas, rect } = layers.coarse;
  // Bilinear upscaling of the tiny grid canvas gives the smooth heatmap.
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.globalAlpha = alpha;
  ctx.drawImage(canvas, rect.x, rect.y, rect.width, rect.height);
  ctx.globalAlpha = 1;
}

/** The mask fill (skipped while Fig. 3 colours the same pixels) and its outline. */
function paintMask(ctx: Ctx2d, layers: PreparedLayers, view: PaintView, alpha: number, fill: boolean): void {
  if (fill && layers.maskFill) drawRaster(ctx, layers.maskFill, view, alpha * MASK_FILL_ALPHA, layers.width, layers.height);
  if (layers.maskOutline) strokeOutline(ctx, layers.maskOutline, view, `rgb(${MASK_RGB.join(' ')})`, alpha, false);
}

/** Fig. 3 against the mask when there is one; otherwise the truth's outline, dashed. */
function paintTruth(ctx: Ctx2d, layers: PreparedLayers, view: PaintView, alpha: number): void {
  if (layers.confusion) {
    drawRaster(ctx, layers.confusion, view, alpha * CONFUSION_ALPHA, layers.width, layers.height);
  } else if (layers.truthOutline) {
    strokeOutline(ctx, layers.truthOutline, view, '#ffffff', alpha, true);
  }
}

/** Paints the image and the visible overlays; `points` are drawn last, on top, in screen px. */
export function paintScene(
  ctx: Ctx2d,
  layers: PreparedLayers,
  overlays: OverlaySettings,
  view: PaintView,
  points: PaintPoints,
): void {
  const { visible, opacity } = overlays;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (view.background) {
    ctx.fillStyle = view.background;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  }
  // Overlays have nothing to sit on without the image (and no size to be placed by).
  if (!layers.gray) return;
  setImageMatrix(ctx, view);
  drawRaster(ctx, layers.gray, view, 1, layers.width, layers.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, layers.width, layers.height);
  ctx.clip();
  const showTruth = visible.truth && (layers.confusion !== null || layers.truthOutline !== null);
  if (visible.coarse) paintCoarse(ctx, layers, view, opacity.coarse);
  if (visible.mask) paintMask(ctx, layers, view, opacity.mask, !(showTruth && layers.confusion));
  if (showTruth) paintTruth(ctx, layers, view, opacity.truth);
  ctx.restore();
  if (visible.points) {
    const style: MarkerStyle = { view, alpha: opacity.points };
    paintModelPoints(ctx, points.model, style);
    paintUserPoints(ctx, points.user, points.dragging, style);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}
