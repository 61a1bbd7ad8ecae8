/**
 * The worker's typed API (comlink). The UI imports only these types and talks to the worker
 * through `Comlink.wrap<LocusWorkerApi>(new Worker(new URL('../worker/worker.ts', import.meta.url),
 * { type: 'module' }))`; callbacks go in `Comlink.proxy(...)`, and image buffers should be sent
 * with `Comlink.transfer` (results come back with their buffers transferred, never copied).
 */
import type {
  DicomInfo,
  GrayImage,
  HistogramBin,
  ImageInput,
  InputWarning,
  LocationTexts,
  Manifest,
  PatientIdentity,
  SweepKind,
  SweepRow,
  SweepSetting,
  VoiTable,
  WindowPreset,
} from '../pipeline/index';
import type { BundleProgress, BundleSource, CacheUse } from '../runtime/bundle';
import type { CacheStats } from '../runtime/encoding-cache';
import type { CaseScores, EvalCaseInput, EvalCaseResult, EvalSummary } from '../runtime/evaluate';
import type { AdapterInfo, BackendInfo, ExecutionProvider } from '../runtime/ort';
import type {
  AnalysisResult,
  ChosenPoint,
  CoarseMap,
  DecodeResult,
  FallbackNotice,
  GpfcProbabilities,
  PromptPoint,
  PromptSettings,
  Stage,
  StageTimings,
} from '../runtime/results';
import type { DicomSummary, MaskMetrics, OpenedImage, TruthMask } from './opened-case';

export type {
  AdapterInfo,
  CaseScores,
  HistogramBin,
  LocationTexts,
  SweepKind,
  SweepRow,
  SweepSetting,
  AnalysisResult,
  BackendInfo,
  BundleProgress,
  CacheUse,
  ChosenPoint,
  CoarseMap,
  DecodeResult,
  DicomInfo,
  DicomSummary,
  EvalCaseInput,
  EvalCaseResult,
  EvalSummary,
  ExecutionProvider,
  FallbackNotice,
  GpfcProbabilities,
  GrayImage,
  ImageInput,
  InputWarning,
  MaskMetrics,
  OpenedImage,
  PatientIdentity,
  PromptPoint,
  PromptSettings,
  Stage,
  StageTimings,
  TruthMask,
  VoiTable,
  WindowPreset,
};

/** A result scored against the ground truth the worker held when it was computed (null: none). */
export type Scored<T> = T & { metrics: MaskMetrics | null };

/**
 * What an analysis was made from. The studio shows a result only while its image and bundle are
 * still the ones on screen, and marks it stale when the report text has changed since.
 */
export interface ResultSource {
  /** Names this analysis; a re-run must name it too, and is refused once another replaced it. */
  analysisId: string;
  /** The opened image (`OpenedImage.imageId`) it was computed for. */
  imageId: string;
  /** The bundle load (`BundleSummary.engineId`) that computed it. */
  engineId: string;
  /** The report exactly as analysed. */
  reportText: string;
  /** What is doubtful about the report (the image's warnings came with `openImage`). */
  warnings: InputWarning[];
}

/** A full analysis of the opened image, with where it came from. */
export type CaseAnalysis = Scored<AnalysisResult> & ResultSource;

/** A decoder-only re-run of analysis `analysisId`. */
export type CaseDecode = Scored<DecodeResult> & Pick<ResultSource, 'analysisId' | 'engineId'>;

/** The `name` of the error a call throws when its inputs were replaced meanwhile (image, analysis, bundle). */
export type StaleInputErrorName = 'StaleInputError';

/** A report before any analysis: why it cannot be analysed (null: it can), and what is doubtful. */
export interface ReportCheck {
  refusal: string | null;
  warnings: InputWarning[];
}

export interface AnalyzeOptions {
  /**
   * Segment a DICOM whose Modality the bundle does not expect (the user was asked and agreed);
   * without it such an analysis is refused, naming both.
   */
  anyModality?: boolean;
}

/** Posted by the worker every HEARTBEAT_MS so the studio can tell a dead worker from a busy one. */
export interface Heartbeat {
  locusHeartbeat: number;
}

/** Sources a worker can receive: a URL base, picked/dropped files, or a directory handle. */
export type WorkerBundleSource = Exclude<BundleSource, { kind: 'reader' }>;

export interface LoadOptions {
  /** 'webgpu' (default) falls back to WASM when there is no usable GPU, and says why in `backend`. */
  ep?: 'webgpu' | 'wasm';
  /**
   * The app's URL (its service-worker scope): bundles are kept offline under it (by content, each
   * file verified before every use) and URL bases on other origins are read through its service
   * worker. Without it nothing is cached and every URL is fetched directly.
   */
  scope?: string;
}

export type LoadProgress =
  | ({ phase: 'download' } & BundleProgress)
  | { phase: 'session'; graph: string; index: number; count: number }
  | { phase: 'fallback'; notice: FallbackNotice }
  /** Every graph runs once on a blank frame, so shaders compile now rather than on the first image. */
  | { phase: 'warmup' };

export interface BundleSummary {
  /** Names this load: results carry it, so a result of a bundle that was replaced is never shown. */
  engineId: string;
  /** Where the bundle came from. */
  source: string;
  manifest: Manifest;
  backend: BackendInfo;
  /** The manifest's default prompts. */
  defaults: PromptSettings;
  /** How long the warm-up run took (shader compilation on WebGPU), in ms. */
  warmupMs: number;
  /** How the offline cache served this load (null without one). */
  cache: CacheUse | null;
}

/** A lazily pulled case list; wrap it in `Comlink.proxy` so the worker asks for one case at a time. */
export interface EvalCaseSource {
  next(): Promise<EvalCaseInput | null>;
}

/** A file of a picked or dropped folder, by its path inside the folder ("ds/images/a.png"). */
export interface DatasetFile {
  path: string;
  file: Blob;
}

/** One case of an opened dataset: its files (paths as given) or why it cannot be evaluated. */
export interface DatasetCase {
  id: string;
  report: string;
  image: string | null;
  mask: string | null;
  problem: string | null;
}

export interface DatasetSummary {
  /** The dataset folder's name. */
  name: string;
  /** Path of the report table read. */
  reportsFile: string;
  cases: DatasetCase[];
}

export interface BatchOptions {
  /** Budget of the encoding cache the sweeps decode from. */
  cacheBytes: number;
}

/** The encoding cache: what it holds, its budget and what one case takes in it. */
export interface CacheReport extends CacheStats {
  /** The mean of the cases kept (encoding and mask at 1 bit a pixel); the encoding alone before any is kept. */
  perCaseBytes: number;
}

/** After each case of an evaluation (with its row) or of a sweep (with its scores). */
export interface BatchProgress {
  phase: 'evaluate' | 'sweep';
  done: number;
  total: number;
  elapsedMs: number;
  row?: EvalCaseResult;
  /** The evaluation's summary and Dice histogram so far. */
  summary?: EvalSummary;
  histogram?: HistogramBin[];
  scores?: { id: string; scores: Record<string, CaseScores>; texts: LocationTexts | null };
  /** Cases a sweep had to encode again (beyond the cache). */
  reencoded: number;
  cache: CacheReport;
}

export interface EvaluationDone {
  /** The bundle load that evaluated (results of another one are not comparable). */
  engineId: string;
  settings: PromptSettings;
  summary: EvalSummary;
  /** Dice in 20 bins over [0, 1]. */
  histogram: HistogramBin[];
  cache: CacheReport;
}

export interface SweepDone {
  kinds: SweepKind[];
  settings: SweepSetting[];
  /** One table per sweep kind, over every case scored so far. */
  tables: Partial<Record<SweepKind, SweepRow[]>>;
  cancelled: boolean;
  seconds: number;
  reencoded: number;
  /** Cases that could not be swept (read or run errors). */
  failures: { id: string; error: string }[];
  cache: CacheReport;
}

export interface LocusWorkerApi {
  /**
   * Loads, verifies (sha256 of every file), opens and warms up a bundle beside the current one,
   * and swaps it in only when all of that succeeded: a failure leaves the working bundle (and the
   * analysis it holds) as it was. Downloading does not wait for running analyses.
   */
  loadBundle(
    source: WorkerBundleSource,
    options?: LoadOptions,
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<BundleSummary>;
  /**
   * Decodes an image (PNG, JPEG; 8- or 16-bit; or DICOM, frame `frame`) and keeps it as the
   * studio's current image, dropping the ground truth; returns its id, gray samples for display,
   * warnings and, for DICOM, what may be shown about it (never the patient). Needs no bundle.
   * Refuses other formats (and DICOM transfer syntaxes it has no codec for) by name, and images
   * over the pixel budget before decoding them.
   */
  openImage(image: ImageInput, frame?: number): Promise<OpenedImage>;
  /** Another frame (0-based) of the DICOM image `imageId`: a new image id; the ground truth is dropped. */
  selectFrame(imageId: string, frame: number): Promise<OpenedImage>;
  /** The patient's name and ID of DICOM image `imageId`, for the user who asked (null for PNG/JPEG). */
  patientIdentity(imageId: string): Promise<PatientIdentity | null>;
  /**
   * Why DICOM image `imageId` does not suit the bundle in use (another Modality than it expects,
   * or values not in the units its window needs); null when it suits, for PNG/JPEG and before a bundle.
   */
  checkModality(imageId: string): Promise<InputWarning | null>;
  /** A small 8-bit gray preview (longest side <= maxSide) of any image, e.g. a 16-bit thumbnail; keeps no state. */
  previewImage(image: ImageInput, maxSide: number): Promise<GrayImage>;
  /**
   * A ground truth for the current image, with its warnings, or null to clear it: a mask of its
   * size (nonzero = lesion) or a DICOM SEG made on it (its frame).
   */
  setGroundTruth(mask: ImageInput | null): Promise<TruthMask | null>;
  /** Whether a report can be analysed, and what is doubtful about it (uses the bundle's tokenizer when one is loaded). */
  checkReport(report: string): Promise<ReportCheck>;
  /** Everything for a new image (file bytes, a Blob or decoded pixels) and its report; it becomes the current image. */
  analyze(image: ImageInput, report: string, settings?: PromptSettings): Promise<CaseAnalysis>;
  /**
   * Everything for the opened image `imageId`, keeping its ground truth; a DICOM is rendered to
   * the bundle's expected input first. Throws a StaleInputError when another image was opened
   * since; refuses an empty report, and a DICOM of a modality the bundle does not expect unless
   * `options.anyModality`.
   */
  analyzeOpened(imageId: string, report: string, settings?: PromptSettings, options?: AnalyzeOptions): Promise<CaseAnalysis>;
  /**
   * Only the decoder again, for analysis `analysisId`, with other prompts. Throws a StaleInputError
   * when a newer analysis or another bundle replaced it.
   */
  redecode(analysisId: string, settings: PromptSettings): Promise<CaseDecode>;
  /** Dice/IoU of `mask` against the current ground truth (null without one). */
  score(mask: Uint8Array): Promise<MaskMetrics | null>;
  /** A 0/1 mask as 8-bit gray PNG bytes (0/255) at its own size. */
  encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Uint8Array>;
  /**
   * A binary DICOM SEG (Part 10 bytes) of a mask of DICOM image `imageId`, referencing its study,
   * series, instance and frame; the patient's name and ID are left empty. Throws a StaleInputError
   * when another image was opened since.
   */
  exportSegmentation(imageId: string, mask: Uint8Array): Promise<Uint8Array>;
  /** Scores cases one by one, reporting each through `onCase`; `cancel()` stops after the current case. */
  evaluate(
    cases: EvalCaseInput[] | EvalCaseSource,
    settings: PromptSettings | null,
    onCase?: (result: EvalCaseResult) => void,
  ): Promise<EvalSummary>;
  /** Reads a dataset folder's report table and pairs its images and masks (refuses a folder with no LViT layout). */
  openDataset(files: DatasetFile[]): Promise<DatasetSummary>;
  /**
   * Evaluates every case of the opened dataset with the bundle's default prompts, keeping encodings
   * for the sweeps within `options.cacheBytes`; `onProgress` hears every case. Cases take turns with
   * the studio's own calls; `cancel()` stops after the current case.
   */
  evaluateDataset(options: BatchOptions, onProgress: (progress: BatchProgress) => void): Promise<EvaluationDone>;
  /** Runs the settings of `kinds` on every evaluated case, the decoder only where its encoding is cached. */
  runSweeps(kinds: SweepKind[], onProgress: (progress: BatchProgress) => void): Promise<SweepDone>;
  cancel(): void;
  /** The backend in use, or null before a bundle is loaded. */
  backend(): BackendInfo | null;
  /** Releases sessions, tensors and the GPU device. */
  dispose(): Promise<void>;
}
