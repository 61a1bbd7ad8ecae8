/**
 * The worker entry: owns the bundle, the ORT sessions and the current image's tensors; the UI only
 * sees plain results. Calls that use the engine run one at a time (ORT sessions are not
 * re-entrant); `cancel()` is answered at once.
 */
import * as Comlink from 'comlink';
import { Engine } from '../runtime/engine';
import {
  GRAPH_NAMES,
  decodeInput,
  encodeMaskPng,
  previewGray,
  toGrayImage,
  type DecodedImage,
  type GrayImage,
  type ImageInput,
} from '../pipeline/index';
import { evaluateCases, type EvalCaseInput, type EvalCaseResult } from '../runtime/evaluate';
import { createWebBackend } from '../runtime/ort-web';
import type { BackendInfo } from '../runtime/ort';
import type { AnalysisResult, DecodeResult, EngineEvent, PromptSettings } from '../runtime/results';
import type {
  BundleSummary,
  EvalCaseSource,
  LoadOptions,
  LoadProgress,
  LocusWorkerApi,
  Scored,
  WorkerBundleSource,
} from './api';
import { OpenedCase, type MaskMetrics, type TruthMask } from './opened-case';

/** The buffers of a result the worker no longer needs, so postMessage moves rather than copies them. */
function transferables(result: DecodeResult | AnalysisResult): ArrayBuffer[] {
  const views: ArrayBufferView[] = [result.mask, result.slots.coords, result.slots.labels];
  if ('coarse' in result) views.push(result.coarse.logits, result.coarse.probabilities);
  return wholeBuffers(views);
}

function wholeBuffers(views: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
    if (whole && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  }
  return [...buffers];
}

/** Only sends download progress when a file starts, ends or moves by at least 1%. */
function throttled(onProgress: ((p: LoadProgress) => void) | undefined) {
  const last = new Map<string, number>();
  return (file: string, loaded: number, total: number) => {
    const step = total > 0 ? total / 100 : 1 << 20;
    const previous = last.get(file);
    if (previous !== undefined && loaded < total && loaded - previous < step) return;
    last.set(file, loaded);
    onProgress?.({ phase: 'download', file, loaded, total });
  };
}

async function* pull(cases: EvalCaseInput[] | EvalCaseSource): AsyncGenerator<EvalCaseInput> {
  if (Array.isArray(cases)) {
    yield* cases;
    return;
  }
  for (let next = await cases.next(); next !== null; next = await cases.next()) yield next;
}

class LocusWorker implements LocusWorkerApi {
  private engine: Engine | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelled = false;
  private readonly opened = new OpenedCase();

  /** Runs `work` after every earlier engine call has finished. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireEngine(): Engine {
    if (this.engine === null) throw new Error('no bundle loaded');
    return this.engine;
  }

  loadBundle(source: WorkerBundleSource, options: LoadOptions = {}, onProgress?: (p: LoadProgress) => void) {
    return this.exclusive(async (): Promise<BundleSummary> => {
      await this.engine?.dispose();
      this.engine = null;
      const backend = await createWebBackend({ ep: options.ep ?? 'webgpu' });
      const download = throttled(onProgress);
      const onEvent = (event: EngineEvent) =>
        onProgress?.(
          event.type === 'session'
            ? { phase: 'session', graph: event.graph, index: event.index, count: GRAPH_NAMES.length }
            : { phase: 'fallback', notice: event.notice },
        );
      const engine = await Engine.open(source, backend, {
        onProgress: (p) => download(p.file, p.loaded, p.total),
        onEvent,
      });
      this.engine = engine;
      onProgress?.({ phase: 'warmup' });
      const warmupMs = await engine.warmUp();
      const defaults = engine.defaultSettings();
      return { source: engine.source, manifest: engine.manifest, backend: engine.info(), defaults, warmupMs };
    });
  }

  openImage(image: ImageInput): Promise<GrayImage> {
    return this.opened.open(image).then((gray) => Comlink.transfer(gray, wholeBuffers([gray.data])));
  }

  async previewImage(image: ImageInput, maxSide: number): Promise<GrayImage> {
    const preview = previewGray(toGrayImage(await decodeInput(image)), maxSide);
    return Comlink.transfer(preview, wholeBuffers([preview.data]));
  }

  async setGroundTruth(mask: ImageInput | null): Promise<TruthMask | null> {
    const truth = await this.opened.setTruth(mask);
    return truth === null ? null : Comlink.transfer(truth, wholeBuffers([truth.mask]));
  }

  analyze(image: ImageInput, report: string, settings?: PromptSettings) {
    return this.exclusive(async () => {
      const decoded = await decodeInput(image);
      this.opened.adopt(decoded);
      return this.analyzeImage(decoded, report, settings);
    });
  }

  async analyzeOpened(report: string, settings?: PromptSettings) {
    const image = this.opened.current();
    return this.exclusive(() => this.analyzeImage(image, report, settings));
  }

  redecode(settings: PromptSettings) {
    return this.exclusive(async () => {
      const result = this.scored(await this.requireEngine().redecode(settings));
      return Comlink.transfer(result, transferables(result));
    });
  }

  async score(mask: Uint8Array): Promise<MaskMetrics | null> {
    return this.opened.score(mask);
  }

  async encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Uint8Array> {
    const png = encodeMaskPng(mask, width, height);
    return Comlink.transfer(png, wholeBuffers([png]));
  }

  private async analyzeImage(image: DecodedImage, report: string, settings?: PromptSettings) {
    const result = this.scored(await this.requireEngine().analyze(image, report, settings));
    return Comlink.transfer(result, transferables(result));
  }

  private scored<T extends DecodeResult>(result: T): Scored<T> {
    return { ...result, metrics: this.opened.score(result.mask) };
  }

  evaluate(
    cases: EvalCaseInput[] | EvalCaseSource,
    settings: PromptSettings | null,
    onCase?: (result: EvalCaseResult) => void,
  ) {
    this.cancelled = false;
    return this.exclusive(async () => {
      const engine = this.requireEngine();
      const { summary } = await evaluateCases(engine, pull(cases), settings ?? engine.defaultSettings(), {
        onCase: async (row) => onCase?.(row),
        shouldStop: () => this.cancelled,
      });
      return summary;
    });
  }

  cancel(): void {
    this.cancelled = true;
  }

  backend(): BackendInfo | null {
    return this.engine?.info() ?? null;
  }

  dispose() {
    return this.exclusive(async () => {
      await this.engine?.dispose();
      this.engine = null;
    });
  }
}

Comlink.expose(new LocusWorker());
