/**
 * The bundle contract as TypeScript types: the manifest the Python exporter writes (manifest.json).
 *
 * These interfaces mirror models/manifest.schema.json; `runtime/manifest.ts` validates a parsed
 * manifest against that schema and checks the constants both sides hold (regions, special tokens,
 * report parser) against this pipeline's. Every size and constant the pipeline needs is read from
 * a validated manifest, never retyped here.
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

/** A window on DICOM modality values: VOI LUT Function LINEAR (PS3.3 C.11.2.1.2.1). */
export interface WindowMapping {
  kind: 'window';
  units: 'HU';
  function: 'LINEAR';
  center: number;
  width: number;
}

/** The image's lowest modality value -> 0, its highest -> 2^bits - 1 (MONOCHROME1 inverted, padding left out). */
export interface FullRangeMapping {
  kind: 'full-range';
}

/**
 * What input the bundle was trained on (models/locus/constants.py EXPECTED_INPUT): the DICOM
 * modalities it suits and how a DICOM's modality values become the gray image it saw. PNG and
 * JPEG inputs are taken as already rendered so.
 */
export interface ExpectedInput {
  description: string;
  /** DICOM Modality (0008,0060) values, e.g. ["CT"] or ["CR", "DX"]. */
  dicom_modalities: string[];
  mapping: WindowMapping | FullRangeMapping;
  /** Sample depth of the rendered image. */
  bits: 8;
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

/** Which pipeline measured a figure: PyTorch (`locus.evaluate`) or the exported graphs (`locus eval`). */
export type MetricsSource = 'pytorch' | 'onnx';

/** A mean and its spread: over cases in a test split, over folds (n - 1) in a cross-validation. */
export interface MeanStd {
  mean: number;
  std?: number;
}

/** Dice and IoU over n cases. */
export interface Score {
  n?: number;
  dice: MeanStd;
  iou?: MeanStd;
}

/** One figure by the pipeline(s) that measured it; at least one source. */
export type Measured = Partial<Record<MetricsSource, Score>>;

export interface FoldScores {
  fold: number;
  n: number;
  train_seconds?: number;
  scores: Measured;
}

/** Table-4 analogue: a Top-k sweep at one theta, all prompts. */
export interface TopkSweep {
  theta: number;
  rows: { k: number; scores: Measured }[];
}

/** The location test on the n cases whose report names some but not all regions. */
export interface LocationTest {
  n: number;
  command?: string;
  reports: { true_report: Measured; other_regions: Measured; all_regions?: Measured };
}

export interface CrossValidation {
  k: number;
  seed?: number;
  folds: FoldScores[];
  /** Means over every held-out case. */
  pooled: Measured;
  pytorch_onnx_gap?: { fold_means: number; per_case_dice: number };
}

/** Fraction of cases with at least one Top-k point at (k, theta); median highest coarse probability. */
export interface PointsCoverage {
  k: number;
  theta: number;
  n: number;
  fraction_with_points: number;
  median_coarse_max: number;
  source: MetricsSource;
}

export interface Baseline {
  name: string;
  description: string;
  scores: Measured;
  folds?: FoldScores[];
}

/** The bundle's figures: one record for a test split and a cross-validation (models/locus/metrics_record.py). */
export interface Metrics {
  evaluation: 'test-split' | 'cross-validation';
  protocol?: string;
  measured_by?: string;
  data?: string;
  command: string;
  seconds?: number;
  /** All prompts at the manifest's k and theta. */
  summary: Measured;
  /** Table-5 analogue: prompt subset -> score. */
  prompts?: Record<string, Measured>;
  /** Table-2 analogue: model variant -> score. */
  bridges?: Record<string, Measured>;
  topk?: TopkSweep;
  location?: LocationTest;
  cross_validation?: CrossValidation;
  points?: PointsCoverage;
  baselines?: Baseline[];
  per_case?: {
    source: MetricsSource;
    /** points: Top-k points used at the manifest k and theta; coarse_max: highest coarse probability. */
    cases: { case: string; dice: number; iou?: number; points?: number; coarse_max?: number }[];
  };
  skipped?: { path: string; reason: string }[];
}

export interface Manifest {
  /** The schema's `format_version` const; runtime/manifest.ts refuses any other format. */
  format_version: number;
  bundle_id: string;
  title: string;
  description: string;
  modality: 'cxr' | 'ct';
  /** RFC 3339 date-time. */
  created: string;
  provenance: Provenance;
  preprocess: PreprocessSpec;
  expected_input: ExpectedInput;
  tokenizer: TokenizerSpec;
  /** The report grammar the bundle was trained with (pipeline/report.ts PARSER_VERSION). */
  report_parser: string;
  regions: string[];
  prompts: PromptSpec;
  sam: SamSpec;
  training: TrainingRecord;
  /** Null when the bundle was exported without measuring it. */
  metrics: Metrics | null;
  graphs: Record<GraphName, GraphSpec>;
  /** Index path relative to the bundle folder, e.g. "fixtures/index.json". */
  fixtures: { index: string } | null;
}
