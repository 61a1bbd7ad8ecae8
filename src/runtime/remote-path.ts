/**
 * Bundles on another origin are read through the service worker (src/sw/remote.ts): the page and
 * its worker may connect to their own origin only (Content-Security-Policy connect-src 'self').
 * A file at URL u is asked for at `<app scope>__locus-remote/<encodeURIComponent(u)>`.
 */
export const REMOTE_PREFIX = '__locus-remote/';

/** Where the service worker of the app at `scope` answers for `target`. */
export function proxiedUrl(scope: string, target: URL): URL {
  return new URL(REMOTE_PREFIX + encodeURIComponent(target.href), scope);
}
