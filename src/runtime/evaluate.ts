/**
 * Evaluation over labelled cases (image, ground-truth mask, report), shared by the worker and the
 * CLI: per case the engine's mask is scored with Dice and IoU at the original resolution
 * (models/README.md section 7). A bad case (undecodable file, size mismatch, empty report) becomes
 * a one-line error naming its file and the loop goes on with the rest.
 */
import { MaskSizeError, dice, iou, modalityMismatch, modelImage, openInput, openMask, summarize } from '../pipeline/index';
import type { CodecOptions, ImageInput, InputWarning } from '../pipeline/index';
import type { Engine } from './engine';
import type { PromptSettings } from './results';

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

export interface EvalCaseResult {
  /** 0-based position in the input. */
  index: number;
  id: string;
  /** Null when the case was evaluated. */
  error: string | null;
  dice: number | null;
  iou: number | null;
  /** The decoder's own IoU estimate. */
  predictedIou: number | null;
  /** The report parser's verdict; an unreadable report is still evaluated. */
  readable: boolean | null;
  unreadableReason: string | null;
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

export interface EvaluateOptions {
  onCase?: (result: EvalCaseResult) => void | Promise<void>;
  /** Checked between cases; true stops the loop (the summary says cancelled). */
  shouldStop?: () => boolean;
  /** Where the DICOM codecs' WebAssembly is (browser builds). */
  codecs?: CodecOptions;
  /** Score DICOM images of a modality the bundle does not expect (else such a case is an error). */
  anyModality?: boolean;
}

async function evaluateOne(
  engine: Engine,
  c: EvalCaseInput,
  index: number,
  settings: PromptSettings,
  options: EvaluateOptions,
): Promise<EvalCaseResult> {
  const start = performance.now();
  const imageName = c.imageName ?? c.id;
  const maskName = c.maskName ?? `${c.id} (mask)`;
  const empty = { index, id: c.id, dice: null, iou: null, predictedIou: null, readable: null, unreadableReason: null, warnings: [] };
  if (c.problem !== undefined) return { ...empty, error: c.problem, ms: 0 };
  try {
    if (c.report.trim() === '') throw new Error(`${imageName}: empty report`);
    const input = await openInput(c.image, imageName, { codecs: options.codecs });
    const mismatch = modalityMismatch(input, engine.manifest.expected_input);
    if (mismatch !== null && !options.anyModality) throw new Error(`${imageName}: ${mismatch.message}`);
    const { mask: truth, warnings: maskWarnings } = await openMask(c.mask, maskName, input).catch((error: unknown) => {
      if (!(error instanceof MaskSizeError)) throw error;
      const { mask, image } = error;
      throw new Error(`${maskName}: mask is ${mask.width}x${mask.height}, ${imageName} is ${image.width}x${image.height}`);
    });
    const result = await engine.analyze(modelImage(input, engine.manifest.expected_input), c.report, settings);
    const named = (file: string, warnings: InputWarning[]) => warnings.map((w) => ({ ...w, file }));
    const imageWarnings = mismatch === null ? input.warnings : [...input.warnings, mismatch];
    return {
      ...empty,
      warnings: [...named(imageName, imageWarnings), ...named(maskName, maskWarnings)],
      error: null,
      dice: dice(result.mask, truth),
      iou: iou(result.mask, truth),
      predictedIou: result.iou,
      readable: result.report.readable,
      unreadableReason: result.report.reason,
      ms: performance.now() - start,
    };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const named = message.includes(imageName) || message.includes(maskName) ? message : `${imageName}: ${message}`;
    return { ...empty, error: named, ms: performance.now() - start };
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
    const row = await evaluateOne(engine, c, rows.length, settings, options);
    rows.push(row);
    await options.onCase?.(row);
  }
  return { rows, summary: summarizeCases(rows, settings, (performance.now() - start) / 1000, cancelled) };
}
