import { describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../../src/worker/api';
import { duration, progressLine, rate } from '../../../src/ui/workbench/format';

const progress = (done: number, total: number, elapsedMs: number): BatchProgress => ({
  phase: 'evaluate',
  done,
  total,
  elapsedMs,
  reencoded: 0,
  cache: { cases: 0, bytes: 0, budgetBytes: 0, perCaseBytes: 0 },
});

describe('workbench progress line', () => {
  it('writes durations rounded once, never 60 seconds in a minute', () => {
    expect(duration(12.4)).toBe('12 s');
    expect(duration(89.6)).toBe('1 min 30 s');
    expect(duration(239.6)).toBe('4 min 0 s');
    expect(duration(Infinity)).toBe('–');
  });

  it('keeps two significant digits for rates under one case a second', () => {
    expect(rate(4.74)).toBe('4.7');
    expect(rate(0.0417)).toBe('0.042');
    expect(rate(0)).toBe('0.0');
  });

  it('says cases, rate and time left, or the time taken once done', () => {
    expect(progressLine(progress(120, 500, 15_000))).toBe('120 / 500 cases · 8.0 cases/s · about 48 s left');
    expect(progressLine(progress(10, 10, 240_000))).toBe('10 / 10 cases · 0.042 cases/s · in 4 min 0 s');
  });
});
