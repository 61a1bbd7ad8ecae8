/**
 * User Timing marks along the path from a prompt change to the repainted mask, so
 * scripts/latency.ts can print where the time goes. performance.mark costs microseconds and shows
 * nowhere in the studio. The path, in order:
 *   locus:input     a prompt setting changed (slider, toggle, point, undo)
 *   locus:request   its decoder-only re-run was sent to the worker
 *   locus:response  the result is back (detail: the worker's stage times)
 *   locus:rasters   measure: the mask layers rebuilt for the viewer
 *   locus:paint     measure: the canvas repainted
 *   locus:painted   the frame holding the new mask was presented
 */
import type { StageTimings } from '../worker/api';

export const MARKS = {
  input: 'locus:input',
  request: 'locus:request',
  response: 'locus:response',
  rasters: 'locus:rasters',
  paint: 'locus:paint',
  painted: 'locus:painted',
} as const;

/** Every this many entries the timeline is cleared, so a long session does not grow it. */
const KEEP_ENTRIES = 200;
let count = 0;

function counted(): void {
  if (++count % KEEP_ENTRIES !== 0) return;
  performance.clearMarks();
  performance.clearMeasures();
}

function mark(name: string, detail?: unknown): void {
  performance.mark(name, { detail });
  counted();
}

export function markInput(key: string): void {
  mark(MARKS.input, { key });
}

export function markRequest(key: string): void {
  mark(MARKS.request, { key });
}

export function markResponse(key: string, timings: StageTimings): void {
  mark(MARKS.response, { key, timings });
}

/** Runs `work` and records its duration as the measure `name`. */
export function measured<T>(name: string, work: () => T): T {
  const start = performance.now();
  const value = work();
  performance.measure(name, { start, end: performance.now() });
  counted();
  return value;
}

/** Marks `painted` once the browser has presented the frame being drawn now. */
export function markPaintedSoon(): void {
  requestAnimationFrame(() => setTimeout(() => mark(MARKS.painted), 0));
}
