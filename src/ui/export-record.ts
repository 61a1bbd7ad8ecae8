/**
 * The JSON record of a result (what a reader needs to reproduce or audit it), and file downloads.
 * Plain data only: everything here already crossed from the worker.
 */
import type { BundleSummary, DecodeResult, DicomSummary, MaskMetrics } from '../worker/api';
import type { Analysis } from './state/case';

export interface RecordInputs {
  bundle: BundleSummary;
  analysis: Analysis;
  result: DecodeResult;
  metrics: MaskMetrics | null;
  imageName: string | null;
  truthName: string | null;
  /** The DICOM facts of the image (never the patient), or null for PNG/JPEG. */
  dicom?: DicomSummary | null;
}

/** What the record says about a DICOM input and how the model's input was made from it. */
function inputRecord(dicom: DicomSummary | null, bundle: BundleSummary) {
  if (dicom === null) return { kind: 'raster' as const };
  const { modality, sopClass, transferSyntax, frames, unit, spacing } = dicom.info;
  const renderedAs = bundle.manifest.expected_input;
  return { kind: 'dicom' as const, modality, sopClass, transferSyntax, frame: dicom.frame + 1, frames, unit, spacing, renderedAs };
}

/** Everything in the record comes from the analysis and the result, so the report and its regions always agree. */
export function resultRecord({ bundle, analysis, result, metrics, imageName, truthName, dicom = null }: RecordInputs) {
  const { userPoints, ...prompts } = result.settings;
  return {
    tool: 'Locus studio',
    created: new Date().toISOString(),
    analysisId: analysis.analysisId,
    bundle: { id: bundle.manifest.bundle_id, title: bundle.manifest.title, modality: bundle.manifest.modality, source: bundle.source },
    image: { name: imageName, width: result.width, height: result.height },
    input: inputRecord(dicom, bundle),
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
