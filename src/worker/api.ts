/**
 * The worker's typed API (comlink). The UI imports only these types and talks to the worker
 * through `Comlink.wrap<LocusWorkerApi>(new Worker(new URL('../worker/worker.ts', import.meta.url),
 * { type: 'module' }))`; callbacks go in `Comlink.proxy(...)`, and image buffers should be sent
 * with `Comlink.transfer` (results come back with their buffers transferred, never copied).
 */
import type { Manifest } from '../pipeline/index';
import type { BundleProgress, BundleSource } from '../runtime/bundle';
import type { EvalCaseInput, EvalCaseResult, EvalSummary, ImageInput } from '../runtime/evaluate';
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
  ImageInput,
  PromptPoint,
  PromptSettings,
  Stage,
  StageTimings,
};

/** Sources a worker can receive: a URL base, picked/dropped files, or a directory handle. */
export type WorkerBundleSource = Exclude<BundleSource, { kind: 'reader' }>;

export interface LoadOptions {
  /** 'webgpu' (default) falls back to WASM when there is no usable GPU, and says why in `backend`. */
  ep?: 'webgpu' | 'wasm';
}

export type LoadProgress =
  | ({ phase: 'download' } & BundleProgress)
  | { phase: 'session'; graph: string; index: number; count: number }
  | { phase: 'fallback'; notice: FallbackNotice };

export interface BundleSummary {
  /** Where the bundle came from. */
  source: string;
  manifest: Manifest;
  backend: BackendInfo;
  /** The manifest's default prompts. */
  defaults: PromptSettings;
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
  /** Everything for a new image (file bytes, a Blob or decoded pixels) and its report. */
  analyze(image: ImageInput, report: string, settings?: PromptSettings): Promise<AnalysisResult>;
  /** Only the decoder again, for the last analyzed image, with other prompts. */
  redecode(settings: PromptSettings): Promise<DecodeResult>;
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
