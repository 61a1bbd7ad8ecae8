/**
 * The result on screen: the last analysis while the prompt settings are its own, else a decoder-only
 * re-run of that analysis for the current settings (a react-query keyed on the analysis id and the
 * settings). Re-runs start at once and never overlap: a queued one whose settings were superseded
 * is dropped (react-query aborts it), so a slider drag runs the latest settings as soon as the
 * decoder is free. A re-run the worker refuses because its analysis was replaced shows nothing.
 * The result is stale while the report on screen differs from the one analysed.
 */
import { useMemo } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DecodeResult, MaskMetrics, PromptSettings, Scored } from '../../worker/api';
import { markRequest, markResponse } from '../latency';
import { useCase } from '../state/case';
import { settingsKey, usePrompts } from '../state/prompts';
import { isCrash, isStale, locusWorker } from '../worker-client';

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

export interface Displayed {
  result: Scored<DecodeResult> | null;
  /** True while the result on screen does not yet match the current settings. */
  pending: boolean;
  /** Why the result no longer matches the case on screen (null: it does); Segment again to refresh it. */
  stale: string | null;
  error: Error | null;
}

/**
 * Re-runs kept for going back (undo, a slider returning to a value) without asking the worker
 * again; each holds a full-size mask, so older ones are dropped, and all of an older analysis.
 */
const KEPT_RERUNS = 12;

/** Drops cached re-runs of other analyses and all but the newest KEPT_RERUNS of this one (never one in view). */
function pruneReruns(client: QueryClient, analysisId: string): void {
  const unused = client
    .getQueryCache()
    .findAll({ queryKey: ['decode'] })
    .filter((query) => query.getObserversCount() === 0 && query.state.fetchStatus === 'idle');
  const own = unused.filter((query) => query.queryKey[1] === analysisId).sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt);
  const drop = [...unused.filter((query) => query.queryKey[1] !== analysisId), ...own.slice(KEPT_RERUNS)];
  for (const query of drop) client.getQueryCache().remove(query);
}

async function rerun(client: QueryClient, analysisId: string, settings: PromptSettings): Promise<Scored<DecodeResult>> {
  const key = settingsKey(settings);
  markRequest(key);
  const result = await locusWorker().redecode(analysisId, settings);
  markResponse(key, result.timings);
  pruneReruns(client, analysisId);
  return result;
}

export function useDisplayed(): Displayed {
  const analysis = useCase((s) => s.analysis);
  const report = useCase((s) => s.report);
  const settings = usePrompts((s) => s.settings);
  const key = settingsKey(settings);
  const analysisId = analysis?.analysisId ?? '';
  const own = analysis !== null && key === settingsKey(analysis.settings);
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['decode', analysisId, key],
    queryFn: ({ signal }) => oneAtATime(signal, () => rerun(client, analysisId, settings)),
    enabled: analysis !== null && !own,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === analysisId ? previous : undefined),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    structuralSharing: false,
  });
  const result = analysis === null ? null : own ? analysis : (query.data ?? analysis);
  const refused = query.error !== null && (isStale(query.error) || isCrash(query.error));
  const failed = !own && query.isError;
  const pending = result !== null && settingsKey(result.settings) !== key && !failed;
  const stale = analysis !== null && analysis.reportText !== report ? 'Report changed: Segment again' : null;
  const error = analysis === null || own || refused ? null : query.error;
  // One object per state, so panels that only take `displayed` skip renders where nothing changed.
  return useMemo(() => ({ result, pending, stale, error }), [result, pending, stale, error]);
}

/** Dice/IoU of the result on screen against the current ground truth (null without one). */
export function useMetrics(result: Scored<DecodeResult> | null): MaskMetrics | null {
  const truth = useCase((s) => s.truth?.mask ?? null);
  const analysisId = useCase((s) => s.analysis?.analysisId);
  const fresh = result !== null && truth !== null && result.metrics?.truthId === truth.truthId;
  const query = useQuery({
    queryKey: ['score', analysisId, result === null ? '' : settingsKey(result.settings), truth?.truthId],
    queryFn: () => locusWorker().score(result!.mask),
    enabled: result !== null && truth !== null && !fresh,
    staleTime: Infinity,
    // Its queryFn holds the result's full-size mask: gone as soon as the result is, not a minute later.
    gcTime: 0,
  });
  if (result === null || truth === null) return null;
  return fresh ? result.metrics : (query.data ?? null);
}
