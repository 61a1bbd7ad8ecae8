/**
 * Loading a model bundle (models/README.md section 1): manifest.json first, validated against the
 * schema; then every graph and the vocabulary, each checked against the manifest's byte count and
 * sha256 (WebCrypto, in workers and node alike) before anything creates a session from it.
 *
 * Sources: a URL base (fetch, with download progress), files dropped or picked in the browser
 * (a folder picked with webkitdirectory gives paths under a top folder; both are accepted), a
 * directory handle, or any reader (node fs for the CLI: `bundle-node.ts`).
 */
import { GRAPH_NAMES, type GraphName, type Manifest } from '../pipeline/index';
import { validateManifest } from './manifest';
import { onnxProblem } from './onnx-bytes';

/** What a bundle is read from; every kind except 'reader' can be posted to a worker. */
export type BundleSource =
  | { kind: 'url'; base: string }
  | { kind: 'files'; files: Record<string, Blob> }
  | { kind: 'directory'; handle: FileSystemDirectoryHandle }
  | { kind: 'reader'; name: string; read: ReadFile };

export interface BundleProgress {
  /** Bundle-relative path. */
  file: string;
  loaded: number;
  /** Expected bytes (Content-Length or the manifest's count); 0 when unknown. */
  total: number;
}

export type ProgressCallback = (progress: BundleProgress) => void;

/** Reads one bundle-relative file; reports progress when it can. */
export type ReadFile = (path: string, onProgress?: (loaded: number, total: number) => void) => Promise<Uint8Array>;

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
}

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

function urlReader(base: string): ReadFile {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (path, onProgress) => {
    const url = new URL(checkRelativePath(path), new URL(root, globalThis.location?.href));
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new BundleError(path, `could not reach ${url.href} (${why}): offline, a mistyped address, or a server that refuses other sites`);
    }
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

export function sourceReader(source: BundleSource): { name: string; read: ReadFile } {
  switch (source.kind) {
    case 'url':
      return { name: source.base, read: urlReader(source.base) };
    case 'files':
      return { name: 'chosen files', read: filesReader(source.files) };
    case 'directory':
      return { name: source.handle.name, read: directoryReader(source.handle) };
    case 'reader':
      return { name: source.name, read: source.read };
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
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
  if (expect.bytes !== undefined && bytes.byteLength !== expect.bytes) {
    throw new BundleError(path, `${bytes.byteLength} bytes, the manifest says ${expect.bytes}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expect.sha256) {
    throw new BundleError(path, `sha256 ${actual} does not match the manifest's ${expect.sha256}`);
  }
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

export async function readManifest(read: ReadFile): Promise<Manifest> {
  const data = parseManifestText(new TextDecoder().decode(await read('manifest.json')));
  const result = validateManifest(data);
  if (!result.ok) {
    const more = result.errors.length - SHOWN_ERRORS;
    const shown = result.errors.slice(0, SHOWN_ERRORS).join('; ') + (more > 0 ? `; and ${more} more` : '');
    throw new BundleError('manifest.json', `not a Locus bundle manifest: ${shown}`);
  }
  return result.manifest;
}

/** Reads, validates and verifies a whole bundle; throws a BundleError naming the first bad file. */
export async function loadBundle(source: BundleSource, onProgress?: ProgressCallback): Promise<LoadedBundle> {
  const { name, read } = sourceReader(source);
  const manifest = await readManifest(read);
  const graphs: Partial<Record<GraphName, Uint8Array>> = {};
  for (const graphName of GRAPH_NAMES) {
    const graph = manifest.graphs[graphName];
    const bytes = await readVerified(read, graph.file, graph, onProgress);
    const problem = onnxProblem(bytes);
    if (problem !== null) throw new BundleError(graph.file, problem);
    graphs[graphName] = bytes;
  }
  const { vocab_file, vocab_sha256 } = manifest.tokenizer;
  const vocabBytes = await readVerified(read, vocab_file, { sha256: vocab_sha256 }, onProgress);
  const vocab = new TextDecoder().decode(vocabBytes);
  return { name, manifest, graphs: graphs as Record<GraphName, Uint8Array>, vocab, read };
}
