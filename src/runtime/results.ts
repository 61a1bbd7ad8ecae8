/**
 * What the engine takes and returns: prompt settings, per-stage timings and the analysis results.
 * Plain data only (typed arrays, numbers, strings), so results cross the worker boundary as they
 * are and their buffers can be transferred.
 */
import type {
  FramePoint,
  Geometry,
  GraphName,
  ImagePoint,
  Manifest,
  ParsedReport,
  PointLabel,
  Size2d,
} from '../pipeline/index';
import type { BackendInfo, ExecutionProvider } from './ort';

export const STAGES = ['preprocess', 'prompt_generator', 'sam_image_encoder', 'points', 'decoder', 'postprocess'] as const;
export type Stage = (typeof STAGES)[number];
/** Milliseconds per stage; a redecode has no preprocess/prompt_generator/sam_image_encoder. */
export type StageTimings = Partial<Record<Stage, number>>;

/** A point the user placed, in original-image pixels (the engine converts it to the frame). */
export interface PromptPoint {
  point: ImagePoint;
  label: PointLabel;
}

/** The decoder's prompts (models/locus/infer.py PromptSettings). */
export interface PromptSettings {
  k: number;
  theta: number;
  useCoarse: boolean;
  usePoints: boolean;
  useText: boolean;
  userPoints: PromptPoint[];
}

export interface FallbackNotice {
  from: ExecutionProvider;
  to: ExecutionProvider;
  reason: string;
  /** 'session': building the sessions failed; 'run': running a graph failed (or the device was lost). */
  stage: 'session' | 'run';
}

export type EngineEvent =
  | { type: 'session'; graph: GraphName; index: number }
  | { type: 'fallback'; notice: FallbackNotice };

/** A Top-k point: its coarse cell and probability, and where it lies in the frame and the image. */
export interface ChosenPoint {
  row: number;
  col: number;
  prob: number;
  frame: FramePoint;
  image: ImagePoint;
}

export interface DecodeResult {
  /** Final mask at the original size, row-major [height, width], 1 = lesion. */
  mask: Uint8Array;
  width: number;
  height: number;
  /** The decoder's IoU estimate. */
  iou: number;
  points: ChosenPoint[];
  /** The point slots the decoder saw: coords [N, 2] in the frame, labels [N] (-1 empty). */
  slots: { coords: Float32Array; labels: Float32Array };
  settings: PromptSettings;
  timings: StageTimings;
  backend: BackendInfo;
  /** Set when this call fell back from WebGPU to WASM and was retried there. */
  fallback: FallbackNotice | null;
}

export interface CoarseMap {
  grid: Size2d;
  /** Row-major [g_h, g_w] logits and their sigmoid. */
  logits: Float32Array;
  probabilities: Float32Array;
}

export interface GpfcProbabilities {
  /** Region names in manifest order. */
  regions: string[];
  /** probabilities[stage][region] = sigmoid(gpfc_logits[0, stage, region]). */
  probabilities: number[][];
}

export interface AnalysisResult extends DecodeResult {
  geometry: Geometry;
  coarse: CoarseMap;
  gpfc: GpfcProbabilities;
  /** The report read by the LViT grammar (region labels, or why it is unreadable). */
  report: ParsedReport;
  /** Where the image embedding lives between graphs: 'gpu-buffer' on WebGPU, 'cpu' otherwise. */
  embeddingLocation: string;
}

export function defaultSettings(manifest: Manifest): PromptSettings {
  const { k, theta } = manifest.prompts;
  return { k, theta, useCoarse: true, usePoints: true, useText: true, userPoints: [] };
}

/** Rejects settings the graphs cannot take (k above k_max, theta outside [0, 1], bad labels). */
export function checkSettings(settings: PromptSettings, manifest: Manifest): PromptSettings {
  const { k_max } = manifest.prompts;
  if (!Number.isInteger(settings.k) || settings.k < 0 || settings.k > k_max) {
    throw new RangeError(`k must be an integer from 0 to ${k_max}, got ${settings.k}`);
  }
  if (!(settings.theta >= 0 && settings.theta <= 1)) throw new RangeError(`theta must lie in [0, 1], got ${settings.theta}`);
  for (const { point, label } of settings.userPoints) {
    if (label !== 0 && label !== 1) throw new RangeError(`a user point's label is 0 or 1, got ${String(label)}`);
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) throw new RangeError('a user point has no finite x, y');
  }
  return settings;
}

export function elapsedSince(start: number): number {
  return performance.now() - start;
}
