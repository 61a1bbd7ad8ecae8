/**
 * The offline bundle cache: files kept by sha256 and verified before every use (a corrupted copy
 * is dropped and fetched again, or refused offline), a URL source that cannot be reached opens
 * from the manifest last loaded from it, a new version deletes files only the old one used, and
 * at most MAX_SOURCES sources are kept.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BundleCache, MAX_SOURCES, type ByteStore, type CachedSource } from '../../src/runtime/bundle-cache';
import { loadBundle } from '../../src/runtime/bundle';

const BUNDLE_DIR = path.resolve(import.meta.dirname, '../../models/demo-cxr');
const BASE = 'http://bundles.test/demo-cxr/';

function mapStore(): ByteStore & { map: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  return {
    map,
    get: async (key) => map.get(key)?.slice() ?? null,
    put: async (key, bytes) => void map.set(key, bytes.slice()),
    delete: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
  };
}

const MIRROR = 'http://mirror.test/demo-cxr/';

/**
 * fetch for BASE from the bundle folder, counting requests; MIRROR serves the same folder without
 * its decoder; `offline` makes fetch throw as a browser does.
 */
function serveBundle() {
  const served = { requests: 0, offline: false };
  vi.stubGlobal('fetch', async (input: URL | string) => {
    const url = new URL(String(input));
    if (served.offline) throw new TypeError('Failed to fetch');
    served.requests += 1;
    const base = url.href.startsWith(MIRROR) ? MIRROR : BASE;
    const relative = url.href.slice(base.length);
    if (base === MIRROR && relative === 'sam_decoder.onnx') return new Response('not found', { status: 404 });
    try {
      return new Response(readFileSync(path.join(BUNDLE_DIR, relative)));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  return served;
}

afterEach(() => vi.unstubAllGlobals());

describe('loading through the offline cache', { timeout: 60_000 }, () => {
  it('keeps every file by content, then opens from the cache when the server cannot be reached', async () => {
    const served = serveBundle();
    const store = mapStore();
    const cache = new BundleCache(store);
    const first = await loadBundle({ kind: 'url', base: BASE }, { cache });
    expect(first.cache).toEqual({ key: BASE, fromCache: 0, files: 4, offline: false });
    const manifest = first.manifest;
    const shas = [...Object.values(manifest.graphs).map((g) => g.sha256), manifest.tokenizer.vocab_sha256];
    for (const sha of shas) expect(store.map.has(`file/${sha}`)).toBe(true);
    const online = served.requests;
    const second = await loadBundle({ kind: 'url', base: BASE }, { cache });
    expect(second.cache).toMatchObject({ fromCache: 4, offline: false });
    expect(served.requests - online).toBe(1); // only manifest.json
    served.offline = true;
    const offline = await loadBundle({ kind: 'url', base: BASE }, { cache });
    expect(offline.cache).toMatchObject({ fromCache: 4, offline: true });
    expect(offline.manifest).toEqual(manifest);
    const byKey = await loadBundle({ kind: 'cache', key: BASE }, { cache });
    expect(byKey.graphs.sam_decoder).toEqual(first.graphs.sam_decoder);
  });

  it('verifies a kept file before every use: a changed copy is fetched again online, refused offline', async () => {
    const served = serveBundle();
    const store = mapStore();
    const cache = new BundleCache(store);
    const { manifest } = await loadBundle({ kind: 'url', base: BASE }, { cache });
    const key = `file/${manifest.graphs.sam_decoder.sha256}`;
    store.map.get(key)![100]! ^= 0xff;
    const repaired = await loadBundle({ kind: 'url', base: BASE }, { cache });
    expect(repaired.cache?.fromCache).toBe(3);
    store.map.get(key)![100]! ^= 0xff;
    served.offline = true;
    await expect(loadBundle({ kind: 'url', base: BASE }, { cache })).rejects.toThrow(
      'sam_decoder.onnx: no verified offline copy is kept (load the bundle once while online)',
    );
    expect(store.map.has(key)).toBe(false);
  });

  it('takes from the cache only files kept for the same source: another address is checked on its own', async () => {
    serveBundle();
    const cache = new BundleCache(mapStore());
    await loadBundle({ kind: 'url', base: BASE }, { cache });
    // The mirror lacks the decoder; the cache holds its exact bytes, but not for the mirror.
    await expect(loadBundle({ kind: 'url', base: MIRROR }, { cache })).rejects.toThrow('sam_decoder.onnx: not found (HTTP 404)');
    expect((await cache.sources()).map((s) => s.source)).toEqual([BASE]);
  });

  it('does not fall back to the cache when the server answers with an error, nor for a source never loaded', async () => {
    serveBundle();
    const cache = new BundleCache(mapStore());
    await expect(loadBundle({ kind: 'url', base: 'http://bundles.test/nothing/' }, { cache })).rejects.toThrow('not found (HTTP 404)');
    await expect(loadBundle({ kind: 'cache', key: BASE }, { cache })).rejects.toThrow(`no offline copy of ${BASE} is kept`);
  });
});

describe('what the cache keeps', () => {
  const entry = (source: string, files: string[], used: number): CachedSource => ({
    source, title: source, bundleId: source, manifestSha256: `m-${source}-${files.join('')}`, files, used,
  });
  const fill = async (store: ByteStore, names: string[]) => {
    for (const name of names) await store.put(`file/${name}`, new Uint8Array([1]));
  };

  it('deletes the files only an older version of a source used', async () => {
    const store = mapStore();
    const cache = new BundleCache(store);
    await fill(store, ['a', 'b']);
    await cache.record(entry('x', ['a', 'b'], 1), new Uint8Array([1]));
    await fill(store, ['c']);
    await cache.record(entry('x', ['b', 'c'], 2), new Uint8Array([2]));
    expect([...store.map.keys()].filter((k) => k.startsWith('file/')).sort()).toEqual(['file/b', 'file/c']);
    expect((await cache.sources()).map((s) => s.files)).toEqual([['b', 'c']]);
  });

  it(`keeps the ${MAX_SOURCES} most recently used sources`, async () => {
    const store = mapStore();
    const cache = new BundleCache(store);
    for (let i = 0; i <= MAX_SOURCES; i++) {
      await fill(store, [`f${i}`]);
      await cache.record(entry(`s${i}`, [`f${i}`], i), new Uint8Array([i]));
    }
    expect((await cache.sources()).map((s) => s.source)).toEqual(['s4', 's3', 's2', 's1']);
    expect(store.map.has('file/f0')).toBe(false);
  });
});

