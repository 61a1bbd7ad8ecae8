/**
 * The final mask at the original size, fast: `resizeLinear(plane) > threshold` with the same
 * decisions, bit for bit, computing the sums only where they can fall on either side.
 *
 * When the image is enlarged (every re-run: a few hundred frame pixels become a full-size image),
 * each output pixel is a convex combination of at most 2 x 2 inputs, and whole blocks of outputs
 * share the same inputs. A block whose inputs all lie clearly above the threshold is all lesion,
 * clearly below all background; only blocks along the boundary are summed, in the exact order
 * resizeLinear uses. "Clearly" leaves a margin far above float64 rounding, so no decision can
 * differ from the full computation. Shrinking falls back to the full computation.
 */
import { cachedTaps, resizeLinearAbove, type FlatTaps, type Plane } from './preprocess';

/** Runs of consecutive outputs that read the same inputs: outputs [from, to) read inputs [first, first + count). */
interface Run {
  from: number;
  to: number;
  first: number;
  count: number;
}

function runs(taps: FlatTaps, size: number): Run[] {
  const out: Run[] = [];
  for (let o = 0; o < size; o++) {
    const first = taps.first[o]!;
    const count = taps.start[o + 1]! - taps.start[o]!;
    const last = out.at(-1);
    if (last !== undefined && last.first === first && last.count === count) last.to = o + 1;
    else out.push({ from: o, to: o + 1, first, count });
  }
  return out;
}

/** The exact sum resizeLinear computes for output (o, p): rows first (into tmp), then columns, in tap order. */
function exactValue(plane: Plane, rows: FlatTaps, cols: FlatTaps, o: number, p: number): number {
  let acc = 0;
  for (let tc = cols.start[p]!, c = cols.first[p]!; tc < cols.start[p + 1]!; tc++, c++) {
    let tmp = 0;
    for (let tr = rows.start[o]!, r = rows.first[o]!; tr < rows.start[o + 1]!; tr++, r++) {
      tmp = tmp + rows.weights[tr]! * plane.data[r * plane.width + c]!;
    }
    acc += cols.weights[tc]! * tmp;
  }
  return acc;
}

/** `resizeLinear(plane, height, width).data[i] > threshold ? 1 : 0`, as a mask [height, width]. */
export function resizeMaskAbove(plane: Plane, height: number, width: number, threshold: number): Uint8Array {
  if (height < plane.height || width < plane.width) return resizeLinearAbove(plane, height, width, threshold);
  const rows = cachedTaps(plane.height, height);
  const cols = cachedTaps(plane.width, width);
  const out = new Uint8Array(height * width);
  const colRuns = runs(cols, width);
  for (const rowRun of runs(rows, height)) {
    for (const colRun of colRuns) {
      let [low, high] = [Infinity, -Infinity];
      for (let r = rowRun.first; r < rowRun.first + rowRun.count; r++) {
        for (let c = colRun.first; c < colRun.first + colRun.count; c++) {
          const v = plane.data[r * plane.width + c]!;
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
      // Far wider than any rounding of a convex combination of these values.
      const margin = 1e-9 * (1 + Math.abs(threshold) + Math.max(Math.abs(low), Math.abs(high)));
      if (high < threshold - margin) continue;
      const all = low > threshold + margin;
      for (let o = rowRun.from; o < rowRun.to; o++) {
        if (all) {
          out.fill(1, o * width + colRun.from, o * width + colRun.to);
          continue;
        }
        for (let p = colRun.from; p < colRun.to; p++) out[o * width + p] = exactValue(plane, rows, cols, o, p) > threshold ? 1 : 0;
      }
    }
  }
  return out;
}
