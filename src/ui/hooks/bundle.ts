/**
 * Bundle loading through react-query: the list of shipped bundles (./bundles/index.json, written by
 * the build from vite.config.ts), and the chosen bundle loaded into the worker with progress.
 */
import { useQuery } from '@tanstack/react-query';
import type { BundleSummary, WorkerBundleSource } from '../../worker/api';
import { useBundleState, type BundleChoice } from '../state/bundle';
import { locusWorker, proxy } from '../worker-client';

export interface ShippedBundle {
  name: string;
  /** Relative to the page. */
  path: string;
  title: string;
  modality: string;
}

export async function getJson<T>(relative: string): Promise<T> {
  const response = await fetch(new URL(relative, document.baseURI));
  if (!response.ok) throw new Error(`${relative}: HTTP ${response.status}`);
  return (await response.json()) as T;
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

/** The chosen bundle (the first shipped one by default), loaded on WebGPU with WASM as fallback. */
export function useBundle() {
  const shipped = useShippedBundles();
  const chosen = useBundleState((s) => s.choice);
  const serial = useBundleState((s) => s.serial);
  const first = shipped.data?.[0];
  const choice = chosen ?? (first === undefined ? null : shippedChoice(first));
  const query = useQuery({
    queryKey: ['bundle', choice?.kind, choice?.kind === 'url' ? choice.base : choice?.label, serial],
    queryFn: async (): Promise<BundleSummary> => {
      const { setProgress } = useBundleState.getState();
      setProgress(null);
      const onProgress = proxy((p: Parameters<typeof setProgress>[0]) => setProgress(p));
      return locusWorker().loadBundle(workerSource(choice!), { ep: 'webgpu' }, onProgress);
    },
    enabled: choice !== null,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
  const noBundles = shipped.isSuccess && first === undefined && chosen === null;
  return { query, choice, shipped, noBundles };
}
