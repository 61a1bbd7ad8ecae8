import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../../src/pipeline/contract';
import { decodeImage } from '../../src/pipeline/decode';
import {
  applyWindow,
  linearWeights,
  preprocess,
  resizedShape,
  resizeLinear,
  toGray,
  type Plane,
} from '../../src/pipeline/preprocess';
import { describeFixtures, maxAbsDiff, readBundleBytes, readFixtureTensor } from './bundle';
import { vectors } from './vectors';

const plane = (height: number, width: number, values: number[]): Plane => ({ height, width, data: Float64Array.from(values) });

function spec(inputSize: number, extra: Partial<PreprocessSpec> = {}): PreprocessSpec {
  return {
    input_size: inputSize,
    channels: 1,
    channel_rule: 'luminance-bt601',
    bit_depth_rule: 'significant-bits',
    resize: { method: 'linear-antialias', longest_side: inputSize, rounding: 'floor-half-up' },
    pad: { where: 'bottom-right', value: 0 },
    mean: [0.5],
    std: [0.25],
    window: null,
    ...extra,
  };
}

describe('toGray', () => {
  it('divides 8-bit codes by 255 and weighs colour by BT.601, ignoring alpha', () => {
    const gray = toGray({ width: 1, height: 1, channels: 4, bitDepth: 8, data: Uint8Array.from([255, 0, 0, 7]) });
    expect(gray.data[0]).toBe(0.299);
    expect(toGray({ width: 2, height: 1, channels: 1, bitDepth: 8, data: Uint8Array.from([0, 51]) }).data).toEqual(
      Float64Array.from([0, 0.2]),
    );
  });

  it('divides 16-bit codes by 2^b - 1 for the bit length b of the largest code, at least 8', () => {
    const twelve = toGray({ width: 2, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.from([4095, 1000]) });
    expect(Array.from(twelve.data)).toEqual([1, 1000 / 4095]);
    const dark = toGray({ width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.from([100]) });
    expect(dark.data[0]).toBe(100 / 255);
    const full = toGray({ width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.from([40000]) });
    expect(full.data[0]).toBe(40000 / 65535);
  });

  it('rejects data that does not fit the size', () => {
    expect(() => toGray({ width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array(3) })).toThrow(/2x2x1/);
  });
});

describe('resizedShape', () => {
  it('scales the longest side to S with floor-half-up rounding, at least 1', () => {
    expect(resizedShape(307, 300, 64)).toEqual([64, 63]);
    expect(resizedShape(447, 496, 64)).toEqual([58, 64]);
    expect(resizedShape(2, 4, 3)).toEqual([2, 3]); // 1.5 rounds up
    expect(resizedShape(1, 1000, 64)).toEqual([1, 64]);
  });
});

describe('linearWeights and resizeLinear', () => {
  it('gives rows that sum to 1, and the identity for equal sizes', () => {
    for (const [a, b] of [[7, 3], [3, 7], [100, 64], [5, 5]] as const) {
      for (const { weights } of linearWeights(a, b)) {
        expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
      }
    }
    const img = plane(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeLinear(img, 2, 3).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('interpolates bilinearly with edge clamping when enlarging', () => {
    // 2 -> 4: centres at -0.25, 0.25, 0.75, 1.25
    expect(Array.from(resizeLinear(plane(1, 2, [0, 1]), 1, 4).data)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('averages with a tent over the footprint when shrinking', () => {
    // 4 -> 2: centre 0.5, support 2: weights 0.25, 0.75, 0.75, 0.25 over inputs -1..2 (clipped)
    const out = resizeLinear(plane(1, 4, [0, 0, 4, 4]), 1, 2).data;
    expect(out[0]).toBeCloseTo((0 * 0.75 + 0 * 0.75 + 4 * 0.25) / 1.75, 14);
    expect(out[1]).toBeCloseTo((0 * 0.25 + 4 * 0.75 + 4 * 0.75) / 1.75, 14);
  });

  it('resizes rows then columns', () => {
    const out = resizeLinear(plane(2, 2, [0, 1, 2, 3]), 4, 4);
    expect(out.data[0]).toBe(0);
    expect(out.data[15]).toBe(3);
  });
});

describe('resizeLinear matches preprocess.resize_linear (float64)', () => {
  it.each(vectors.resize.map((v) => [v.input.join('x'), v.output.join('x'), v] as const))('%s -> %s', (_a, _b, v) => {
    const out = resizeLinear(plane(v.input[0], v.input[1], v.image), v.output[0], v.output[1]);
    expect(maxAbsDiff(out.data, v.resized)).toBeLessThanOrEqual(1e-13);
  });
});

describe('applyWindow', () => {
  it('maps [center - width/2, center + width/2] to [0, 1] and clips', () => {
    const out = applyWindow(plane(1, 4, [0, 0.4, 0.5, 0.9]), { center: 0.5, width: 0.2 });
    expect(Array.from(out.data).map((v) => +v.toFixed(12))).toEqual([0, 0, 0.5, 1]);
    expect(applyWindow(plane(1, 1, [0.3]), null).data[0]).toBe(0.3);
  });
});

describe('preprocess', () => {
  it('normalises, places the image top-left and pads with pad.value', () => {
    const image = { width: 2, height: 1, channels: 1 as const, bitDepth: 8 as const, data: Uint8Array.from([255, 0]) };
    const { tensor, geometry } = preprocess(image, spec(4, { pad: { where: 'bottom-right', value: -7 } }));
    expect(geometry).toEqual({ original: [1, 2], resized: [2, 4], inputSize: 4 });
    expect(tensor.length).toBe(16);
    expect(Array.from(tensor.subarray(0, 4))).toEqual([2, 1, -1, -2]);
    expect(Array.from(tensor.subarray(8))).toEqual(new Array(8).fill(-7));
  });
});

describeFixtures('preprocess matches the fixture tensor prompt_generator/image', ({ cases, manifest }) => {
  it.each(cases.map((c) => [c.id, c] as const))('%s (max abs <= 1e-5, geometry exact)', (_id, fixture) => {
    const image = decodeImage(readBundleBytes(fixture.image));
    const { tensor, geometry } = preprocess(image, manifest.preprocess);
    expect(geometry.original).toEqual(fixture.geometry.original);
    expect(geometry.resized).toEqual(fixture.geometry.resized);
    const expected = readFixtureTensor(fixture, 'prompt_generator/image');
    const diff = maxAbsDiff(tensor, expected.data as Float32Array);
    console.info(`[preprocess] ${fixture.id}: max abs diff ${diff.toExponential(3)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });
});
