/**
 * Test-only page (never shipped): drives the real worker (src/worker/worker.ts) through comlink,
 * as the UI does, on a fixture case of the bundle copied next to this page. Playwright calls
 * `window.locusHarness.run(ep)` and checks what comes back.
 */
import * as Comlink from 'comlink';
import type { Geometry } from '../../src/pipeline/index';
import type {
  BackendInfo,
  DecodeResult,
  EvalCaseInput,
  EvalSummary,
  LoadProgress,
  LocusWorkerApi,
} from '../../src/worker/api';

const BUNDLE = new URL('./bundle/', window.location.href).href;

export interface HarnessRun {
  /** The backend right after loading (before any graph ran). */
  loaded: BackendInfo;
  analysis: RunSummary & { embeddingLocation: string };
  redecode: RunSummary;
  downloads: string[];
  sessions: number;
  /** The fixture case: PyTorch's final mask (PNG) and mask_logits (raw float32), base64. */
  fixture: { id: string; finalMask: string; maskLogits: string };
  geometry: Geometry;
  sam: { mask_logits_size: [number, number]; mask_threshold: number };
  /** WASM only: the fixture cases scored against their own final masks, then a cancelled run. */
  evaluation?: { all: EvalSummary; streamed: number; cancelled: EvalSummary };
}

interface FixtureIndex {
  cases: { id: string; image: string; report: string; final_mask: string; tensors: Record<string, { file: string }> }[];
}

/** Fixture images scored against their own final masks (Dice 1 where the masks are reproduced). */
async function evaluation(api: Comlink.Remote<LocusWorkerApi>, index: FixtureIndex): Promise<HarnessRun['evaluation']> {
  const cases: EvalCaseInput[] = await Promise.all(
    index.cases.slice(0, 2).map(async (c) => ({
      id: c.id,
      image: await fetchBytes(c.image),
      mask: await fetchBytes(c.final_mask),
      report: c.report,
    })),
  );
  let streamed = 0;
  const all = await api.evaluate(cases, null, Comlink.proxy(() => void streamed++));
  let served = 0;
  const source = Comlink.proxy({ next: async () => cases[served++ % cases.length] ?? null });
  const cancelled = await api.evaluate(source, null, Comlink.proxy(() => void api.cancel()));
  return { all, streamed, cancelled };
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** What the test checks of a result; the mask as base64 bytes (0/1, original size). */
export type RunSummary = Pick<DecodeResult, 'backend' | 'fallback' | 'timings' | 'iou' | 'width' | 'height'> & {
  mask: string;
};

function summarize(result: DecodeResult): RunSummary {
  const { backend, fallback, timings, iou, width, height } = result;
  return { backend, fallback, timings, iou, width, height, mask: base64(result.mask) };
}

async function fetchBytes(relative: string): Promise<Uint8Array> {
  const response = await fetch(new URL(relative, BUNDLE));
  if (!response.ok) throw new Error(`${relative}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run(ep: 'webgpu' | 'wasm', caseIndex = 0): Promise<HarnessRun> {
  const worker = new Worker(new URL('../../src/worker/worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<LocusWorkerApi>(worker);
  const progress: LoadProgress[] = [];
  try {
    const onProgress = Comlink.proxy((p: LoadProgress) => void progress.push(p));
    const summary = await api.loadBundle({ kind: 'url', base: BUNDLE }, { ep }, onProgress);
    const indexPath = summary.manifest.fixtures?.index;
    if (indexPath === undefined) throw new Error('the bundle has no fixtures');
    const index = JSON.parse(new TextDecoder().decode(await fetchBytes(indexPath))) as FixtureIndex;
    const fixture = index.cases[caseIndex];
    if (fixture === undefined) throw new Error(`no fixture case ${caseIndex}`);
    const image = await fetchBytes(fixture.image);
    const analysis = await api.analyze(Comlink.transfer(image, [image.buffer]), fixture.report);
    const redecode = await api.redecode(analysis.analysisId, { ...summary.defaults, useText: false });
    const scored = ep === 'wasm' ? await evaluation(api, index) : undefined;
    await api.dispose();
    return {
      loaded: summary.backend,
      analysis: { ...summarize(analysis), embeddingLocation: analysis.embeddingLocation },
      redecode: summarize(redecode),
      downloads: [...new Set(progress.flatMap((p) => (p.phase === 'download' ? [p.file] : [])))],
      sessions: progress.filter((p) => p.phase === 'session').length,
      fixture: {
        id: fixture.id,
        finalMask: base64(await fetchBytes(fixture.final_mask)),
        maskLogits: base64(await fetchBytes(fixture.tensors['sam_decoder/mask_logits']?.file ?? 'missing')),
      },
      geometry: analysis.geometry,
      sam: summary.manifest.sam,
      ...(scored === undefined ? {} : { evaluation: scored }),
    };
  } finally {
    worker.terminate();
  }
}

declare global {
  interface Window {
    locusHarness: { run: typeof run };
  }
}

window.locusHarness = { run };
document.body.dataset['ready'] = 'true';
