/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The studio as an offline app: registers its service worker (src/sw/sw.ts, via vite-plugin-pwa),
 * says when a new version is waiting (the user reloads into it when ready, never mid-case), asks
 * the browser to keep the offline storage, reports how much is used, and tells the service worker
 * which other origins the user allowed bundles to come from.
 */
import { registerSW } from 'virtual:pwa-register';
import { create } from 'zustand';

export interface PwaState {
  /** A new version is installed and waits for the user. */
  updateReady: boolean;
  /** The app shell is cached: the studio opens without a network from now on. */
  offlineReady: boolean;
  /** Why the service worker could not be registered (the studio still works online). */
  error: string | null;
  /** Reloads into the waiting version. */
  update(): void;
}

export const usePwa = create<PwaState>()(() => ({ updateReady: false, offlineReady: false, error: null, update: () => undefined }));

/** Registers the service worker once, in a browser that has them (the dev server registers nothing). */
export function startPwa(): void {
  if (!('serviceWorker' in navigator)) {
    usePwa.setState({ error: 'this browser has no service workers: the studio needs the network to open' });
    return;
  }
  const updateSW = registerSW({
    immediate: true,
    onNeedRefresh: () => usePwa.setState({ updateReady: true }),
    onOfflineReady: () => usePwa.setState({ offlineReady: true }),
    onRegisterError: (error: unknown) => usePwa.setState({ error: `the offline service worker did not register (${String(error)})` }),
  });
  // The plugin reloads only when the page was controlled before it registered; a first visit that
  // lives until the next deployment would wait forever: reload on the controller change ourselves.
  const update = () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateSW(true);
  };
  usePwa.setState({ update });
}

/** The app's folder (the service worker's scope): bundles are cached under it. */
export function appScope(): string {
  return new URL('./', document.baseURI).href;
}

/** Lets the service worker fetch bundles from `origin` (the page itself may connect to its own origin only). */
export async function approveOrigin(origin: string): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration(appScope());
  const worker = registration?.active;
  if (!worker) {
    throw new Error('loading from another site goes through Locus\'s service worker, which is not active yet: reload the page and try again');
  }
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve, reject) => {
    channel.port1.onmessage = () => resolve();
    setTimeout(() => reject(new Error('the service worker did not answer')), 5000);
  });
  worker.postMessage({ type: 'locus-approve-origin', origin }, [channel.port2]);
  await done;
}

export interface StorageFacts {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

/** Asks once that the offline storage not be evicted under pressure (browsers decide; the answer is shown). */
export async function requestPersistence(): Promise<boolean | null> {
  if (!navigator.storage?.persist) return null;
  return (await navigator.storage.persisted()) || navigator.storage.persist();
}

export async function storageFacts(): Promise<StorageFacts> {
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : null;
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}
