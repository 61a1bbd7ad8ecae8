/** The fast final-mask resize makes exactly the decisions of the full float64 resize. */
import { describe, expect, it } from 'vitest';
import { resizeMaskAbove } from '../../src/pipeline/mask-resize';
import { resizeLinear, type Plane } from '../../src/pipeline/preprocess';

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function plane(height: number, width: number, value: (y: number, x: number) => number): Plane {
  return { height, width, data: Float64Array.from({ length: height * width }, (_, i) => value(Math.floor(i / width), i % width)) };
}

function reference(p: Plane, height: number, width: number, threshold: number): Uint8Array {
  return Uint8Array.from(resizeLinear(p, height, width).data, (v) => (v > threshold ? 1 : 0));
}

describe('resizeMaskAbove', () => {
  const rand = random(2026);
  const cases: [string, Plane, number, number, number][] = [
    ['a smooth blob, 128 -> 512', plane(128, 128, (y, x) => 3 - Math.hypot(x - 50, y - 70) / 8), 512, 512, 0],
    ['noise, 64 -> 200 x 150', plane(64, 64, () => rand() * 2 - 1), 200, 150, 0],
    ['values exactly at the threshold', plane(16, 16, (y, x) => ((x + y) % 3) - 1), 61, 47, 0],
    ['a threshold inside a flat field', plane(8, 8, () => 0.5), 37, 29, 0.5],
    ['large logits', plane(32, 20, (y, x) => (x - 10) * 1e7 + y), 130, 97, 1e6],
    ['one pixel to many', plane(1, 1, () => 1), 5, 7, 0],
    ['the same size', plane(9, 9, () => rand() - 0.5), 9, 9, 0],
    ['shrinking (the full computation)', plane(40, 40, () => rand() - 0.5), 13, 17, 0],
  ];
  it.each(cases)('%s', (_, p, height, width, threshold) => {
    expect(resizeMaskAbove(p, height, width, threshold)).toEqual(reference(p, height, width, threshold));
  });
});
