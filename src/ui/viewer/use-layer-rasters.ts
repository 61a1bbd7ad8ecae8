/** The viewer's rasters, each rebuilt only when its own inputs change, and the canvas repaint. */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { MARKS, markPaintedSoon, measured } from '../latency';
import { paintScene, VIEWER_BACKGROUND } from './paint';
import type { PaintPoints } from './types';
import {
  coarseRaster,
  confusionRaster,
  grayRaster,
  maskFillRaster,
  maskOutlinePath,
  type PreparedLayers,
} from './rasters';
import type { CanvasSize } from './use-canvas-size';
import type { OverlaySettings, ViewerLayers, ViewTransform, WindowLevel } from './types';

export function usePreparedLayers(layers: ViewerLayers, windowLevel: WindowLevel): PreparedLayers {
  const { image, coarse, mask, truth } = layers;
  const w = image?.width ?? 0;
  const h = image?.height ?? 0;
  const gray = useMemo(() => (image ? grayRaster(image, windowLevel) : null), [image, windowLevel]);
  const coarseLayer = useMemo(() => (coarse && image ? coarseRaster(coarse) : null), [coarse, image]);
  const maskLayers = useMemo(
    () => measured(MARKS.rasters, () => ({ fill: maskFillRaster(mask, w, h), outline: maskOutlinePath(mask, w, h) })),
    [mask, w, h],
  );
  const maskFill = maskLayers.fill;
  const maskOutline = maskLayers.outline;
  const confusion = useMemo(() => confusionRaster(mask, truth, w, h), [mask, truth, w, h]);
  const truthOutline = useMemo(() => maskOutlinePath(truth, w, h), [truth, w, h]);
  return useMemo(
    () => ({ width: w, height: h, gray, coarse: coarseLayer, maskFill, maskOutline, confusion, truthOutline }),
    [w, h, gray, coarseLayer, maskFill, maskOutline, confusion, truthOutline],
  );
}

/** Repaints whenever what is shown changes; the backing store follows the CSS size x dpr. */
export function useCanvasPaint(
  canvas: HTMLCanvasElement | null,
  size: CanvasSize,
  transform: ViewTransform,
  prepared: PreparedLayers,
  overlays: OverlaySettings,
  points: PaintPoints,
): void {
  const { model, user, dragging } = points;
  const paintedMask = useRef<PreparedLayers['maskFill']>(null);
  useLayoutEffect(() => {
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const w = Math.round(size.width * size.dpr);
    const h = Math.round(size.height * size.dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const view = { transform, size, dpr: size.dpr, markerScale: 1, background: VIEWER_BACKGROUND };
    measured(MARKS.paint, () => paintScene(ctx, prepared, overlays, view, { model, user, dragging }));
    if (prepared.maskFill !== paintedMask.current) {
      paintedMask.current = prepared.maskFill;
      markPaintedSoon();
    }
  }, [canvas, size, transform, prepared, overlays, model, user, dragging]);
}
