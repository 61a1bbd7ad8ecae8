import { describe, expect, it } from 'vitest';
import { maskContours } from '../../../src/ui/viewer/contour';

function mask(rows: string[]): { data: Uint8Array; width: number; height: number } {
  const width = rows[0]!.length;
  return { data: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)), width, height: rows.length };
}

function contours(rows: string[]) {
  const m = mask(rows);
  return maskContours(m.data, m.width, m.height);
}

/** Shoelace area; clockwise on screen (y down) is positive. */
function area(loop: number[]): number {
  let a = 0;
  for (let i = 0; i < loop.length; i += 2) {
    const j = (i + 2) % loop.length;
    a += loop[i]! * loop[j + 1]! - loop[j]! * loop[i + 1]!;
  }
  return a / 2;
}

describe('mask contour', () => {
  it('outlines one pixel by its four corners', () => {
    expect(contours(['#'])).toEqual([[0, 0, 1, 0, 1, 1, 0, 1]]);
  });

  it('keeps only the corners of a rectangle, away from the border', () => {
    expect(contours(['....', '.##.', '.##.', '....'])).toEqual([[1, 1, 3, 1, 3, 3, 1, 3]]);
  });

  it('gives a hole its own loop, wound the other way', () => {
    const loops = contours(['###', '#.#', '###']);
    expect(loops).toHaveLength(2);
    const areas = loops.map(area).sort((a, b) => a - b);
    expect(areas).toEqual([-1, 9]);
  });

  it('keeps diagonal neighbours apart and separate blobs separate', () => {
    expect(contours(['#.', '.#'])).toHaveLength(2);
    expect(contours(['#..#'])).toHaveLength(2);
  });

  it('encloses exactly the mask area for an irregular shape', () => {
    const rows = ['.##...', '####..', '.#.##.', '.####.', '......'];
    const lesion = rows.join('').split('').filter((c) => c === '#').length;
    const total = contours(rows).reduce((sum, loop) => sum + area(loop), 0);
    expect(total).toBe(lesion);
  });

  it('gives nothing for an empty mask', () => {
    expect(contours(['...', '...'])).toEqual([]);
  });
});
