/**
 * The outline of a binary mask as closed polygons along pixel edges. Each boundary edge between
 * a lesion pixel and a background pixel (or the image border) is directed so that the lesion
 * lies on its right (clockwise on screen, y down); following those edges gives closed loops,
 * outer boundaries and holes alike. Vertices sit on the integer pixel lattice in image pixels.
 */

/** A closed polygon, flattened: [x0, y0, x1, y1, ...]; only corners are kept. */
export type ContourLoop = number[];

// Directions: 0 right, 1 down, 2 left, 3 up (each a quarter turn clockwise on screen).
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

/** Outgoing-edge bits per lattice vertex [(h + 1) * (w + 1)]: bit d set = an edge leaves in direction d. */
function boundaryEdges(mask: ArrayLike<number>, width: number, height: number): Uint8Array {
  const W = width + 1;
  const out = new Uint8Array(W * (height + 1));
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const p = i * width + j;
      if (!mask[p]) continue;
      if (i === 0 || !mask[p - width]) out[i * W + j]! |= 1;
      if (j === width - 1 || !mask[p + 1]) out[i * W + j + 1]! |= 2;
      if (i === height - 1 || !mask[p + width]) out[(i + 1) * W + j + 1]! |= 4;
      if (j === 0 || !mask[p - 1]) out[(i + 1) * W + j]! |= 8;
    }
  }
  return out;
}

/** Next direction out of a vertex reached heading `d`: right turn first, so diagonal neighbours stay apart. */
function nextDirection(bits: number, d: number): number {
  for (const turn of [1, 0, 3]) {
    const n = (d + turn) % 4;
    if (bits & (1 << n)) return n;
  }
  throw new Error('contour: a boundary edge has no continuation');
}

/** Follows unused edges from `start` (a corner: the loop's first vertex in scan order) back to it. */
function traceLoop(out: Uint8Array, start: number, W: number): ContourLoop {
  const loop: ContourLoop = [];
  const bits = out[start] ?? 0;
  let d = bits & 1 ? 0 : bits & 2 ? 1 : bits & 4 ? 2 : 3;
  let prev = -1;
  let v = start;
  do {
    out[v]! &= ~(1 << d);
    if (d !== prev) loop.push(v % W, Math.floor(v / W));
    prev = d;
    v += DX[d as 0] + DY[d as 0] * W;
    if (v !== start) d = nextDirection(out[v] ?? 0, d);
  } while (v !== start);
  return loop;
}

/** All boundary loops of `mask` ([height, width], non-zero = inside). */
export function maskContours(mask: ArrayLike<number>, width: number, height: number): ContourLoop[] {
  const out = boundaryEdges(mask, width, height);
  const W = width + 1;
  const loops: ContourLoop[] = [];
  for (let v = 0; v < out.length; v++) {
    while (out[v]) loops.push(traceLoop(out, v, W));
  }
  return loops;
}
