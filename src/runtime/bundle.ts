/**
 * Loading a model bundle (models/README.md section 1): manifest.json first, validated against the
 * schema; then every graph and the vocabulary, each checked against the manifest's byte count and
 * sha256 (WebCrypto, in workers and node alike) before anything creates a session from it.
 *
 * With an offline cache (bundle-cache.ts, the browser worker), a source's files are taken from it
 * by their sha256 when kept for that source (and checked again: a copy that no longer matches is
 * dropped and fetched anew), stored after they verified, and a URL source that cannot be reached
 * opens from the manifest last loaded from it. A file kept for another source is downloaded once
 * more: what a source serves is checked against its own manifest, not vouched for by another's.
 * Sources and readers are in bundle-sources.ts.
 */
import { GRAPH_NAMES, type GraphName, type Manifest } from '../pipeline/index';
import type { BundleCache } from './bundle-cache';
import { BundleError, UnreachableError, sourceReader, type BundleSource, type ReadFile } from './bundle-sources';
import { validateManifest } from './manifest';
import { onnxProblem } from './onnx-bytes';

export { BundleError, UnreachableError, checkRelativePath, sourceReader } from './bundle-sources';
export type { BundleSource, ReadFile } from './bundle-sources';

export interface BundleProgress {
  /** Bundle-relative path. */
  file: string;
  loaded: number;
  /** Expected bytes (Content-Length or the manifest's count); 0 when unknown. */
  total: number;
}

export type ProgressCallback = (progress: BundleProgress) => void;

/** How the offline cache served a load. */
export interface CacheUse {
  /** The key the bundle is kept under (a URL base, or "folder:<bundle_id>"): reopen it as { kind: 'cache', key }. */
  key: string;
  /** Files taken from the cache (verified), of `files`. */
  fromCache: number;
  files: number;
  /** The source could not be reached: the manifest came from the cache. */
  offline: boolean;
}

export interface LoadedBundle {
  /** Where the bundle came from, for messages. */
  name: string;
  manifest: Manifest;
  /** Graph bytes, each verified against the manifest. */
  graphs: Record<GraphName, Uint8Array>;
  /** vocab.txt, verified. */
  vocab: string;
  /** Reads any other bundle file (fixtures); not verified. */
  read: ReadFile;
  /** Null without an offline cache. */
  cache: CacheUse | null;
}

export interface LoadOptions {
  onProgress?: ProgressCallback;
  cache?: BundleCache | null;
  /** The app's service-worker scope: URL sources on other origins are read through it. */
  scope?: string | null;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why `bytes` are not the file the manifest describes (byte count, when given, and sha256); null when they are. */
async function mismatch(path: string, bytes: Uint8Array, expect: { sha256: string; bytes?: number }): Promise<string | null> {
  if (expect.bytes !== undefined && bytes.byteLength !== expect.bytes) return `${bytes.byteLength} bytes, the manifest says ${expect.bytes}`;
  const actual = await sha256Hex(bytes);
  return actual === expect.sha256 ? null : `sha256 ${actual} does not match the manifest's ${expect.sha256}`;
}

/** Reads one bundle file and checks its byte count (when given) and sha256 against the manifest's. */
export async function readVerified(
  read: ReadFile,
  path: string,
  expect: { sha256: string; bytes?: number },
  onProgress: ProgressCallback | undefined,
): Promise<Uint8Array> {
  const total = expect.bytes ?? 0;
  const bytes = await read(path, (loaded, reported) => onProgress?.({ file: path, loaded, total: reported || total }));
  onProgress?.({ file: path, loaded: bytes.byteLength, total: bytes.byteLength });
  const problem = await mismatch(path, bytes, expect);
  if (problem !== null) throw new BundleError(path, problem);
  return bytes;
}

/** Schema errors shown at once; the rest are counted (one bad manifest can break dozens of rules). */
const SHOWN_ERRORS = 3;

function parseManifestText(text: string): unknown {
  if (/^\s*<(!doctype|html|head|body)/i.test(text)) {
    throw new BundleError('manifest.json', 'the server sent a web page, not a manifest: is the address the bundle folder?');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BundleError('manifest.json', `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Validates manifest.json's text against the schema and this runtime's constants. */
export function parseManifest(text: string): Manifest {
  const result = validateManifest(parseManifestText(text));
  if (!result.ok) {
    const more = result.errors.length - SHOWN_ERRORS;
    const shown = result.errors.slice(0, SHOWN_ERRORS).join('; ') + (more > 0 ? `; and ${more} more` : '');
    throw new BundleError('manifest.json', `not a Locus bundle manifest: ${shown}`);
  }
  return result.manifest;
}

export async function readManifest(read: ReadFile): Promise<Manifest> {
  return parseManifest(new TextDecoder().decode(await read('manifest.json')));
}

/** manifest.json's bytes: from the source, or for a source that cannot be reached (or the cache itself) the copy kept offline. */
async function manifestBytes(source: BundleSource, read: ReadFile, cache: BundleCache | null): Promise<{ bytes: Uint8Array; offline: boolean }> {
  const kept = async (key: string) => {
    const text = cache === null ? null : await cache.manifest(key, sha256Hex);
    return text === null ? null : new TextEncoder().encode(text);
  };
  if (source.kind === 'cache') {
    const bytes = await kept(source.key);
    if (bytes === null) throw new BundleError('manifest.json', `no offline copy of ${source.key} is kept (load it once while online)`);
    return { bytes, offline: true };
  }
  try {
    return { bytes: await read('manifest.json'), offline: false };
  } catch (error) {
    const bytes = source.kind === 'url' && error instanceof UnreachableError ? await kept(source.base) : null;
    if (bytes === null) throw error;
    return { bytes, offline: true };
  }
}

/** The key a bundle is kept under: its URL base, or its bundle id for a picked folder; null for readers (the CLI). */
function cacheKey(source: BundleSource, manifest: Manifest): string | null {
  if (source.kind === 'url') return source.base;
  if (source.kind === 'cache') return source.key;
  if (source.kind === 'reader') return null;
  return `folder:${manifest.bundle_id}`;
}

interface FileOptions {
  onProgress?: ProgressCallback;
  cache: BundleCache | null;
  /** Files kept for this very source (a file loaded from elsewhere is downloaded and verified here once too). */
  known: Set<string>;
  cacheOnly: boolean;
  hits: { count: number };
}

/** One listed file: from the cache when kept for this source and still matching, else from the source (then kept). */
async function listedFile(read: ReadFile, path: string, expect: { sha256: string; bytes?: number }, options: FileOptions): Promise<Uint8Array> {
  const { cache, onProgress } = options;
  const kept = cache === null || !options.known.has(expect.sha256) ? null : await cache.file(expect.sha256);
  if (kept !== null) {
    if ((await mismatch(path, kept, expect)) === null) {
      options.hits.count += 1;
      onProgress?.({ file: path, loaded: kept.byteLength, total: kept.byteLength });
      return kept;
    }
    await cache!.dropFile(expect.sha256);
  }
  if (options.cacheOnly) throw new BundleError(path, 'no verified offline copy is kept (load the bundle once while online)');
  const bytes = await readVerified(read, path, expect, onProgress);
  await cache?.putFile(expect.sha256, bytes);
  return bytes;
}

/** Reads, validates and verifies a whole bundle; throws a BundleError naming the first bad file. */
export async function loadBundle(source: BundleSource, options: LoadOptions = {}): Promise<LoadedBundle> {
  const cache = options.cache ?? null;
  const { name, read } = sourceReader(source, options.scope ?? null);
  const manifestFile = await manifestBytes(source, read, cache);
  const manifest = parseManifest(new TextDecoder().decode(manifestFile.bytes));
  const key = cache === null ? null : cacheKey(source, manifest);
  const known = new Set(key === null ? [] : ((await cache!.sources()).find((s) => s.source === key)?.files ?? []));
  const fileOptions = { onProgress: options.onProgress, cache: key === null ? null : cache, known, cacheOnly: manifestFile.offline, hits: { count: 0 } };
  const graphs: Partial<Record<GraphName, Uint8Array>> = {};
  for (const graphName of GRAPH_NAMES) {
    const graph = manifest.graphs[graphName];
    const bytes = await listedFile(read, graph.file, graph, fileOptions);
    const problem = onnxProblem(bytes);
    if (problem !== null) throw new BundleError(graph.file, problem);
    graphs[graphName] = bytes;
  }
  const { vocab_file, vocab_sha256 } = manifest.tokenizer;
  const vocab = new TextDecoder().decode(await listedFile(read, vocab_file, { sha256: vocab_sha256 }, fileOptions));
  let use: CacheUse | null = null;
  if (cache !== null && key !== null) {
    const files = [...GRAPH_NAMES.map((g) => manifest.graphs[g].sha256), vocab_sha256];
    const entry = { source: key, title: manifest.title, bundleId: manifest.bundle_id, manifestSha256: await sha256Hex(manifestFile.bytes), files, used: Date.now() };
    await cache.record(entry, manifestFile.bytes);
    use = { key, fromCache: fileOptions.hits.count, files: files.length, offline: manifestFile.offline };
  }
  return { name, manifest, graphs: graphs as Record<GraphName, Uint8Array>, vocab, read, cache: use };
}
