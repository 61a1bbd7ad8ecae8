/**
 * Zoom and pan as pure math. Screen points are CSS px relative to the canvas's top-left corner;
 * image points are original-image pixels (pixel (i, j) covers [j, j+1] x [i, i+1]). A
 * ViewTransform keeps image point (centerX, centerY) at the canvas centre at `scale` CSS px per
 * image px, so it survives canvas resizes without drifting.
 */
import type { ScreenPoint, ViewSize, ViewTransform } from './types';

/** The 2-D affine matrix (a, 0, 0, d, e, f) for CanvasRenderingContext2D.setTransform. */
export interface CanvasMatrix {
  a: number;
  d: number;
  e: number;
  f: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 64;
/** Fraction of the canvas the fitted image fills, leaving a thin dark margin around it. */
const FIT_MARGIN = 0.96;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The whole image centred and as large as fits (height and width both checked). */
export function fitTransform(image: ViewSize, view: ViewSize): ViewTransform {
  const scale =
    image.width > 0 && image.height > 0 && view.width > 0 && view.height > 0
      ? clampScale(Math.min(view.width / image.width, view.height / image.height) * FIT_MARGIN)
      : 1;
  return { scale, centerX: image.width / 2, centerY: image.height / 2 };
}

export function imageToScreen(p: { x: number; y: number }, t: ViewTransform, view: ViewSize): ScreenPoint {
  return { x: view.width / 2 + (p.x - t.centerX) * t.scale, y: view.height / 2 + (p.y - t.centerY) * t.scale };
}

export function screenToImage(p: ScreenPoint, t: ViewTransform, view: ViewSize): { x: number; y: number } {
  return { x: t.centerX + (p.x - view.width / 2) / t.scale, y: t.centerY + (p.y - view.height / 2) / t.scale };
}

/** Zoom by `factor`, keeping the image point under `anchor` (screen) where it is. */
export function zoomAbout(t: ViewTransform, anchor: ScreenPoint, factor: number, view: ViewSize): ViewTransform {
  const scale = clampScale(t.scale * factor);
  const fixed = screenToImage(anchor, t, view);
  // Solve imageToScreen(fixed, next) = anchor for the new centre.
  return {
    scale,
    centerX: fixed.x - (anchor.x - view.width / 2) / scale,
    centerY: fixed.y - (anchor.y - view.height / 2) / scale,
  };
}

/** Move the image by (dx, dy) screen px (a drag to the right moves the image to the right). */
export function panBy(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: t.scale, centerX: t.centerX - dx / t.scale, centerY: t.centerY - dy / t.scale };
}

/** Image -> device px matrix for a canvas whose backing store is `dpr` times its CSS size. */
export function canvasMatrix(t: ViewTransform, view: ViewSize, dpr: number): CanvasMatrix {
  const k = t.scale * dpr;
  return { a: k, d: k, e: (view.width / 2 - t.centerX * t.scale) * dpr, f: (view.height / 2 - t.centerY * t.scale) * dpr };
}

/** True when image point `p` lies on the image (its [0, w] x [0, h] rectangle). */
export function insideImage(p: { x: number; y: number }, image: ViewSize): boolean {
  return p.x >= 0 && p.y >= 0 && p.x < image.width && p.y < image.height;
}

export function sameTransform(a: ViewTransform | null, b: ViewTransform | null): boolean {
  if (a === null || b === null) return a === b;
  return a.scale === b.scale && a.centerX === b.centerX && a.centerY === b.centerY;
}
