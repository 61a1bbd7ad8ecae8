import { describe, expect, it } from 'vitest';
import {
  canvasMatrix,
  fitTransform,
  imageToScreen,
  insideImage,
  MAX_SCALE,
  panBy,
  screenToImage,
  zoomAbout,
} from '../../../src/ui/viewer/view-transform';

const view = { width: 800, height: 600 };

describe('view transform', () => {
  it('fits a wide and a tall image, centred, by the limiting side', () => {
    const wide = fitTransform({ width: 1600, height: 400 }, view);
    expect(wide.scale).toBeCloseTo(0.5 * 0.96, 12);
    expect(imageToScreen({ x: 800, y: 200 }, wide, view)).toEqual({ x: 400, y: 300 });
    const tall = fitTransform({ width: 300, height: 1200 }, view);
    expect(tall.scale).toBeCloseTo(0.5 * 0.96, 12);
    const corner = imageToScreen({ x: 0, y: 0 }, tall, view);
    const far = imageToScreen({ x: 300, y: 1200 }, tall, view);
    expect(corner.y).toBeGreaterThanOrEqual(0);
    expect(far.y).toBeLessThanOrEqual(600);
    expect((corner.x + far.x) / 2).toBeCloseTo(400, 9);
  });

  it('maps screen and image points both ways', () => {
    const t = { scale: 2.5, centerX: 123, centerY: 45 };
    const p = { x: 17.25, y: 301.5 };
    const back = screenToImage(imageToScreen(p, t, view), t, view);
    expect(back.x).toBeCloseTo(p.x, 12);
    expect(back.y).toBeCloseTo(p.y, 12);
  });

  it('keeps the point under the cursor fixed while zooming', () => {
    const t = fitTransform({ width: 640, height: 480 }, view);
    const anchor = { x: 613, y: 97 };
    const before = screenToImage(anchor, t, view);
    const zoomed = zoomAbout(t, anchor, 3.7, view);
    const after = screenToImage(anchor, zoomed, view);
    expect(zoomed.scale).toBeCloseTo(t.scale * 3.7, 12);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(zoomAbout(t, anchor, 1e9, view).scale).toBe(MAX_SCALE);
  });

  it('pans with the pointer', () => {
    const t = { scale: 2, centerX: 100, centerY: 100 };
    const p = { x: 90, y: 80 };
    const s0 = imageToScreen(p, t, view);
    const s1 = imageToScreen(p, panBy(t, 30, -10), view);
    expect(s1.x - s0.x).toBeCloseTo(30, 12);
    expect(s1.y - s0.y).toBeCloseTo(-10, 12);
  });

  it('gives the canvas the same mapping, in device px', () => {
    const t = { scale: 1.7, centerX: 321, centerY: 99 };
    const dpr = 2;
    const m = canvasMatrix(t, view, dpr);
    const p = { x: 12.5, y: 400.25 };
    const s = imageToScreen(p, t, view);
    expect(m.a * p.x + m.e).toBeCloseTo(s.x * dpr, 9);
    expect(m.d * p.y + m.f).toBeCloseTo(s.y * dpr, 9);
  });

  it('tells the image from outside it', () => {
    const image = { width: 640, height: 480 };
    expect(insideImage({ x: 0, y: 0 }, image)).toBe(true);
    expect(insideImage({ x: 639.9, y: 479.9 }, image)).toBe(true);
    expect(insideImage({ x: 640, y: 10 }, image)).toBe(false);
    expect(insideImage({ x: 10, y: -0.1 }, image)).toBe(false);
  });
});
