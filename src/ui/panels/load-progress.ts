/** A bundle load's progress as a fraction (undefined: indeterminate) and words, for the top bar and the bundle panel. */
import type { LoadProgress } from '../../worker/api';

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function progressText(progress: LoadProgress | null): { value: number | undefined; label: string } {
  if (progress === null) return { value: undefined, label: 'reading the manifest…' };
  if (progress.phase === 'download') {
    if (progress.total <= 0) return { value: undefined, label: `downloading ${progress.file} (${megabytes(progress.loaded)} MB)` };
    const value = progress.loaded / progress.total;
    const sizes = `${megabytes(progress.loaded)} of ${megabytes(progress.total)} MB`;
    return { value, label: `downloading ${progress.file} ${Math.round(100 * value)}% (${sizes})` };
  }
  if (progress.phase === 'session') {
    return { value: (progress.index + 1) / progress.count, label: `creating session ${progress.index + 1} of ${progress.count} (${progress.graph})` };
  }
  if (progress.phase === 'warmup') return { value: 1, label: 'warming up (compiling the graphs once)…' };
  return { value: undefined, label: `falling back to ${progress.notice.to.toUpperCase()}` };
}
