import { describe, expect, it } from 'vitest';
import { hitTestPoint } from '../../../src/ui/viewer/hit-test';
import { imageToScreen } from '../../../src/ui/viewer/view-transform';

const view = { width: 400, height: 300 };
const points = [
  { x: 100, y: 100 },
  { x: 104, y: 100 },
  { x: 300, y: 50 },
];

describe('point hit-testing', () => {
  it('finds the nearest point within the radius in screen px', () => {
    const t = { scale: 4, centerX: 100, centerY: 100 };
    const s = imageToScreen(points[1]!, t, view);
    expect(hitTestPoint(points, { x: s.x + 3, y: s.y }, t, view, 10)).toBe(1);
    expect(hitTestPoint(points, { x: s.x - 14, y: s.y }, t, view, 10)).toBe(0);
    expect(hitTestPoint(points, { x: s.x + 30, y: s.y }, t, view, 10)).toBe(-1);
  });

  it('keeps the radius fixed on screen whatever the zoom', () => {
    const near = { scale: 0.5, centerX: 100, centerY: 100 };
    const s = imageToScreen(points[2]!, near, view);
    expect(hitTestPoint(points, { x: s.x + 9, y: s.y }, near, view, 10)).toBe(2);
    const far = { scale: 8, centerX: 300, centerY: 50 };
    const s2 = imageToScreen(points[2]!, far, view);
    expect(hitTestPoint(points, { x: s2.x + 11, y: s2.y }, far, view, 10)).toBe(-1);
  });

  it('grabs the point drawn on top when two coincide', () => {
    const t = { scale: 1, centerX: 200, centerY: 150 };
    const same = [{ x: 10, y: 10 }, { x: 10, y: 10 }];
    expect(hitTestPoint(same, imageToScreen(same[0]!, t, view), t, view)).toBe(1);
  });
});
