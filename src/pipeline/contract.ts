/**
 * The bundle contract as TypeScript types: the manifest the Python exporter writes (manifest.json).
 *
 * These interfaces mirror models/manifest.schema.json; `runtime/manifest.ts` validates a parsed
 * manifest against that schema. Every size and constant the pipeline needs is read from a validated
 * manifest, never retyped here.
 */
export type TensorDType = 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';

export const GRAPH_NAMES = ['prompt_generator', 'sam_image_encoder', 'sam_decoder'] as const;
export type GraphName = (typeof GRAPH_NAMES)[number];

/** [height, width] */
export type Size2d = [number, number];

export interface TensorSpec {
  name: string;
  dtype: TensorDType;
  /** Static shape, C order. */
  shape: number[];
  description: string;
}

export interface GraphSpec {
  /** ONNX file, relative to the bundle folder. */
  file: string;
  sha256: string;
  bytes: number;
  opset: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface DataSource {
  name: string;
  source: string;
  terms: string;
}

export interface Provenance {
  license: string;
  data: DataSource[];
  notes: string;
}

export interface IntensityWindow {
  center: number;
  width: number;
}

export interface PreprocessSpec {
  /** Side of the square model input. */
  input_size: number;
  channels: 1;
  channel_rule: 'luminance-bt601';
  bit_depth_rule: 'significant-bits';
  resize: { method: 'linear-antialias'; longest_side: number; rounding: 'floor-half-up' };
  pad: { where: 'bottom-right'; value: number };
  mean: number[];
  std: number[];
  window: IntensityWindow | null;
}

export interface TokenizerSpec {
  kind: 'wordpiece';
  vocab_file: string;
  vocab_sha256: string;
  vocab_size: number;
  lowercase: true;
  max_length: number;
  special_tokens: { pad: string; unk: string; cls: string; sep: string };
  max_chars_per_word: number;
}

export interface PromptSpec {
  k: number;
  theta: number;
  k_max: number;
  max_points: number;
  coarse_grid: Size2d;
}

export interface SamSpec {
  input_size: number;
  point_frame: string;
  mask_logits_size: Size2d;
  mask_threshold: number;
}

export interface TrainingRecord {
  data: string[];
  command: string;
  seconds: number;
  device: string;
  torch: string;
  trainable_parameters: number;
  total_parameters: number;
  phases: Record<string, unknown>;
}

export interface Manifest {
  format_version: 1;
  bundle_id: string;
  title: string;
  description: string;
  modality: 'cxr' | 'ct';
  /** RFC 3339 date-time. */
  created: string;
  provenance: Provenance;
  preprocess: PreprocessSpec;
  tokenizer: TokenizerSpec;
  regions: string[];
  prompts: PromptSpec;
  sam: SamSpec;
  training: TrainingRecord;
  metrics: Record<string, unknown>;
  graphs: Record<GraphName, GraphSpec>;
  /** Index path relative to the bundle folder, e.g. "fixtures/index.json". */
  fixtures: { index: string } | null;
}
