/**
 * Bundles on another origin, fetched by the service worker for the page and its worker, whose
 * Content-Security-Policy lets them connect to their own origin only. A request for
 * `<scope>__locus-remote/<encoded URL>` is forwarded (GET, no credentials, no referrer) only
 * when the user approved that origin (kept in a small cache so it survives the worker's restarts);
 * anything else gets a 403 saying why. Nothing but the bundle's own files is ever requested: the
 * runtime verifies every file's sha256 against the manifest before using it.
 */
import { REMOTE_PREFIX } from '../runtime/remote-path';

const SETTINGS = 'locus-sw-settings';

function settingsKey(scope: string): string {
  return new URL('__locus-settings/approved-origins', scope).href;
}

async function approvedOrigins(scope: string): Promise<string[]> {
  const stored = await (await caches.open(SETTINGS)).match(settingsKey(scope));
  return stored === undefined ? [] : ((await stored.json()) as string[]);
}

export async function approveOrigin(origin: string, scope: string): Promise<void> {
  const origins = new Set(await approvedOrigins(scope));
  origins.add(new URL(origin).origin);
  await (await caches.open(SETTINGS)).put(settingsKey(scope), new Response(JSON.stringify([...origins])));
}

export function isRemoteRequest(url: URL, scope: string): boolean {
  return url.href.startsWith(new URL(REMOTE_PREFIX, scope).href);
}

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function remoteResponse(request: Request, scope: string): Promise<Response> {
  if (request.method !== 'GET') return refusal(405, 'only bundle files are fetched from other origins');
  let target: URL;
  try {
    target = new URL(decodeURIComponent(new URL(request.url).href.slice(new URL(REMOTE_PREFIX, scope).href.length)));
  } catch {
    return refusal(400, 'not a bundle address');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return refusal(400, 'bundles are fetched over http(s) only');
  if (!(await approvedOrigins(scope)).includes(target.origin)) {
    return refusal(403, `${target.origin} was not approved for loading bundles`);
  }
  const upstream = await fetch(target, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  const headers = new Headers();
  for (const name of ['Content-Type', 'Content-Length']) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers });
}
