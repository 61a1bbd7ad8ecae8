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
import { appScope, requestPersistence } from '../pwa';
import { errorMessage, isCrash, locusWorker, proxy } from '../worker-client';

export interface ShippedBundle {
  name: string;
  /** Relative to the page. */
  path: string;
  title: string;
  modality: string;
  /** The DICOM Modality values it expects (its manifest's expected_input). */
  dicomModalities: string[];
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
  if (choice.kind === 'url') return { kind: 'url', base: choice.base };
  if (choice.kind === 'cache') return { kind: 'cache', key: choice.key };
  return { kind: 'files', files: choice.files };
}

const LAST_BUNDLE = () => `locus.lastBundle ${appScope()}`;

/** What to reopen next time: a URL, or a picked folder's offline copy (files cannot be reopened). */
function remember(choice: BundleChoice, summary: BundleSummary): void {
  const last: BundleChoice | null =
    choice.kind === 'files' ? (summary.cache === null ? null : { kind: 'cache', key: summary.cache.key, label: choice.label }) : choice;
  try {
    if (last !== null) localStorage.setItem(LAST_BUNDLE(), JSON.stringify(last));
  } catch {
    // Storage refused (private mode): the studio opens the default bundle next time.
  }
}

/** The bundle used last in this app (URL or offline copy), or null. */
export function lastBundle(): BundleChoice | null {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_BUNDLE()) ?? 'null') as BundleChoice | null;
    return stored !== null && (stored.kind === 'url' || stored.kind === 'cache') ? stored : null;
  } catch {
    return null;
  }
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
    const summary = await locusWorker().loadBundle(workerSource(choice), { ep: 'webgpu', scope: appScope() }, onProgress);
    swappedIn(summary, choice);
    remember(choice, summary);
    if (summary.cache !== null) void requestPersistence().then(() => useBundleState.getState().storageChanged());
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

/** The last bundle used, else the first shipped one; a last one that no longer opens gives way to the shipped one. */
async function openAtStart(first: ShippedBundle | undefined): Promise<void> {
  const last = lastBundle();
  const fallback = first === undefined ? null : shippedChoice(first);
  if (last === null) {
    if (fallback !== null) await loadChoice(fallback);
    return;
  }
  try {
    await loadChoice(last);
  } catch (error) {
    if (fallback === null || isCrash(error)) throw error;
    await loadChoice(fallback);
    useCase.getState().setNotice(`The bundle used last (${last.label}) did not open: ${errorMessage(error)}. ${fallback.label} is loaded instead.`);
  }
}

/** Opens the bundle used last (or the first shipped one) once, when the studio opens with none. */
export function useDefaultBundle(): { noBundles: boolean } {
  const shipped = useShippedBundles();
  const first = shipped.data?.[0];
  const settled = shipped.isSuccess || shipped.isError;
  useEffect(() => {
    const { active, loading, failure } = useBundleState.getState();
    if (!settled || active !== null || loading !== null || failure !== null) return;
    const start = lastBundle() ?? (first === undefined ? null : shippedChoice(first));
    if (start === null) return;
    // Marked as loading now, so a second run of this effect (React's strict mode) loads nothing more.
    useBundleState.getState().startLoading(start);
    void openAtStart(first).catch(() => undefined);
  }, [first, settled]);
  return { noBundles: shipped.isSuccess && first === undefined && lastBundle() === null };
}
