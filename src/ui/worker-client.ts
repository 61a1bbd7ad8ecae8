/**
 * The one worker of the studio, wrapped with comlink and supervised (./worker-supervisor.ts): a
 * worker that dies is replaced, and hooks/recovery.ts reopens the case in the new one. Components
 * never call it directly: the hooks in ./hooks wrap every call in react-query (queries and
 * mutations), so loading and errors are state.
 */
import * as Comlink from 'comlink';
import type { LocusWorkerApi, StaleInputErrorName } from '../worker/api';
import { WorkerSupervisor, type Crash } from './worker-supervisor';

const supervisor = new WorkerSupervisor<LocusWorkerApi>(
  () => new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' }),
);

export function locusWorker(): Comlink.Remote<LocusWorkerApi> {
  return supervisor.api;
}

/** Calls `listener` whenever the worker died and was replaced (the case must be reopened). */
export function onWorkerCrash(listener: (crash: Crash) => void): () => void {
  return supervisor.onCrash(listener);
}

export const { proxy, transfer } = Comlink;

/** The message of anything thrown, in one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

const STALE: StaleInputErrorName = 'StaleInputError';

/** True for a call refused because its image, analysis or bundle was replaced meanwhile (nothing to show). */
export function isStale(error: unknown): boolean {
  return error instanceof Error && error.name === STALE;
}

/** True when the worker died under the call (recovery reopens the case; the call's error is not the user's). */
export function isCrash(error: unknown): boolean {
  return error instanceof Error && error.name === 'WorkerCrashedError';
}
