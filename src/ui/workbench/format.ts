/** How the workbench writes numbers, durations and its progress line. */
import type { BatchProgress } from '../../worker/api';

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  // Rounded once, so 239.6 s reads "4 min 0 s", never "3 min 60 s".
  const whole = Math.max(0, Math.round(seconds));
  return whole < 90 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
}

/** Cases a second, one decimal; two significant digits below 1 (SwiftShader runs ~0.04 a second). */
export function rate(perSecond: number): string {
  return perSecond >= 1 || perSecond === 0 ? perSecond.toFixed(1) : perSecond.toPrecision(2);
}

/** "120 / 500 cases · 8.1 cases/s · about 47 s left" (the rate over the run so far). */
export function progressLine(p: BatchProgress): string {
  const seconds = p.elapsedMs / 1000;
  const perSecond = seconds > 0 ? p.done / seconds : 0;
  const tail = p.done < p.total ? `about ${duration((p.total - p.done) / perSecond)} left` : `in ${duration(seconds)}`;
  return `${p.done} / ${p.total} cases · ${rate(perSecond)} cases/s · ${tail}`;
}
