import { describe, expect, it } from 'vitest';
import { cellToFrame, frameInsideImage, frameToImage, imageToFrame } from '../../src/pipeline/geometry';
import { framePoint, gridCell, imagePoint, type Geometry } from '../../src/pipeline/types';

const geometry: Geometry = { original: [307, 300], resized: [64, 63], inputSize: 64 };

describe('geometry', () => {
  it('maps image pixels to the frame by (x w\'/w, y h\'/h) and back', () => {
    const p = imageToFrame(imagePoint(150, 307), geometry);
    expect(p.x).toBeCloseTo(31.5, 12);
    expect(p.y).toBeCloseTo(64, 12);
    const back = frameToImage(p, geometry);
    expect(back.x).toBeCloseTo(150, 12);
    expect(back.y).toBeCloseTo(307, 12);
  });

  it('puts a cell at its centre in the frame', () => {
    expect(cellToFrame(gridCell(0, 0), [8, 8], 64)).toEqual({ x: 4, y: 4 });
    expect(cellToFrame(gridCell(7, 2), [8, 8], 64)).toEqual({ x: 20, y: 60 });
  });

  it('tells the image from the padding', () => {
    expect(frameInsideImage(framePoint(62.9, 10), geometry)).toBe(true);
    expect(frameInsideImage(framePoint(63.5, 10), geometry)).toBe(false);
  });

  it('keeps the coordinate spaces apart at compile time', () => {
    // @ts-expect-error an image point is not a frame point
    frameToImage(imagePoint(1, 1), geometry);
    // @ts-expect-error a plain object is not a frame point
    frameToImage({ x: 1, y: 1 }, geometry);
  });
});
