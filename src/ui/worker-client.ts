/**
 * The one worker of the studio, wrapped with comlink. Components never call it directly: the hooks
 * in ./hooks wrap every call in react-query (queries and mutations), so loading and errors are state.
 */
import * as Comlink from 'comlink';
import type { LocusWorkerApi } from '../worker/api';

let remote: Comlink.Remote<LocusWorkerApi> | null = null;

export function locusWorker(): Comlink.Remote<LocusWorkerApi> {
  remote ??= Comlink.wrap<LocusWorkerApi>(new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' }));
  return remote;
}

export const { proxy, transfer } = Comlink;

/** The message of anything thrown, in one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
