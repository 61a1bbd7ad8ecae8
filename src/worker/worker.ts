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
  encodeMaskPng,
  modalityMismatch,
  openInput,
  previewGray,
  renderExpected,
  reportRefusal,
  reportWarnings,
  toGrayImage,
  type GrayImage,
  type ImageInput,
  type InputWarning,
  type OpenedInput,
  type PatientIdentity,
  type SweepKind,
} from '../pipeline/index';
import { loadBundle } from '../runtime/bundle';
import { BundleCache, cacheStorageStore } from '../runtime/bundle-cache';
import { evaluateCases, type EvalCaseInput, type EvalCaseResult } from '../runtime/evaluate';
import { createWebBackend } from '../runtime/ort-web';
import type { BackendInfo } from '../runtime/ort';
import type { AnalysisResult, DecodeResult, EngineEvent, PromptSettings } from '../runtime/results';
import type {
  AnalyzeOptions,
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
import { WEB_CODECS } from './codec-assets';
import { usePrecompiledSchema } from '../runtime/manifest';
import precompiledSchema from 'virtual:locus-manifest-validator';

usePrecompiledSchema(precompiledSchema);

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

/**
 * What a thumbnail shows: a raster as it is; a DICOM frame through the file's first window (a CT
 * in its lung window), else its full range, MONOCHROME1 inverted.
 */
function previewSource(input: OpenedInput): GrayImage {
  if (input.kind === 'raster') return toGrayImage(input.image);
  const window = input.frame.windows[0];
  const mapping = window === undefined ? { kind: 'full-range' as const } : { kind: 'window' as const, units: 'HU' as const, function: 'LINEAR' as const, center: window.center, width: window.width };
  const rendered = renderExpected(input.frame.image, { description: 'thumbnail', dicom_modalities: [], mapping, bits: 8 });
  return toGrayImage(window !== undefined && input.frame.image.inverted ? { ...rendered, data: rendered.data.map((v: number) => 255 - v) } : rendered);
}

/** The offline bundle cache of the app at `scope`, or null where the browser gives no Cache Storage (no secure context). */
async function offlineCache(scope: string): Promise<BundleCache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    return new BundleCache(await cacheStorageStore(scope));
  } catch {
    return null;
  }
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
  private readonly opened = new OpenedCase(WEB_CODECS);
  private readonly workbench = new Workbench({
    loaded: () => this.requireLoaded(),
    exclusive: (work) => this.exclusive(work),
    codecs: WEB_CODECS,
  });
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
    const scope = options.scope ?? null;
    const cache = scope === null ? null : await offlineCache(scope);
    // Reading and hashing touch no session: the working bundle keeps answering meanwhile.
    const bundle = await loadBundle(source, { onProgress: (p) => download(p.file, p.loaded, p.total), cache, scope });
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
        cache: bundle.cache,
      };
    });
  }

  async openImage(image: ImageInput, frame = 0): Promise<OpenedImage> {
    const opened = await this.opened.open(image, frame);
    return Comlink.transfer(opened, wholeBuffers([opened.gray.data]));
  }

  async selectFrame(imageId: string, frame: number): Promise<OpenedImage> {
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened meanwhile');
    const opened = await this.opened.selectFrame(frame);
    return Comlink.transfer(opened, wholeBuffers([opened.gray.data]));
  }

  async patientIdentity(imageId: string): Promise<PatientIdentity | null> {
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened meanwhile');
    return this.opened.identity();
  }

  async checkModality(imageId: string): Promise<InputWarning | null> {
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened meanwhile');
    const loaded = this.loaded;
    return loaded === null ? null : modalityMismatch(this.opened.opened(), loaded.engine.manifest.expected_input);
  }

  async previewImage(image: ImageInput, maxSide: number): Promise<GrayImage> {
    const preview = previewGray(previewSource(await openInput(image, 'cannot read the image', { codecs: WEB_CODECS })), maxSide);
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
      const imageId = this.opened.adopt(await openInput(image, 'cannot read the image', { codecs: WEB_CODECS }));
      return this.analyzeImage(imageId, report, settings);
    });
  }

  async analyzeOpened(imageId: string, report: string, settings?: PromptSettings, options: AnalyzeOptions = {}) {
    const refusal = reportRefusal(report);
    if (refusal !== null) throw new Error(refusal);
    const input = this.opened.opened();
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened before Segment ran');
    return this.exclusive(async () => {
      const mismatch = modalityMismatch(input, this.requireLoaded().engine.manifest.expected_input);
      if (mismatch !== null && !options.anyModality) throw new Error(`${mismatch.message}: choose a matching bundle, or confirm to segment anyway`);
      return this.analyzeImage(imageId, report, settings);
    });
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

  async exportSegmentation(imageId: string, mask: Uint8Array): Promise<Uint8Array> {
    if (this.opened.currentId() !== imageId) throw new StaleInputError('another image was opened meanwhile');
    const { engine } = this.requireLoaded();
    const seg = this.opened.segmentation(mask, { bundleId: engine.manifest.bundle_id, version: `Locus studio, bundle ${engine.manifest.bundle_id}` });
    return Comlink.transfer(seg, wholeBuffers([seg]));
  }

  private async analyzeImage(imageId: string, report: string, settings?: PromptSettings) {
    const { engine, engineId } = this.requireLoaded();
    const image = this.opened.current(engine.manifest.expected_input);
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
        codecs: WEB_CODECS,
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

// A request the Content-Security-Policy blocked is a bug to see, not a silent failure.
self.addEventListener('securitypolicyviolation', (event) => {
  console.error(`Content-Security-Policy violation in the analysis worker: ${event.violatedDirective} blocked ${event.blockedURI || 'an inline resource'}`);
});

let beats = 0;
setInterval(() => self.postMessage({ locusHeartbeat: ++beats } satisfies Heartbeat), HEARTBEAT_MS);
