/// <reference lib="webworker" />
/**
 * The studio's service worker (vite-plugin-pwa, injectManifest): the app shell, the ONNX Runtime
 * and codec WebAssembly and the samples precached (Workbox; old precaches deleted), so a reload
 * without a network opens the studio; every page, worker and file it serves carries COOP/COEP,
 * so a host that cannot send them still gets a cross-origin isolated page (WASM threads) from the
 * second load on. Model bundles are not cached here: the analysis worker keeps them by content
 * hash (src/runtime/bundle-cache.ts). A bundle on another origin is fetched here, and only for
 * origins the user approved (the page and its worker may connect to their own origin only).
 * A new version waits until the user accepts the update prompt (a SKIP_WAITING message).
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isRemoteRequest, remoteResponse, approveOrigin } from './remote';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** What makes a document and its workers cross-origin isolated (SharedArrayBuffer, WASM threads). */
function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolation(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Reloads of the studio (its folder, index.html, any query) are answered with the precached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { allowlist: [/\/(index\.html)?$/] }));
registerRoute(({ url }) => isRemoteRequest(url, self.registration.scope), ({ request }) => remoteResponse(request, self.registration.scope));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: string; origin?: string } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
  if (data?.type === 'locus-approve-origin' && typeof data.origin === 'string') {
    event.waitUntil(approveOrigin(data.origin, self.registration.scope).then(() => event.ports[0]?.postMessage({ ok: true })));
  }
});

// The first version takes control at once (so the first visit already works offline afterwards);
// later ones only after the user accepted the update.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('securitypolicyviolation', (event: Event) => {
  const { violatedDirective, blockedURI } = event as SecurityPolicyViolationEvent;
  console.error(`Content-Security-Policy violation in the service worker: ${violatedDirective} blocked ${blockedURI || 'an inline resource'}`);
});
