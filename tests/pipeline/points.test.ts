import { describe, expect, it } from 'vitest';
import { cellToFrame } from '../../src/pipeline/geometry';
import { pointSlots, selectPoints, type UserPoint } from '../../src/pipeline/points';
import { framePoint } from '../../src/pipeline/types';
import { describeFixtures, readFixtureTensor } from './bundle';
import { vectors } from './vectors';

const logit = (p: number): number => Math.log(p / (1 - p));

function grid(h: number, w: number, probs: Record<number, number>): Float32Array {
  const logits = new Float32Array(h * w).fill(-10);
  for (const [index, p] of Object.entries(probs)) logits[Number(index)] = logit(p);
  return logits;
}

describe('selectPoints', () => {
  it('starts at the most probable candidate, then goes farthest-first', () => {
    // 4 x 4: candidates at 0 (0.95), 5 (0.99), 15 (0.95), 3 (0.92)
    const cells = selectPoints(grid(4, 4, { 0: 0.95, 5: 0.99, 15: 0.95, 3: 0.92 }), 4, 4, { k: 3, theta: 0.9 });
    expect(cells.map((c) => [c.row, c.col])).toEqual([
      [1, 1],
      [3, 3],
      [0, 3],
    ]);
    expect(cells[0]!.prob).toBeCloseTo(0.99, 6);
  });

  it('uses a strict threshold, breaks ties by the lowest row-major index and stops at k', () => {
    const logits = new Float32Array(9).fill(50); // all saturate to p = 1
    const cells = selectPoints(logits, 3, 3, { k: 2, theta: 0.9 });
    expect(cells.map((c) => [c.row, c.col])).toEqual([
      [0, 0],
      [2, 2],
    ]);
    expect(selectPoints(new Float32Array(4), 2, 2, { k: 3, theta: 0.5 })).toEqual([]); // p = 0.5, not > 0.5
    expect(selectPoints(logits, 3, 3, { k: 0, theta: 0.9 })).toEqual([]);
  });

  it('stops when every candidate is chosen', () => {
    expect(selectPoints(grid(2, 2, { 1: 0.99 }), 2, 2, { k: 5, theta: 0.9 })).toHaveLength(1);
  });

  it('rejects logits that do not fit the grid', () => {
    expect(() => selectPoints(new Float32Array(5), 2, 2, { k: 1, theta: 0.5 })).toThrow(/2x2/);
  });
});

describe('selectPoints matches points.select_points', () => {
  it.each(vectors.points.map((v) => [v.grid.join('x'), v.k, v.theta, v] as const))('%s k %i theta %d', (_g, _k, _t, v) => {
    const cells = selectPoints(Float32Array.from(v.logits), v.grid[0], v.grid[1], { k: v.k, theta: v.theta });
    expect(cells.map((c) => [c.row, c.col, c.prob])).toEqual(v.cells);
  });
});

describe('pointSlots', () => {
  it('puts model points (label 1) first, then user points, pads with (0, 0) and -1', () => {
    const user: UserPoint[] = [{ point: framePoint(3.5, 4.25), label: 0 }];
    const slots = pointSlots([framePoint(1, 2)], user, 4);
    expect(Array.from(slots.coords)).toEqual([1, 2, 3.5, 4.25, 0, 0, 0, 0]);
    expect(Array.from(slots.labels)).toEqual([1, 0, -1, -1]);
  });

  it('keeps at most maxPoints', () => {
    const slots = pointSlots([framePoint(1, 1), framePoint(2, 2)], [{ point: framePoint(3, 3), label: 1 }], 2);
    expect(Array.from(slots.labels)).toEqual([1, 1]);
    expect(Array.from(slots.coords)).toEqual([1, 1, 2, 2]);
  });
});

describeFixtures('points match the fixture cells, slots and decoder inputs exactly', ({ cases, manifest }) => {
  const [gridH, gridW] = manifest.prompts.coarse_grid;
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, fixture) => {
    const { k, theta, use_points: usePoints, user_points: userPoints } = fixture.settings;
    const coarse = readFixtureTensor(fixture, 'prompt_generator/coarse_logits').data as Float32Array;
    const cells = usePoints ? selectPoints(coarse, gridH, gridW, { k, theta }) : [];
    expect(cells.map((c) => [c.row, c.col])).toEqual(fixture.points.cells.map(([r, c]) => [r, c]));
    cells.forEach((cell, i) => expect(cell.prob).toBe(fixture.points.cells[i]![2]));
    const modelPoints = cells.map((cell) => cellToFrame(cell, manifest.prompts.coarse_grid, manifest.preprocess.input_size));
    const user = userPoints.map(([x, y, label]): UserPoint => ({ point: framePoint(x, y), label: label as 0 | 1 }));
    const slots = pointSlots(modelPoints, user, manifest.prompts.max_points);
    expect(Array.from(slots.coords)).toEqual(fixture.points.coords.flat());
    expect(Array.from(slots.labels)).toEqual(fixture.points.labels);
    expect(slots.coords).toEqual(readFixtureTensor(fixture, 'sam_decoder/point_coords').data);
    expect(slots.labels).toEqual(readFixtureTensor(fixture, 'sam_decoder/point_labels').data);
  });
});
