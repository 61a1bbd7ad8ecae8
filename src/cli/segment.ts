/**
 * `locus segment`: one image (PNG, JPEG or DICOM) and its report -> the final mask as a PNG (0/255,
 * original size), optionally as a DICOM SEG made on a DICOM input, and the details (points, IoU
 * estimate, GPFC probabilities, regions, timings, how a DICOM was rendered) as JSON. A DICOM is
 * rendered to the bundle's expected input; one of another modality is refused unless
 * --any-modality.
 */
import { readFile } from 'node:fs/promises';
import {
  modalityMismatch,
  modelImage,
  reportRefusal,
  segmentationOf,
  type ExpectedInput,
  type InputWarning,
  type OpenedInput,
} from '../pipeline/index';
import { checkSettings } from '../runtime/results';
import type { AnalysisResult } from '../runtime/results';
import {
  executionProvider,
  optionalString,
  parseCommand,
  positiveInteger,
  promptSettings,
  requireOption,
  UsageError,
  type Options,
} from './args';
import { InputError, openEngine, printWarnings, readImageFile, readProblem } from './open';
import { formatNumber, writeBytes, writeJson, writeMaskPng } from './output';

async function reportText(values: Options): Promise<string> {
  const text = optionalString(values, 'report');
  const file = optionalString(values, 'report-file');
  if ((text === undefined) === (file === undefined)) throw new UsageError('give exactly one of --report and --report-file');
  let report = text ?? '';
  if (file !== undefined) {
    try {
      report = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(`${file}: ${readProblem(error)}`);
    }
  }
  const refusal = reportRefusal(report);
  if (refusal !== null) throw new InputError(`${file ?? '--report'}: ${refusal}`);
  return report.trim();
}

/** What the JSON says about the input: the DICOM facts and how it was rendered (never the patient). */
function inputFacts(input: OpenedInput, expected: ExpectedInput) {
  if (input.kind === 'raster') return { kind: 'raster' as const };
  const { info } = input.dicom;
  const { modality, sopClass, transferSyntax, frames, unit, spacing } = info;
  return { kind: 'dicom' as const, modality, sopClass, transferSyntax, frame: input.frame.index + 1, frames, unit, spacing, renderedAs: expected };
}

function details(result: AnalysisResult, bundleId: string, files: { image: string; out: string; seg: string | null }, input: object, warnings: InputWarning[]) {
  return {
    bundle: bundleId,
    image: files.image,
    input,
    mask: files.out,
    seg: files.seg,
    width: result.width,
    height: result.height,
    lesionPixels: result.mask.reduce((n, v) => n + v, 0),
    iou: result.iou,
    points: result.points.map((p) => ({ row: p.row, col: p.col, prob: p.prob, x: p.image.x, y: p.image.y })),
    report: result.report,
    gpfc: result.gpfc,
    settings: result.settings,
    timings: result.timings,
    backend: result.backend,
    fallback: result.fallback,
    warnings,
  };
}

/** The mask as a DICOM SEG made on the DICOM input (its frame); a PNG/JPEG input has nothing to reference. */
async function writeSeg(file: string, input: OpenedInput, result: AnalysisResult, bundleId: string): Promise<void> {
  if (input.kind !== 'dicom') throw new UsageError('--seg needs a DICOM --image (a SEG references the image it was made on)');
  await writeBytes(file, segmentationOf(input, result.mask, { name: bundleId, version: `locus segment, bundle ${bundleId}` }));
}

export async function segmentCommand(argv: string[]): Promise<number> {
  const values = parseCommand(argv, {
    bundle: { type: 'string' },
    image: { type: 'string' },
    report: { type: 'string' },
    'report-file': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    seg: { type: 'string' },
    frame: { type: 'string' },
    'any-modality': { type: 'boolean' },
  });
  const bundleDir = requireOption(values, 'bundle');
  const imageFile = requireOption(values, 'image');
  const out = requireOption(values, 'out');
  const ep = executionProvider(values, ['cpu', 'wasm']);
  const report = await reportText(values);
  const input = await readImageFile(imageFile, positiveInteger(values, 'frame', 1) - 1);
  const engine = await openEngine(bundleDir, ep);
  try {
    const expected = engine.manifest.expected_input;
    const mismatch = modalityMismatch(input, expected);
    if (mismatch !== null && values['any-modality'] !== true) {
      throw new InputError(`${imageFile}: ${mismatch.message}; use a matching bundle, or --any-modality to segment it anyway`);
    }
    const warnings = mismatch === null ? input.warnings : [...input.warnings, mismatch];
    const image = modelImage(input, expected);
    const reportWarnings = engine.checkReport(report);
    printWarnings('segment', imageFile, warnings);
    printWarnings('segment', optionalString(values, 'report-file') ?? '--report', reportWarnings);
    const settings = checkSettings(promptSettings(values, engine.defaultSettings()), engine.manifest);
    const result = await engine.analyze(image, report, settings);
    await writeMaskPng(out, result.mask, result.width, result.height);
    const segOut = optionalString(values, 'seg') ?? null;
    if (segOut !== null) await writeSeg(segOut, input, result, engine.manifest.bundle_id);
    const files = { image: imageFile, out, seg: segOut };
    const info = details(result, engine.manifest.bundle_id, files, inputFacts(input, expected), [...warnings, ...reportWarnings]);
    const jsonOut = optionalString(values, 'json');
    if (jsonOut !== undefined) await writeJson(jsonOut, info);
    const share = info.lesionPixels / (result.width * result.height);
    const total = Object.values(result.timings).reduce((a, b) => a + b, 0);
    console.log(
      `${out}: ${result.width}x${result.height}, ${info.lesionPixels} lesion pixels (${(share * 100).toFixed(1)}%), ` +
        `decoder IoU ${formatNumber(result.iou, 3)}, ${result.points.length} point(s), ` +
        `${result.backend.ep}, ${total.toFixed(0)} ms`,
    );
    if (!result.report.readable) console.log(`note: report not readable by the LViT grammar (${result.report.reason})`);
    return 0;
  } finally {
    await engine.dispose();
  }
}
