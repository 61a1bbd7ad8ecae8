import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/pipeline/decode';
import {
  coarseProbabilityMap,
  frameGridToImage,
  maskLogitsToImage,
  maskLogitsToOriginal,
  upsampleToImage,
} from '../../src/pipeline/postprocess';
import type { Geometry } from '../../src/pipeline/types';
import { describeFixtures, maxAbsDiff, readBundleBytes, readFixtureTensor } from './bundle';
import { vectors } from './vectors';

describe('postprocess', () => {
  const geometry: Geometry = { original: [6, 3], resized: [4, 2], inputSize: 4 };

  it('maps a frame grid to the original size through S x S and the h x w crop', () => {
    // Left half of the frame positive, right half negative: the image covers columns 0..1 of 4.
    const logits = Float32Array.from([1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1]);
    const mask = maskLogitsToImage(logits, 4, geometry, 0);
    expect(mask).toHaveLength(18);
    expect(Array.from(mask)).toEqual(new Array(18).fill(1));
    expect(maskLogitsToOriginal(logits, 4, geometry).width).toBe(3);
  });

  it('thresholds strictly', () => {
    expect(Array.from(maskLogitsToImage(new Float32Array(4), 2, geometry, 0))).toEqual(new Array(18).fill(0));
  });

  it('gives sigmoid probabilities and float32 overlays', () => {
    expect(Array.from(coarseProbabilityMap(Float32Array.from([0, 100])))).toEqual([0.5, 1]);
    const overlay = upsampleToImage(Float32Array.from([0.25, 0.25, 0.25, 0.25]), 2, 2, geometry);
    expect(Array.from(overlay)).toEqual(new Array(18).fill(0.25));
    expect(() => frameGridToImage(new Float32Array(3), 2, 2, geometry)).toThrow(/2x2/);
  });
});

describe('maskLogitsToImage matches preprocess.logits_to_original', () => {
  it.each(vectors.postprocess.map((v) => [v.m, v.original.join('x'), v] as const))('m %i -> %s', (_m, _o, v) => {
    const geometry: Geometry = { original: v.original, resized: v.resized, inputSize: v.input_size };
    const logits = Float32Array.from(v.logits);
    expect(maxAbsDiff(maskLogitsToOriginal(logits, v.m, geometry).data, v.values)).toBeLessThanOrEqual(1e-12);
    expect(Array.from(maskLogitsToImage(logits, v.m, geometry, 0))).toEqual(v.mask);
  });
});

describeFixtures('maskLogitsToImage reproduces the fixture final_mask exactly', ({ cases, manifest }) => {
  const [m] = manifest.sam.mask_logits_size;
  it.each(cases.map((c) => [c.id, c] as const))('%s (0 differing pixels)', (_id, fixture) => {
    const geometry: Geometry = {
      original: fixture.geometry.original,
      resized: fixture.geometry.resized,
      inputSize: manifest.preprocess.input_size,
    };
    const logits = readFixtureTensor(fixture, 'sam_decoder/mask_logits').data as Float32Array;
    const mask = maskLogitsToImage(logits, m, geometry, manifest.sam.mask_threshold);
    const expected = decodePng(readBundleBytes(fixture.final_mask));
    expect([expected.height, expected.width]).toEqual(fixture.geometry.original);
    let differing = 0;
    let nearest = Infinity;
    const values = maskLogitsToOriginal(logits, m, geometry).data;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== (expected.data[i]! > 0 ? 1 : 0)) differing++;
      nearest = Math.min(nearest, Math.abs(values[i]! - manifest.sam.mask_threshold));
    }
    const lesion = mask.reduce((a, v) => a + v, 0);
    console.info(`[postprocess] ${fixture.id}: ${differing} differing pixels, ${lesion} lesion pixels, closest |logit - threshold| ${nearest.toExponential(3)}`);
    expect(differing).toBe(0);
  });
});
