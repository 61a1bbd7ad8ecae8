/**
 * A cheap look at a graph file before onnxruntime sees it: an ONNX model is a protobuf ModelProto
 * whose top-level fields must parse end to end and include ir_version (1) and graph (7). Random
 * bytes, an HTML error page or a truncated download fail here with a message naming the file,
 * instead of an onnxruntime error that names nothing.
 */

interface Cursor {
  at: number;
}

/** A protobuf varint at `cursor`, or null past the end or beyond 2^53. */
function varint(bytes: Uint8Array, cursor: Cursor): number | null {
  let value = 0;
  for (let shift = 0; shift < 53; shift += 7) {
    const byte = bytes[cursor.at++];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
  }
  return null;
}

/** Skips one field's payload; false when it is malformed or runs past the end. */
function skipPayload(bytes: Uint8Array, cursor: Cursor, wireType: number): boolean {
  if (wireType === 0) return varint(bytes, cursor) !== null;
  if (wireType === 1 || wireType === 5) {
    cursor.at += wireType === 1 ? 8 : 4;
    return cursor.at <= bytes.length;
  }
  if (wireType !== 2) return false;
  const length = varint(bytes, cursor);
  if (length === null) return false;
  cursor.at += length;
  return cursor.at <= bytes.length;
}

/** Why `bytes` cannot be an ONNX model, or null when its top level parses as one. */
export function onnxProblem(bytes: Uint8Array): string | null {
  const cursor: Cursor = { at: 0 };
  const seen = new Set<number>();
  while (cursor.at < bytes.length) {
    const start = cursor.at;
    const tag = varint(bytes, cursor);
    const field = tag === null ? 0 : Math.floor(tag / 8);
    if (tag === null || field === 0 || !skipPayload(bytes, cursor, tag % 8)) {
      return `not an ONNX model (the protobuf structure breaks at byte ${start} of ${bytes.length})`;
    }
    seen.add(field);
  }
  if (!seen.has(7)) return 'not an ONNX model (it holds no graph)';
  if (!seen.has(1)) return 'not an ONNX model (no IR version)';
  return null;
}
