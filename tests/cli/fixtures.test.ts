import { describe, expect, it } from 'vitest';
import { compareTensors, decodeTensor, parseFixtureIndex, planGraphCase, type FixtureCase } from '../../src/cli/fixtures';
import type { GraphSpec } from '../../src/pipeline/index';

function littleEndian(write: (view: DataView) => void, bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes);
  write(new DataView(buffer));
  return buffer;
}

describe('decodeTensor', () => {
  it('reads little-endian float32 and int64 in C order', () => {
    const floats = littleEndian((v) => [1.5, -2, 0.25, 8].forEach((x, i) => v.setFloat32(i * 4, x, true)), 16);
    const f = decodeTensor(floats, 'float32', [2, 2]);
    expect(Array.from(f.data as Float32Array)).toEqual([1.5, -2, 0.25, 8]);
    expect(f.shape).toEqual([2, 2]);
    const ints = littleEndian((v) => v.setBigInt64(0, -3n, true), 8);
    expect(Array.from(decodeTensor(ints, 'int64', [1]).data as BigInt64Array)).toEqual([-3n]);
  });

  it('rejects a byte count that does not match the shape, and non-0/1 bools', () => {
    expect(() => decodeTensor(new ArrayBuffer(12), 'float32', [2, 2])).toThrow(/needs 16 bytes, got 12/);
    expect(() => decodeTensor(new Uint8Array([0, 2]).buffer, 'bool', [2])).toThrow(/bool/);
  });
});

describe('compareTensors', () => {
  const t = (values: number[], shape = [values.length]) =>
    ({ dtype: 'float32', shape, data: Float32Array.from(values) }) as const;

  it('reports the largest absolute difference', () => {
    expect(compareTensors(t([1, 2, 3]), t([1, 2.5, 2.75])).maxAbsDiff).toBeCloseTo(0.5);
  });

  it('measures the tolerance against max(1, largest finite |expected|)', () => {
    expect(compareTensors(t([0.5, -0.25]), t([0.5, -0.25])).scale).toBe(1);
    expect(compareTensors(t([3, -48, Infinity]), t([3, -48, Infinity])).scale).toBe(48);
  });

  it('flags shape mismatches and one-sided NaN', () => {
    expect(compareTensors(t([1, 2]), t([1, 2], [2, 1])).shapeMatches).toBe(false);
    expect(compareTensors(t([NaN, 1]), t([NaN, 1])).maxAbsDiff).toBe(0);
    expect(compareTensors(t([NaN]), t([0])).maxAbsDiff).toBe(Infinity);
  });
});

describe('planGraphCase', () => {
  const graph: GraphSpec = {
    file: 'g.onnx',
    sha256: '0'.repeat(64),
    bytes: 1,
    opset: 17,
    inputs: [
      { name: 'a', dtype: 'float32', shape: [2], description: '' },
      { name: 'b', dtype: 'int64', shape: [1], description: '' },
    ],
    outputs: [{ name: 'y', dtype: 'float32', shape: [2], description: '' }],
  };
  const ref = (dtype: 'float32' | 'int64', shape: number[], file: string) => ({ dtype, shape, file });
  const fixture = (tensors: FixtureCase['tensors']): FixtureCase =>
    parseFixtureIndex({
      cases: [{ id: 'c', report: '', image: 'i.png', tensors, points: { coords: [[1, 2]], labels: [1] }, final_mask: 'm.png' }],
    }).cases[0]!;

  it('skips a graph with none of its inputs', () => {
    expect(planGraphCase(fixture({}), 'g', graph)).toEqual({ kind: 'skip' });
  });

  it('plans inputs and expected outputs by manifest name', () => {
    const tensors = { 'g/a': ref('float32', [2], 'a.bin'), 'g/b': ref('int64', [1], 'b.bin'), 'g/y': ref('float32', [2], 'y.bin') };
    expect(planGraphCase(fixture(tensors), 'g', graph)).toEqual({
      kind: 'run',
      inputs: { a: tensors['g/a'], b: tensors['g/b'] },
      expected: { y: tensors['g/y'] },
    });
  });

  it('reports missing and mismatched tensors', () => {
    const plan = planGraphCase(fixture({ 'g/a': ref('float32', [3], 'a.bin') }), 'g', graph);
    expect(plan.kind).toBe('error');
    expect(plan.kind === 'error' && plan.message).toMatch(/input 'g\/a' is float32\[3\].*no fixture tensor for input 'g\/b'.*output 'g\/y'/);
  });
});
