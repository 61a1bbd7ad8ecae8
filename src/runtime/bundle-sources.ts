/**
 * Where a bundle's files are read from: a URL base (fetch, with download progress; a base on
 * another origin through the app's service worker, see remote-path.ts), files dropped or picked in
 * the browser (a folder pick adds a top folder; both are accepted), a directory handle, the
 * offline cache (bundle-cache.ts: by content, no reader), or any reader (node fs for the CLI:
 * `bundle-node.ts`). Every problem is a BundleError naming the file.
 */
import { proxiedUrl } from './remote-path';

/** What a bundle is read from; every kind except 'reader' can be posted to a worker. */
export type BundleSource =
  | { kind: 'url'; base: string }
  | { kind: 'files'; files: Record<string, Blob> }
  | { kind: 'directory'; handle: FileSystemDirectoryHandle }
  /** A bundle kept for offline use, by its cache key (a URL base, or "folder:<bundle_id>"). */
  | { kind: 'cache'; key: string }
  | { kind: 'reader'; name: string; read: ReadFile };

/** Reads one bundle-relative file; reports progress when it can. */
export type ReadFile = (path: string, onProgress?: (loaded: number, total: number) => void) => Promise<Uint8Array>;

/** A bundle problem, naming the file it is about. */
export class BundleError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'BundleError';
  }
}

/** The server could not be reached at all (offline, a wrong address): the offline copy may serve. */
export class UnreachableError extends BundleError {
  override readonly name = 'UnreachableError';
}

/** Bundle-relative paths stay inside the bundle: no absolute paths, no '..'. */
export function checkRelativePath(path: string): string {
  const parts = path.split('/');
  if (path.startsWith('/') || parts.some((p) => p === '..' || p === '') || /^[a-z]+:/i.test(path)) {
    throw new BundleError(path, 'path leaves the bundle folder');
  }
  return path;
}

async function readStream(
  body: ReadableStream<Uint8Array>,
  total: number,
  onProgress?: (loaded: number, total: number) => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Files under a URL base. With `scope` (the app's service-worker scope), a base on another origin
 * is read through the service worker, which forwards only for origins the user approved.
 */
function urlReader(base: string, scope: string | null): ReadFile {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (path, onProgress) => {
    const url = new URL(checkRelativePath(path), new URL(root, globalThis.location?.href));
    const remote = scope !== null && url.origin !== new URL(scope).origin;
    let response: Response;
    try {
      response = await fetch(remote ? proxiedUrl(scope, url) : url);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new UnreachableError(path, `could not reach ${url.href} (${why}): offline, a mistyped address, or a server that refuses other sites`);
    }
    if (remote && response.status === 403) throw new BundleError(path, `${await response.text()}: approve it when Locus asks`);
    if (response.status === 404) throw new BundleError(path, `not found (HTTP 404) at ${url.href}`);
    if (!response.ok) throw new BundleError(path, `HTTP ${response.status} ${response.statusText} from ${url.href}`);
    const total = Number(response.headers.get('content-length') ?? 0);
    if (response.body === null) return new Uint8Array(await response.arrayBuffer());
    return readStream(response.body, total, onProgress);
  };
}

/** Drops the top folder a folder pick adds ("demo-cxr/manifest.json" -> "manifest.json"). */
function filesReader(files: Record<string, Blob>): ReadFile {
  const manifestKey = Object.keys(files).find((k) => k === 'manifest.json' || k.endsWith('/manifest.json'));
  const prefix = manifestKey === undefined ? '' : manifestKey.slice(0, -'manifest.json'.length);
  return async (path, onProgress) => {
    const blob = files[prefix + checkRelativePath(path)];
    if (blob === undefined) throw new BundleError(path, 'not among the chosen files');
    return readStream(blob.stream(), blob.size, onProgress);
  };
}

function directoryReader(root: FileSystemDirectoryHandle): ReadFile {
  return async (path, onProgress) => {
    const parts = checkRelativePath(path).split('/');
    let dir = root;
    try {
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
      const file = await (await dir.getFileHandle(parts.at(-1) ?? '')).getFile();
      return await readStream(file.stream(), file.size, onProgress);
    } catch (error) {
      throw new BundleError(path, `cannot read from the folder: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** The offline cache holds only what the manifest lists (read by content, not by path). */
function cacheReader(key: string): ReadFile {
  return async (path) => {
    throw new BundleError(path, `is not kept offline for ${key} (only the graphs and vocabulary are)`);
  };
}

/** A source's name (for messages) and reader; `scope` lets URL sources on other origins through the service worker. */
export function sourceReader(source: BundleSource, scope: string | null = null): { name: string; read: ReadFile } {
  switch (source.kind) {
    case 'url':
      return { name: source.base, read: urlReader(source.base, scope) };
    case 'files':
      return { name: 'chosen files', read: filesReader(source.files) };
    case 'directory':
      return { name: source.handle.name, read: directoryReader(source.handle) };
    case 'cache':
      return { name: `${source.key} (offline copy)`, read: cacheReader(source.key) };
    case 'reader':
      return { name: source.name, read: source.read };
  }
}
