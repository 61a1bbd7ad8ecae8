/**
 * The worker's typed API (comlink). The UI imports only these types and talks to the worker
 * through `Comlink.wrap<LocusWorkerApi>(new Worker(new URL('../worker/worker.ts', import.meta.url),
 * { type: 'module' }))`; callbacks go in `Comlink.proxy(...)`, and image buffers should be sent
 * with `Comlink.transfer` (results come back with their buffers transferred, never copied).
 */
import type { GrayImage, ImageInput, Manifest } from '../pipeline/index';
import type { BundleProgress, BundleSource } from '../runtime/bundle';
import type { EvalCaseInput, EvalCaseResult, EvalSummary } from '../runtime/evaluate';
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
import type { MaskMetrics, TruthMask } from './opened-case';

export type {
  AdapterInfo,
  AnalysisResult,
  BackendInfo,
  BundleProgress,
  ChosenPoint,
  CoarseMap,
  DecodeResult,
  EvalCaseInput,
  EvalCaseResult,
  EvalSummary,
  ExecutionProvider,
  FallbackNotice,
  GpfcProbabilities,
  GrayImage,
  ImageInput,
  MaskMetrics,
  PromptPoint,
  PromptSettings,
  Stage,
  StageTimings,
  TruthMask,
};

/** A result scored against the ground truth the worker held when it was computed (null: none). */
export type Scored<T> = T & { metrics: MaskMetrics | null };

/** Sources a worker can receive: a URL base, picked/dropped files, or a directory handle. */
export type WorkerBundleSource = Exclude<BundleSource, { kind: 'reader' }>;

export interface LoadOptions {
  /** 'webgpu' (default) falls back to WASM when there is no usable GPU, and says why in `backend`. */
  ep?: 'webgpu' | 'wasm';
}

export type LoadProgress =
  | ({ phase: 'download' } & BundleProgress)
  | { phase: 'session'; graph: string; index: number; count: number }
  | { phase: 'fallback'; notice: FallbackNotice }
  /** Every graph runs once on a blank frame, so shaders compile now rather than on the first image. */
  | { phase: 'warmup' };

export interface BundleSummary {
  /** Where the bundle came from. */
  source: string;
  manifest: Manifest;
  backend: BackendInfo;
  /** The manifest's default prompts. */
  defaults: PromptSettings;
  /** How long the warm-up run took (shader compilation on WebGPU), in ms. */
  warmupMs: number;
}

/** A lazily pulled case list; wrap it in `Comlink.proxy` so the worker asks for one case at a time. */
export interface EvalCaseSource {
  next(): Promise<EvalCaseInput | null>;
}

export interface LocusWorkerApi {
  /** Loads, verifies (sha256 of every file) and opens a bundle; replaces any bundle loaded before. */
  loadBundle(
    source: WorkerBundleSource,
    options?: LoadOptions,
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<BundleSummary>;
  /**
   * Decodes an image (PNG, JPEG; 8- or 16-bit) and keeps it as the studio's current image, dropping
   * the ground truth; returns its gray samples for display (needs no bundle).
   */
  openImage(image: ImageInput): Promise<GrayImage>;
  /** A small 8-bit gray preview (longest side <= maxSide) of any image, e.g. a 16-bit thumbnail; keeps no state. */
  previewImage(image: ImageInput, maxSide: number): Promise<GrayImage>;
  /** A ground-truth mask for the current image (nonzero = lesion, same size), or null to clear it. */
  setGroundTruth(mask: ImageInput | null): Promise<TruthMask | null>;
  /** Everything for a new image (file bytes, a Blob or decoded pixels) and its report; it becomes the current image. */
  analyze(image: ImageInput, report: string, settings?: PromptSettings): Promise<Scored<AnalysisResult>>;
  /** Everything for the image opened with `openImage`, keeping its ground truth. */
  analyzeOpened(report: string, settings?: PromptSettings): Promise<Scored<AnalysisResult>>;
  /** Only the decoder again, for the last analyzed image, with other prompts. */
  redecode(settings: PromptSettings): Promise<Scored<DecodeResult>>;
  /** Dice/IoU of `mask` against the current ground truth (null without one). */
  score(mask: Uint8Array): Promise<MaskMetrics | null>;
  /** A 0/1 mask as 8-bit gray PNG bytes (0/255) at its own size. */
  encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Uint8Array>;
  /** Scores cases one by one, reporting each through `onCase`; `cancel()` stops after the current case. */
  evaluate(
    cases: EvalCaseInput[] | EvalCaseSource,
    settings: PromptSettings | null,
    onCase?: (result: EvalCaseResult) => void,
  ): Promise<EvalSummary>;
  cancel(): void;
  /** The backend in use, or null before a bundle is loaded. */
  backend(): BackendInfo | null;
  /** Releases sessions, tensors and the GPU device. */
  dispose(): Promise<void>;
}
