/** What the worker hands to postMessage: buffers to move rather than copy, and throttled progress. */
import type { AnalysisResult, DecodeResult } from '../runtime/results';
import type { LoadProgress } from './api';

export function wholeBuffers(views: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
    if (whole && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  }
  return [...buffers];
}

/** The buffers of a result the worker no longer needs, so postMessage moves rather than copies them. */
export function transferables(result: DecodeResult | AnalysisResult): ArrayBuffer[] {
  const views: ArrayBufferView[] = [result.mask, result.slots.coords, result.slots.labels];
  if ('coarse' in result) views.push(result.coarse.logits, result.coarse.probabilities);
  return wholeBuffers(views);
}

/** Only sends download progress when a file starts, ends or moves by at least 1%. */
export function throttled(onProgress: ((p: LoadProgress) => void) | undefined) {
  const last = new Map<string, number>();
  return (file: string, loaded: number, total: number) => {
    const step = total > 0 ? total / 100 : 1 << 20;
    const previous = last.get(file);
    if (previous !== undefined && loaded < total && loaded - previous < step) return;
    last.set(file, loaded);
    onProgress?.({ phase: 'download', file, loaded, total });
  };
}
