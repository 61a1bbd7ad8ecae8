/**
 * The JSON record of a result (what a reader needs to reproduce or audit it), and file downloads.
 * Plain data only: everything here already crossed from the worker.
 */
import type { BundleSummary, DecodeResult, MaskMetrics } from '../worker/api';
import type { Analysis } from './state/case';

export interface RecordInputs {
  bundle: BundleSummary;
  analysis: Analysis;
  result: DecodeResult;
  metrics: MaskMetrics | null;
  imageName: string | null;
  truthName: string | null;
}

/** Everything in the record comes from the analysis and the result, so the report and its regions always agree. */
export function resultRecord({ bundle, analysis, result, metrics, imageName, truthName }: RecordInputs) {
  const { userPoints, ...prompts } = result.settings;
  return {
    tool: 'Locus studio',
    created: new Date().toISOString(),
    analysisId: analysis.analysisId,
    bundle: { id: bundle.manifest.bundle_id, title: bundle.manifest.title, modality: bundle.manifest.modality, source: bundle.source },
    image: { name: imageName, width: result.width, height: result.height },
    report: analysis.reportText,
    warnings: analysis.warnings,
    parsedReport: { ...analysis.report, regions: analysis.gpfc.regions },
    gpfc: analysis.gpfc,
    points: { model: result.points, user: userPoints },
    prompts,
    decoderIouEstimate: result.iou,
    groundTruth: truthName,
    metrics: metrics === null ? null : { dice: metrics.dice, iou: metrics.iou },
    timings: { analysis: analysis.timings, decode: result.timings },
    backend: result.backend,
    fallback: result.fallback,
  };
}

/** Saves `blob` as `name` through a temporary link. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "chest.png" -> "chest". */
export function stem(name: string | null): string {
  return (name ?? 'locus').replace(/\.[^.]+$/, '') || 'locus';
}
