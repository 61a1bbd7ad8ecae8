import { describe, expect, it } from 'vitest';
import type { Geometry } from '../../../src/pipeline/types';
import { cellImageRect, gridImageRect } from '../../../src/ui/viewer/coarse-placement';

// A 640 x 480 image resized to 224 x 168 in a 224 x 224 frame: the bottom 56 frame rows are padding.
const wide: Geometry = { original: [480, 640], resized: [168, 224], inputSize: 224 };
// A 300 x 600 (w x h) image resized to 112 x 224: the right half of the frame is padding.
const tall: Geometry = { original: [600, 300], resized: [224, 112], inputSize: 224 };

describe('coarse placement', () => {
  it('spans the padded frame, past the image where it was padded', () => {
    expect(gridImageRect(wide)).toEqual({ x: 0, y: 0, width: 640, height: 640 });
    expect(gridImageRect(tall)).toEqual({ x: 0, y: 0, width: 600, height: 600 });
  });

  it('places cells like pipeline/geometry.ts: frame cell, then x w / w\', y h / h\'', () => {
    const grid: [number, number] = [14, 14];
    // Cell (3, 5) covers frame [80, 96] x [48, 64].
    const r = cellImageRect(3, 5, grid, wide);
    expect(r.x).toBeCloseTo((80 * 640) / 224, 9);
    expect(r.y).toBeCloseTo((48 * 480) / 168, 9);
    expect(r.width).toBeCloseTo((16 * 640) / 224, 9);
    expect(r.height).toBeCloseTo((16 * 480) / 168, 9);
  });

  it('ends the image on the grid line at the resized edge', () => {
    const grid: [number, number] = [14, 14];
    // h' = 168 = 10.5 cells: the image's bottom edge cuts cell row 10 in half.
    const row10 = cellImageRect(10, 0, grid, wide);
    expect(row10.y + row10.height / 2).toBeCloseTo(480, 9);
    // w' = 112 = 7 cells exactly: column 7 starts at the image's right edge.
    expect(cellImageRect(0, 7, grid, tall).x).toBeCloseTo(300, 9);
  });

  it('agrees with the whole-grid rectangle at the far corner', () => {
    const grid: [number, number] = [7, 9];
    const last = cellImageRect(6, 8, grid, tall);
    const all = gridImageRect(tall);
    expect(last.x + last.width).toBeCloseTo(all.width, 9);
    expect(last.y + last.height).toBeCloseTo(all.height, 9);
  });
});
