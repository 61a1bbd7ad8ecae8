/**
 * The overlays line up with the anatomy: the viewer's own coarse placement agrees with the
 * pipeline's geometry, and the canvas matrix puts every image point where the pointer maths
 * (hit-testing, clicks) expects it, at any zoom and for non-square images.
 */
import { describe, expect, it } from 'vitest';
import { cellToFrame, frameToImage } from '../../../src/pipeline/geometry';
import { gridCell, type Geometry } from '../../../src/pipeline/types';
import { cellImageRect } from '../../../src/ui/viewer/coarse-placement';
import { canvasMatrix, fitTransform, imageToScreen, zoomAbout } from '../../../src/ui/viewer/view-transform';

const cases: { name: string; geometry: Geometry; grid: [number, number] }[] = [
  { name: 'wide', geometry: { original: [480, 640], resized: [168, 224], inputSize: 224 }, grid: [14, 14] },
  { name: 'tall', geometry: { original: [600, 300], resized: [224, 112], inputSize: 224 }, grid: [14, 14] },
  { name: 'odd', geometry: { original: [307, 300], resized: [64, 63], inputSize: 64 }, grid: [8, 8] },
];

describe.each(cases)('overlay alignment ($name image)', ({ geometry, grid }) => {
  it('puts every coarse cell centre where pipeline/geometry.ts puts it', () => {
    for (let r = 0; r < grid[0]; r++) {
      for (let c = 0; c < grid[1]; c++) {
        const rect = cellImageRect(r, c, grid, geometry);
        const expected = frameToImage(cellToFrame(gridCell(r, c), grid, geometry.inputSize), geometry);
        expect(rect.x + rect.width / 2).toBeCloseTo(expected.x, 6);
        expect(rect.y + rect.height / 2).toBeCloseTo(expected.y, 6);
      }
    }
  });

  it('draws image points where the pointer maths finds them, at every zoom', () => {
    const [h, w] = geometry.original;
    const view = { width: 913, height: 577 };
    let t = fitTransform({ width: w, height: h }, view);
    for (const factor of [1, 3.3, 0.4, 17]) {
      t = zoomAbout(t, { x: 100, y: 450 }, factor, view);
      for (const dpr of [1, 1.5, 2]) {
        const m = canvasMatrix(t, view, dpr);
        for (const p of [{ x: 0, y: 0 }, { x: w, y: h }, { x: w * 0.37, y: h * 0.81 }]) {
          const s = imageToScreen(p, t, view);
          expect(m.a * p.x + m.e).toBeCloseTo(s.x * dpr, 6);
          expect(m.d * p.y + m.f).toBeCloseTo(s.y * dpr, 6);
        }
      }
    }
  });
});
