/**
 * Bundle fixtures (models/README.md section 6): reference tensors the exporter recorded from
 * PyTorch, per case and graph, which `locus verify` re-runs and compares. Byte parsing is pure
 * (bytes in, typed array out); the caller says how a bundle-relative path is read.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { GraphSpec, TensorDType } from '../pipeline/index';
import type { ReadFile } from '../runtime/bundle';

export interface FixtureTensorRef {
  dtype: TensorDType;
  shape: number[];
  /** Raw little-endian C-order data, relative to the bundle folder. */
  file: string;
}

export interface FixturePoints {
  /** [x, y] per point. */
  coords: [number, number][];
  labels: number[];
}

/** The prompt settings a fixture case was computed with (the exporter's PromptSettings). */
export interface FixtureSettings {
  k: number;
  theta: number;
  use_coarse: boolean;
  use_points: boolean;
  use_text: boolean;
  /** [x, y, label] in the model-input frame. */
  user_points: [number, number, number][];
}

export interface FixtureCase {
  id: string;
  report: string;
  image: string;
  settings?: FixtureSettings;
  /** Keyed "<graph>/<io name>". */
  tensors: Record<string, FixtureTensorRef>;
  points: FixturePoints;
  final_mask: string;
}

export interface FixtureIndex {
  cases: FixtureCase[];
}

export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;

/** A tensor in host memory; bool is stored as one byte (0 or 1) per element. */
export interface HostTensor {
  dtype: TensorDType;
  shape: number[];
  data: TensorData;
}

const BYTES_PER_ELEMENT: Record<TensorDType, number> = { float32: 4, int64: 8, int32: 4, uint8: 1, bool: 1 };

const tensorRefSchema = {
  type: 'object',
  required: ['dtype', 'shape', 'file'],
  properties: {
    dtype: { enum: Object.keys(BYTES_PER_ELEMENT) },
    shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
    file: { type: 'string', minLength: 1 },
  },
};

const fixtureIndexSchema = {
  type: 'object',
  required: ['cases'],
  properties: {
    cases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'report', 'image', 'tensors', 'points', 'final_mask'],
        properties: {
          id: { type: 'string', minLength: 1 },
          report: { type: 'string' },
          image: { type: 'string' },
          tensors: { type: 'object', additionalProperties: tensorRefSchema },
          points: {
            type: 'object',
            required: ['coords', 'labels'],
            properties: {
              coords: {
                type: 'array',
                items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } },
              },
              labels: { type: 'array', items: { type: 'integer' } },
            },
          },
          final_mask: { type: 'string' },
        },
      },
    },
  },
};

let compiledIndex: ValidateFunction<FixtureIndex> | undefined;

/** Checks parsed fixtures/index.json; throws with every problem listed. */
export function parseFixtureIndex(data: unknown): FixtureIndex {
  compiledIndex ??= new Ajv2020({ allErrors: true }).compile<FixtureIndex>(fixtureIndexSchema);
  if (!compiledIndex(data)) {
    const problems = (compiledIndex.errors ?? []).map((e) => `${e.instancePath || '(index)'}: ${e.message ?? ''}`);
    throw new Error(`invalid fixture index: ${problems.join('; ')}`);
  }
  return data;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes raw little-endian C-order bytes; the result never aliases `input`. */
export function decodeTensor(input: ArrayBuffer | Uint8Array, dtype: TensorDType, shape: readonly number[]): HostTensor {
  const count = elementCount(shape);
  const expectedBytes = count * BYTES_PER_ELEMENT[dtype];
  if (input.byteLength !== expectedBytes) {
    throw new Error(`${dtype}[${shape.join(',')}] needs ${expectedBytes} bytes, got ${input.byteLength}`);
  }
  // A copy at offset 0 of its own buffer, so every typed view is aligned.
  const copy = (input instanceof Uint8Array ? input : new Uint8Array(input)).slice();
  if (!hostIsLittleEndian) swapBytes(copy, BYTES_PER_ELEMENT[dtype]);
  const data = typedView(copy.buffer, dtype);
  if (dtype === 'bool' && data.some((v) => v !== 0 && v !== 1)) {
    throw new Error('bool tensor holds a byte other than 0 or 1');
  }
  return { dtype, shape: [...shape], data };
}

function typedView(bytes: ArrayBuffer, dtype: TensorDType): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes);
    case 'int64':
      return new BigInt64Array(bytes);
    case 'int32':
      return new Int32Array(bytes);
    case 'uint8':
    case 'bool':
      return new Uint8Array(bytes);
  }
}

function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let start = 0; start < bytes.length; start += width) {
    bytes.subarray(start, start + width).reverse();
  }
}

export async function loadFixtureTensor(read: ReadFile, ref: FixtureTensorRef): Promise<HostTensor> {
  return decodeTensor(await read(ref.file), ref.dtype, ref.shape);
}

/** Which fixture tensors feed one graph in one case, and which it should produce. */
export type GraphCasePlan =
  | { kind: 'skip' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; inputs: Record<string, FixtureTensorRef>; expected: Record<string, FixtureTensorRef> };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A graph whose inputs are all absent from the case is skipped; partly present is an error. */
export function planGraphCase(fixture: FixtureCase, graphName: string, graph: GraphSpec): GraphCasePlan {
  const key = (name: string): string => `${graphName}/${name}`;
  const present = graph.inputs.filter((spec) => key(spec.name) in fixture.tensors);
  if (present.length === 0) return { kind: 'skip' };
  const problems: string[] = [];
  const pick = (specs: GraphSpec['inputs'], role: string): Record<string, FixtureTensorRef> => {
    const refs: Record<string, FixtureTensorRef> = {};
    for (const spec of specs) {
      const ref = fixture.tensors[key(spec.name)];
      if (ref === undefined) {
        problems.push(`no fixture tensor for ${role} '${key(spec.name)}'`);
      } else if (ref.dtype !== spec.dtype || !sameShape(ref.shape, spec.shape)) {
        problems.push(
          `${role} '${key(spec.name)}' is ${ref.dtype}[${ref.shape.join(',')}] in the fixture, ` +
            `${spec.dtype}[${spec.shape.join(',')}] in the manifest`,
        );
      } else {
        refs[spec.name] = ref;
      }
    }
    return refs;
  };
  const inputs = pick(graph.inputs, 'input');
  const expected = pick(graph.outputs, 'output');
  if (problems.length > 0) return { kind: 'error', message: problems.join('; ') };
  return { kind: 'run', inputs, expected };
}

export interface TensorComparison {
  shapeMatches: boolean;
  dtypeMatches: boolean;
  /** Largest |expected - actual|; Infinity where exactly one side is NaN or shapes differ. */
  maxAbsDiff: number;
  /**
   * What the tolerance is measured against: max(1, largest finite |expected|). Float32 rounding in
   * a deep graph grows with the size of the values (v2's encoder maps reach ~50), so `locus verify`
   * passes an output when maxAbsDiff <= tol * scale: an absolute tolerance for outputs within
   * [-1, 1], a relative one beyond.
   */
  scale: number;
}

export function compareTensors(expected: HostTensor, actual: HostTensor): TensorComparison {
  const shapeMatches = sameShape(expected.shape, actual.shape) && expected.data.length === actual.data.length;
  const dtypeMatches = expected.dtype === actual.dtype;
  let scale = 1;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Math.abs(Number(expected.data[i]));
    if (Number.isFinite(a) && a > scale) scale = a;
  }
  if (!shapeMatches) return { shapeMatches, dtypeMatches, maxAbsDiff: Infinity, scale };
  let maxAbsDiff = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(expected.data[i]);
    const b = Number(actual.data[i]);
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    const diff = Math.abs(a - b);
    if (Number.isNaN(diff)) return { shapeMatches, dtypeMatches, maxAbsDiff: Infinity, scale };
    if (diff > maxAbsDiff) maxAbsDiff = diff;
  }
  return { shapeMatches, dtypeMatches, maxAbsDiff, scale };
}
