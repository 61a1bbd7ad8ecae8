/** How the workbench writes numbers, durations and its progress line. */
import type { BatchProgress } from '../../worker/api';

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
}

/** "120 / 500 cases · 8.1 cases/s · about 47 s left" (the rate over the run so far). */
export function progressLine(p: BatchProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const tail = p.done < p.total ? `about ${duration((p.total - p.done) / rate)} left` : `in ${duration(seconds)}`;
  return `${p.done} / ${p.total} cases · ${rate.toFixed(1)} cases/s · ${tail}`;
}
