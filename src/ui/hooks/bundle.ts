/**
 * Bundle loading through react-query: the list of shipped bundles (./bundles/index.json, written by
 * the build from vite.config.ts), and a chosen bundle loaded into the worker beside the active one,
 * with progress. The active bundle (state/bundle.ts) changes only when a load succeeded.
 */
import { useEffect } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { BundleSummary, LoadProgress, WorkerBundleSource } from '../../worker/api';
import { useBundleState, type BundleChoice } from '../state/bundle';
import { useCase } from '../state/case';
import { usePrompts } from '../state/prompts';
import { errorMessage, isCrash, locusWorker, proxy } from '../worker-client';

export interface ShippedBundle {
  name: string;
  /** Relative to the page. */
  path: string;
  title: string;
  modality: string;
}

/** A local file of the app (the sample list, the bundle list), with errors that say what failed. */
export async function getJson<T>(relative: string): Promise<T> {
  const url = new URL(relative, document.baseURI);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not reach ${url.href} (${errorMessage(error)})`, { cause: error });
  }
  if (!response.ok) throw new Error(`${relative}: HTTP ${response.status}`);
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${relative} is not JSON (it starts with ${JSON.stringify(text.slice(0, 30))})`);
  }
}

export function useShippedBundles() {
  return useQuery({
    queryKey: ['shipped-bundles'],
    queryFn: () => getJson<ShippedBundle[]>('./bundles/index.json'),
    staleTime: Infinity,
  });
}

/** A shipped bundle as a choice: its URL resolved against the page (the worker lives elsewhere). */
export function shippedChoice(bundle: ShippedBundle): BundleChoice {
  return { kind: 'url', base: new URL(bundle.path, document.baseURI).href, label: bundle.title };
}

function workerSource(choice: BundleChoice): WorkerBundleSource {
  return choice.kind === 'url' ? { kind: 'url', base: choice.base } : { kind: 'files', files: choice.files };
}

/**
 * The new bundle is in the worker: the old analysis belonged to the old engine, and another model
 * brings its own prompt defaults (the same bundle reloaded keeps the user's settings and points).
 */
function swappedIn(summary: BundleSummary, choice: BundleChoice): void {
  const previous = useBundleState.getState().active?.summary.manifest.bundle_id;
  useBundleState.getState().loaded({ summary, choice });
  if (previous !== summary.manifest.bundle_id) usePrompts.getState().setDefaults(summary.defaults);
  const { analysis, clearAnalysis } = useCase.getState();
  if (analysis !== null) clearAnalysis(`${summary.manifest.title} is loaded: press Segment to analyse this case with it.`);
}

/**
 * Loads `choice` beside the active bundle (WebGPU, WASM as fallback) and makes it the active one;
 * on failure the active bundle stays and the reason is kept for the bundle panel.
 */
export async function loadChoice(choice: BundleChoice): Promise<BundleSummary> {
  const state = useBundleState.getState();
  state.startLoading(choice);
  try {
    const onProgress = proxy((p: LoadProgress) => useBundleState.getState().setProgress(p));
    const summary = await locusWorker().loadBundle(workerSource(choice), { ep: 'webgpu' }, onProgress);
    swappedIn(summary, choice);
    return summary;
  } catch (error) {
    const message = isCrash(error) ? `${errorMessage(error)}; try again` : errorMessage(error);
    useBundleState.getState().failed(choice.label, message);
    throw error;
  }
}

export function useLoadBundle() {
  return useMutation({ mutationKey: ['bundle'], mutationFn: loadChoice });
}

/**
 * Resolves once a bundle is active (at once if one is); rejects if the first load fails. A sample
 * clicked while the first bundle loads opens at once and segments when the bundle is ready.
 */
export function bundleReady(): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (state: ReturnType<typeof useBundleState.getState>) => {
      if (state.active !== null) resolve();
      else if (state.loading === null && state.failure !== null) reject(new Error(`no bundle: ${state.failure.message}`));
      else return false;
      return true;
    };
    if (check(useBundleState.getState())) return;
    const stop = useBundleState.subscribe((state) => check(state) && stop());
  });
}

/** The bundle in use (undefined before the first load succeeded). */
export function useActiveBundle(): BundleSummary | undefined {
  return useBundleState((s) => s.active?.summary);
}

/** Loads the first shipped bundle once, when the studio opens with none. */
export function useDefaultBundle(): { noBundles: boolean } {
  const shipped = useShippedBundles();
  const { mutate } = useLoadBundle();
  const first = shipped.data?.[0];
  useEffect(() => {
    const { active, loading, failure } = useBundleState.getState();
    if (first === undefined || active !== null || loading !== null || failure !== null) return;
    const choice = shippedChoice(first);
    // Marked as loading now, so a second run of this effect (React's strict mode) loads nothing more.
    useBundleState.getState().startLoading(choice);
    mutate(choice);
  }, [first, mutate]);
  return { noBundles: shipped.isSuccess && first === undefined };
}
