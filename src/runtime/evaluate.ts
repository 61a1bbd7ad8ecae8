/**
 * Evaluation over labelled cases (image, ground-truth mask, report), shared by the worker and the
 * CLI: each case is encoded once (host arrays, ./case-encoding.ts) and its mask is scored with Dice
 * and IoU at the original resolution (models/README.md section 7) for the given settings, and for
 * every sweep setting when asked (./sweep.ts). A bad case (undecodable file, size mismatch, empty
 * report) becomes a one-line error naming its file and the loop goes on with the rest.
 */
import {
  MaskSizeError,
  modalityMismatch,
  modelImage,
  openInput,
  openMask,
  summarize,
  type CodecOptions,
  type DecodedImage,
  type ImageInput,
  type InputWarning,
  type SweepSetting,
} from '../pipeline/index';
import type { CaseEncoding } from './case-encoding';
import type { Engine } from './engine';
import type { PromptSettings } from './results';
import { scoreDecode, type CaseScores } from './scores';
import { sweepEncoded } from './sweep';

export type { CaseScores } from './scores';

export interface EvalCaseInput {
  id: string;
  image: ImageInput;
  mask: ImageInput;
  report: string;
  /** File names for messages (default: the id). */
  imageName?: string;
  maskName?: string;
  /** A reason found before decoding (a missing file, say): the case becomes this error unrun. */
  problem?: string;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

export interface EvalCaseResult extends Nullable<CaseScores> {
  /** 0-based position in the input. */
  index: number;
  id: string;
  /** Null when the case was evaluated. */
  error: string | null;
  /** Lesion pixels of the ground truth, and pixels of the image (the lesion's share is their ratio). */
  lesionPixels: number | null;
  imagePixels: number | null;
  /** Accepted but doubtful inputs (a tiny image, a mask that is not binary, empty, full or the image itself). */
  warnings: (InputWarning & { file: string })[];
  ms: number;
}

export interface EvalSummary {
  /** Cases scored (errors excluded). */
  cases: number;
  errors: { id: string; error: string }[];
  meanDice: number | null;
  meanIou: number | null;
  stdDice: number | null;
  stdIou: number | null;
  unreadable: { id: string; reason: string }[];
  cancelled: boolean;
  settings: PromptSettings;
  seconds: number;
}

/** A decoded, checked case: the model's image, its binary ground truth and what is doubtful about them. */
export interface PreparedCase {
  /** The image as the bundle's graphs are given it (a DICOM rendered to its expected input). */
  image: DecodedImage;
  truth: Uint8Array;
  warnings: (InputWarning & { file: string })[];
}

/** What a scored case leaves behind besides its row: its encoding and truth (for a cache) and its sweep scores. */
export interface EncodedCase {
  id: string;
  report: string;
  encoding: CaseEncoding;
  truth: Uint8Array;
  sweep: Record<string, CaseScores>;
}

/** How a case's files are opened. */
export interface OpenCaseOptions {
  /** Where the DICOM codecs' WebAssembly is (browser builds). */
  codecs?: CodecOptions;
  /** Score DICOM images of a modality the bundle does not expect (else such a case is an error). */
  anyModality?: boolean;
}

export interface EvaluateOptions extends OpenCaseOptions {
  onCase?: (result: EvalCaseResult, encoded: EncodedCase | null) => void | Promise<void>;
  /** Checked between cases; true stops the loop (the summary says cancelled). */
  shouldStop?: () => boolean;
  /** Sweep settings decoded on every case besides `settings` (their scores come with `onCase`). */
  sweep?: readonly SweepSetting[];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Opens and checks a case's image (PNG, JPEG or DICOM, rendered to the bundle's expected input),
 * ground truth (PNG/JPEG or a DICOM SEG made on the image) and report; throws a one-line error
 * naming the file.
 */
export async function prepareCase(engine: Engine, c: EvalCaseInput, options: OpenCaseOptions = {}): Promise<PreparedCase> {
  const imageName = c.imageName ?? c.id;
  const maskName = c.maskName ?? `${c.id} (mask)`;
  if (c.problem !== undefined) throw new Error(c.problem);
  try {
    if (c.report.trim() === '') throw new Error(`${imageName}: empty report`);
    const expected = engine.manifest.expected_input;
    const input = await openInput(c.image, imageName, { codecs: options.codecs });
    const mismatch = modalityMismatch(input, expected);
    if (mismatch !== null && options.anyModality !== true) throw new Error(`${imageName}: ${mismatch.message}`);
    const { mask: truth, warnings: maskWarnings } = await openMask(c.mask, maskName, input).catch((error: unknown) => {
      if (!(error instanceof MaskSizeError)) throw error;
      const { mask, image } = error;
      throw new Error(`${maskName}: mask is ${mask.width}x${mask.height}, ${imageName} is ${image.width}x${image.height}`);
    });
    const named = (file: string, warnings: InputWarning[]) => warnings.map((w) => ({ ...w, file }));
    const imageWarnings = mismatch === null ? input.warnings : [...input.warnings, mismatch];
    return {
      image: modelImage(input, expected),
      truth,
      warnings: [...named(imageName, imageWarnings), ...named(maskName, maskWarnings)],
    };
  } catch (error) {
    const message = firstLine(error);
    throw new Error(message.includes(imageName) || message.includes(maskName) ? message : `${imageName}: ${message}`, { cause: error });
  }
}

const UNSCORED: Nullable<CaseScores> = {
  dice: null,
  iou: null,
  predictedIou: null,
  points: null,
  coarseMax: null,
  readable: null,
  unreadableReason: null,
  gpfcAgreement: null,
};

/** One case: encoded once, decoded with `settings` (and each sweep setting), scored; errors become rows. */
export async function evaluateCase(
  engine: Engine,
  c: EvalCaseInput,
  index: number,
  settings: PromptSettings,
  sweep: readonly SweepSetting[],
  open: OpenCaseOptions = {},
): Promise<{ row: EvalCaseResult; encoded: EncodedCase | null }> {
  const start = performance.now();
  const failed = (error: unknown) => ({
    row: { index, id: c.id, error: firstLine(error), ...UNSCORED, lesionPixels: null, imagePixels: null, warnings: [], ms: performance.now() - start },
    encoded: null,
  });
  let prepared: PreparedCase;
  try {
    prepared = await prepareCase(engine, c, open);
  } catch (error) {
    return failed(error);
  }
  const imageName = c.imageName ?? c.id;
  try {
    const { image, truth, warnings } = prepared;
    const encoding = await engine.encodeCase(image, c.report);
    const scores = scoreDecode(await engine.decodeCase(encoding, settings), encoding, c.report, truth);
    const swept = sweep.length > 0 ? await sweepEncoded(engine, { id: c.id, report: c.report, encoding, truth }, sweep, settings) : {};
    const lesionPixels = truth.reduce((n, v) => n + v, 0);
    const row = { index, id: c.id, error: null, ...scores, lesionPixels, imagePixels: truth.length, warnings, ms: performance.now() - start };
    return { row, encoded: { id: c.id, report: c.report, encoding, truth, sweep: swept } };
  } catch (error) {
    const message = firstLine(error);
    return failed(message.includes(imageName) ? message : `${imageName}: ${message}`);
  }
}

export function summarizeCases(
  rows: readonly EvalCaseResult[],
  settings: PromptSettings,
  seconds: number,
  cancelled: boolean,
): EvalSummary {
  const scored = rows.filter((r) => r.error === null && r.dice !== null && r.iou !== null);
  const stats = scored.length > 0 ? summarize(scored.map((r) => ({ dice: r.dice!, iou: r.iou! }))) : null;
  return {
    cases: scored.length,
    errors: rows.filter((r) => r.error !== null).map((r) => ({ id: r.id, error: r.error! })),
    meanDice: stats?.dice.mean ?? null,
    meanIou: stats?.iou.mean ?? null,
    stdDice: stats?.dice.std ?? null,
    stdIou: stats?.iou.std ?? null,
    unreadable: scored.filter((r) => r.readable === false).map((r) => ({ id: r.id, reason: r.unreadableReason ?? '' })),
    cancelled,
    settings,
    seconds,
  };
}

/** Scores every case in order; per-case errors are results, not exceptions. */
export async function evaluateCases(
  engine: Engine,
  cases: AsyncIterable<EvalCaseInput> | Iterable<EvalCaseInput>,
  settings: PromptSettings,
  options: EvaluateOptions = {},
): Promise<{ rows: EvalCaseResult[]; summary: EvalSummary }> {
  const start = performance.now();
  const rows: EvalCaseResult[] = [];
  let cancelled = false;
  for await (const c of cases) {
    if (options.shouldStop?.()) {
      cancelled = true;
      break;
    }
    const { row, encoded } = await evaluateCase(engine, c, rows.length, settings, options.sweep ?? [], options);
    rows.push(row);
    await options.onCase?.(row, encoded);
  }
  return { rows, summary: summarizeCases(rows, settings, (performance.now() - start) / 1000, cancelled) };
}
