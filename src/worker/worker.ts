/**
 * The worker entry: owns the bundle, the ORT sessions and the current image's tensors; the UI only
 * sees plain results. Calls that use the engine run one at a time (ORT sessions are not
 * re-entrant); `cancel()` is answered at once. Every result names what it was made from (image,
 * analysis, bundle load), and a re-run of an analysis that was replaced is refused, so a result
 * can never be shown for inputs it did not see.
 */
import * as Comlink from 'comlink';
import { Engine } from '../runtime/engine';
import {
  GRAPH_NAMES,
  decodeInput,
  encodeMaskPng,
  previewGray,
  reportRefusal,
  reportWarnings,
  toGrayImage,
  type DecodedImage,
  type GrayImage,
  type ImageInput,
} from '../pipeline/index';
import { loadBundle } from '../runtime/bundle';
import { evaluateCases, type EvalCaseInput, type EvalCaseResult } from '../runtime/evaluate';
import { createWebBackend } from '../runtime/ort-web';
import type { BackendInfo } from '../runtime/ort';
import type { SweepKind } from '../pipeline/index';
import type { AnalysisResult, DecodeResult, EngineEvent, PromptSettings } from '../runtime/results';
import type {
  BatchOptions,
  BatchProgress,
  BundleSummary,
  DatasetFile,
  CaseAnalysis,
  CaseDecode,
  EvalCaseSource,
  Heartbeat,
  LoadOptions,
  LoadProgress,
  LocusWorkerApi,
  ReportCheck,
  Scored,
  StaleInputErrorName,
  WorkerBundleSource,
} from './api';
import { OpenedCase, type MaskMetrics, type OpenedImage, type TruthMask } from './opened-case';
import { Workbench } from './workbench';
import { throttled, transferables, wholeBuffers } from './transfer';

/** How often the worker says it is alive (the studio restarts a worker that stays silent). */
const HEARTBEAT_MS = 1000;

/** A call whose inputs were replaced while it waited (another image, analysis or bundle). */
class StaleInputError extends Error {
  override readonly name: StaleInputErrorName = 'StaleInputError';
}

async function* pull(cases: EvalCaseInput[] | EvalCaseSource): AsyncGenerator<EvalCaseInput> {
  if (Array.isArray(cases)) {
    yield* cases;
    return;
  }
  for (let next = await cases.next(); next !== null; next = await cases.next()) yield next;
}

interface Loaded {
  engine: Engine;
  engineId: string;
}

class LocusWorker implements LocusWorkerApi {
  private loaded: Loaded | null = null;
  private loads = 0;
  private analyses = 0;
  /** The analysis whose image tensors the engine holds now (null: none usable for a re-run). */
  private analysisId: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelled = false;
  private readonly opened = new OpenedCase();
  private readonly workbench = new Workbench({ loaded: () => this.requireLoaded(), exclusive: (work) => this.exclusive(work) });
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  /** Runs `work` after every earlier engine call has finished. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireLoaded(): Loaded {
    if (this.loaded === null) throw new Error('no bundle loaded');
    return this.loaded;
  }

  async loadBundle(source: WorkerBundleSource, options: LoadOptions = {}, onProgress?: (p: LoadProgress) => void) {
    const download = throttled(onProgress);
    // Reading and hashing touch no session: the working bundle keeps answering meanwhile.
    const bundle = await loadBundle(source, (p) => download(p.file, p.loaded, p.total));
    return this.exclusive(async (): Promise<BundleSummary> => {
      const backend = await createWebBackend({ ep: options.ep ?? 'webgpu' });
      const onEvent = (event: EngineEvent) =>
        onProgress?.(
          event.type === 'session'
            ? { phase: 'session', graph: event.graph, index: event.index, count: GRAPH_NAMES.length }
            : { phase: 'fallback', notice: event.notice },
        );
      let engine: Engine;
      let warmupMs: number;
      try {
        engine = await Engine.create(bundle, backend, { onEvent });
      } catch (error) {
        await backend.dispose();
        throw error;
      }
      try {
        onProgress?.({ phase: 'warmup' });
        warmupMs = await engine.warmUp();
      } catch (error) {
        await engine.dispose();
        throw error;
      }
      const previous = this.loaded;
      this.loads += 1;
      this.loaded = { engine, engineId: `${this.prefix}-bundle-${this.loads}` };
      this.analysisId = null;
      await previous?.engine.dispose();
      return {
        engineId: this.loaded.engineId,
        source: engine.source,
        manifest: engine.manifest,
        backend: engine.info(),
        defaults: engine.defaultSettings(),
        warmupMs,
      };
    });
  }

  async openImage(image: ImageInput): Promise<OpenedImage> {
    const opened = await this.opened.open(image);
    return Comlink.transfer(opened, wholeBuffers([opened.gray.data]));
  }

  async previewImage(image: ImageInput, maxSide: number): Promise<GrayImage> {
    const preview = previewGray(toGrayImage(await decodeInput(image)), maxSide);
    return Comlink.transfer(preview, wholeBuffers([preview.data]));
  }

  async setGroundTruth(mask: ImageInput | null): Promise<TruthMask | null> {
    const truth = await this.opened.setTruth(mask);
    return truth === null ? null : Comlink.transfer(truth, wholeBuffers([truth.mask]));
  }

  async checkReport(report: string): Promise<ReportCheck> {
    const engine = this.loaded?.engine;
    return { refusal: reportRefusal(report), warnings: engine ? engine.checkReport(report) : reportWarnings(report) };
  }

  analyze(image: ImageInput, report: string, settings?: PromptSettings) {
    return this.exclusive(async () => {
      const decoded = await decodeInput(image);
      const imageId = this.opened.adopt(decoded);
      return this.analyzeImage(decoded, imageId, report, settings);
    });
  }

  async analyzeOpened(imageId: string, report: string, settings?: PromptSettings) {
    const refusal = reportRefusal(report);
    if (refusal !== null) throw new Error(refusal);
    const image = this.opened.current();
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened before Segment ran');
    return this.exclusive(() => this.analyzeImage(image, imageId, report, settings));
  }

  redecode(analysisId: string, settings: PromptSettings) {
    return this.exclusive(async (): Promise<CaseDecode> => {
      const { engine, engineId } = this.requireLoaded();
      if (analysisId !== this.analysisId) throw new StaleInputError('that analysis was replaced by a newer one');
      const result = { ...this.scored(await engine.redecode(settings)), analysisId, engineId };
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

  private async analyzeImage(image: DecodedImage, imageId: string, report: string, settings?: PromptSettings) {
    const { engine, engineId } = this.requireLoaded();
    // The engine drops the previous image's tensors as soon as it starts: no re-run may use them.
    this.analysisId = null;
    const analysed: AnalysisResult = await engine.analyze(image, report, settings);
    this.analyses += 1;
    this.analysisId = `${this.prefix}-analysis-${this.analyses}`;
    const result: CaseAnalysis = {
      ...this.scored(analysed),
      analysisId: this.analysisId,
      imageId,
      engineId,
      reportText: report,
      warnings: engine.checkReport(report),
    };
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
      // Cases are encoded apart from the studio's current image: its analysis stays usable.
      const { engine } = this.requireLoaded();
      const { summary } = await evaluateCases(engine, pull(cases), settings ?? engine.defaultSettings(), {
        onCase: async (row) => onCase?.(row),
        shouldStop: () => this.cancelled,
      });
      return summary;
    });
  }

  openDataset(files: DatasetFile[]) {
    return this.workbench.open(files);
  }

  evaluateDataset(options: BatchOptions, onProgress: (progress: BatchProgress) => void) {
    return this.workbench.evaluate(options, (p) => void onProgress(p));
  }

  runSweeps(kinds: SweepKind[], onProgress: (progress: BatchProgress) => void) {
    return this.workbench.sweep(kinds, (p) => void onProgress(p));
  }

  cancel(): void {
    this.cancelled = true;
    this.workbench.cancel();
  }

  backend(): BackendInfo | null {
    return this.loaded?.engine.info() ?? null;
  }

  dispose() {
    return this.exclusive(async () => {
      await this.loaded?.engine.dispose();
      this.loaded = null;
      this.analysisId = null;
    });
  }
}

Comlink.expose(new LocusWorker());

let beats = 0;
setInterval(() => self.postMessage({ locusHeartbeat: ++beats } satisfies Heartbeat), HEARTBEAT_MS);
