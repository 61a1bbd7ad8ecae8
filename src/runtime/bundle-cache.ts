/**
 * Bundles kept for offline use, by content: every graph and vocabulary under its sha256, the
 * manifest last loaded from each source (URL or folder) under its own sha256, and an index of the
 * sources, newest first. Nothing read from here is trusted: the loader checks every file's sha256
 * against the manifest before each use (and the manifest against the index), and drops an entry
 * that does not match. When a source's manifest changes, files only its old version used are
 * deleted; past MAX_SOURCES sources, the least recently used goes. The browser keeps the store in
 * Cache Storage, in a cache named by layout version and app scope (other layouts are deleted).
 */

/** A key-value store of bytes (Cache Storage in the worker; a Map in tests). */
export interface ByteStore {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** One source whose bundle is kept. */
export interface CachedSource {
  /** URL base, or "folder:<bundle_id>" for a folder the user picked. */
  source: string;
  title: string;
  bundleId: string;
  manifestSha256: string;
  /** sha256 of every file the manifest lists (graphs, vocabulary). */
  files: string[];
  /** When it was last loaded (ms since the epoch). */
  used: number;
}

/** How many sources are kept at most (each a full bundle). */
export const MAX_SOURCES = 4;
const INDEX = 'index.json';

export class BundleCache {
  constructor(private readonly store: ByteStore) {}

  async file(sha256: string): Promise<Uint8Array | null> {
    return this.store.get(`file/${sha256}`);
  }

  async putFile(sha256: string, bytes: Uint8Array): Promise<void> {
    await this.store.put(`file/${sha256}`, bytes);
  }

  /** Forgets a file whose bytes did not match their hash. */
  async dropFile(sha256: string): Promise<void> {
    await this.store.delete(`file/${sha256}`);
  }

  async sources(): Promise<CachedSource[]> {
    const bytes = await this.store.get(INDEX);
    if (bytes === null) return [];
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as CachedSource[];
    } catch {
      return [];
    }
  }

  /** The manifest text last loaded from `source` (checked against its recorded sha256), or null. */
  async manifest(source: string, sha256: (bytes: Uint8Array) => Promise<string>): Promise<string | null> {
    const entry = (await this.sources()).find((s) => s.source === source);
    if (entry === undefined) return null;
    const bytes = await this.store.get(`manifest/${entry.manifestSha256}`);
    if (bytes === null || (await sha256(bytes)) !== entry.manifestSha256) return null;
    return new TextDecoder().decode(bytes);
  }

  /**
   * Records `entry` (its manifest bytes stored too) as the newest source, then deletes what no
   * kept source uses: older versions of this source, and sources past MAX_SOURCES.
   */
  async record(entry: CachedSource, manifestBytes: Uint8Array): Promise<void> {
    await this.store.put(`manifest/${entry.manifestSha256}`, manifestBytes);
    const others = (await this.sources()).filter((s) => s.source !== entry.source);
    const kept = [entry, ...others.sort((a, b) => b.used - a.used)].slice(0, MAX_SOURCES);
    await this.store.put(INDEX, new TextEncoder().encode(JSON.stringify(kept)));
    const used = new Set(kept.flatMap((s) => [...s.files.map((f) => `file/${f}`), `manifest/${s.manifestSha256}`]));
    for (const key of await this.store.keys()) {
      if (key !== INDEX && !used.has(key)) await this.store.delete(key);
    }
  }
}

/** The cache name of this layout for the app at `scope` (a URL); older layouts' caches are deleted. */
const LAYOUT = 'locus-bundles-v1';

/** Cache Storage as a ByteStore, its keys under `scope`'s "__locus-bundle-cache/" (never fetched: only matched). */
export async function cacheStorageStore(scope: string): Promise<ByteStore> {
  const name = `${LAYOUT} ${new URL(scope).pathname}`;
  for (const other of await caches.keys()) {
    if (other.startsWith('locus-bundles-') && !other.startsWith(LAYOUT)) await caches.delete(other);
  }
  const cache = await caches.open(name);
  const base = new URL('__locus-bundle-cache/', scope).href;
  return {
    get: async (key) => {
      const hit = await cache.match(base + key);
      return hit === undefined ? null : new Uint8Array(await hit.arrayBuffer());
    },
    put: async (key, bytes) => cache.put(base + key, new Response(bytes as Uint8Array<ArrayBuffer>)),
    delete: async (key) => void (await cache.delete(base + key)),
    keys: async () => (await cache.keys()).map((request) => request.url.slice(base.length)),
  };
}
