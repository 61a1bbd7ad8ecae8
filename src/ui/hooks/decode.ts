/**
 * The result on screen: the last analysis while the prompt settings are its own, else a decoder-only
 * re-run for the current settings (a react-query keyed on the analysis and the settings). Slider
 * drags are debounced lightly, and re-runs never overlap: a queued one whose settings were already
 * superseded is dropped (react-query aborts it), so only the latest runs.
 */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DecodeResult, MaskMetrics, PromptSettings, Scored } from '../../worker/api';
import { useCase } from '../state/case';
import { settingsKey, usePrompts } from '../state/prompts';
import { locusWorker } from '../worker-client';

const DEBOUNCE_MS = 60;

let tail: Promise<void> = Promise.resolve();

/** Runs `work` after every earlier call; skips it when `signal` aborted while it waited. */
function oneAtATime<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const previous = tail;
  let release = () => {};
  tail = new Promise((resolve) => (release = resolve));
  return previous.then(async () => {
    try {
      signal.throwIfAborted();
      return await work();
    } finally {
      release();
    }
  });
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export interface Displayed {
  result: Scored<DecodeResult> | null;
  /** True while the result on screen does not yet match the current settings. */
  pending: boolean;
  error: Error | null;
}

export function useDisplayed(): Displayed {
  const analysis = useCase((s) => s.analysis);
  const analysisId = useCase((s) => s.analysisId);
  const current = usePrompts((s) => s.settings);
  const settings: PromptSettings = useDebounced(current, DEBOUNCE_MS);
  const key = settingsKey(settings);
  const own = analysis !== null && key === settingsKey(analysis.settings);
  const query = useQuery({
    queryKey: ['decode', analysisId, key],
    queryFn: ({ signal }) => oneAtATime(signal, () => locusWorker().redecode(settings)),
    enabled: analysis !== null && !own,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === analysisId ? previous : undefined),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    structuralSharing: false,
  });
  if (analysis === null) return { result: null, pending: false, error: null };
  const result = own ? analysis : (query.data ?? analysis);
  const pending = settingsKey(result.settings) !== settingsKey(current);
  return { result, pending: pending && !query.isError, error: own ? null : query.error };
}

/** Dice/IoU of the result on screen against the current ground truth (null without one). */
export function useMetrics(result: Scored<DecodeResult> | null): MaskMetrics | null {
  const truth = useCase((s) => s.truth);
  const analysisId = useCase((s) => s.analysisId);
  const fresh = result !== null && truth !== null && result.metrics?.truthId === truth.truthId;
  const query = useQuery({
    queryKey: ['score', analysisId, result === null ? '' : settingsKey(result.settings), truth?.truthId],
    queryFn: () => locusWorker().score(result!.mask),
    enabled: result !== null && truth !== null && !fresh,
    staleTime: Infinity,
    gcTime: 60_000,
  });
  if (result === null || truth === null) return null;
  return fresh ? result.metrics : (query.data ?? null);
}
