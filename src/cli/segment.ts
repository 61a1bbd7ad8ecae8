/**
 * `locus segment`: one image and its report -> the final mask as a PNG (0/255, original size),
 * and optionally the details (points, IoU estimate, GPFC probabilities, regions, timings) as JSON.
 */
import { readFile } from 'node:fs/promises';
import { reportRefusal, type InputWarning } from '../pipeline/index';
import { checkSettings } from '../runtime/results';
import type { AnalysisResult } from '../runtime/results';
import {
  executionProvider,
  optionalString,
  parseCommand,
  promptSettings,
  requireOption,
  UsageError,
  type Options,
} from './args';
import { InputError, openEngine, printWarnings, readImageFile, readProblem } from './open';
import { formatNumber, writeJson, writeMaskPng } from './output';

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

function details(result: AnalysisResult, bundleId: string, files: { image: string; out: string }, warnings: InputWarning[]) {
  return {
    bundle: bundleId,
    image: files.image,
    mask: files.out,
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

export async function segmentCommand(argv: string[]): Promise<number> {
  const values = parseCommand(argv, {
    bundle: { type: 'string' },
    image: { type: 'string' },
    report: { type: 'string' },
    'report-file': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
  });
  const bundleDir = requireOption(values, 'bundle');
  const imageFile = requireOption(values, 'image');
  const out = requireOption(values, 'out');
  const ep = executionProvider(values, ['cpu', 'wasm']);
  const report = await reportText(values);
  const { image, warnings } = await readImageFile(imageFile);
  const engine = await openEngine(bundleDir, ep);
  try {
    const reportWarnings = engine.checkReport(report);
    printWarnings('segment', imageFile, warnings);
    printWarnings('segment', optionalString(values, 'report-file') ?? '--report', reportWarnings);
    const settings = checkSettings(promptSettings(values, engine.defaultSettings()), engine.manifest);
    const result = await engine.analyze(image, report, settings);
    await writeMaskPng(out, result.mask, result.width, result.height);
    const info = details(result, engine.manifest.bundle_id, { image: imageFile, out }, [...warnings, ...reportWarnings]);
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
