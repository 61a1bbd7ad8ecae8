import { describe, expect, it } from 'vitest';
import { resultRecord, stem } from '../../src/ui/export-record';
import type { Analysis } from '../../src/ui/state/case';
import type { BundleSummary, DicomInfo } from '../../src/worker/api';

const settings = { k: 3, theta: 0.9, useCoarse: true, usePoints: false, useText: true, userPoints: [{ point: { x: 4, y: 5 }, label: 1 }] };
const backend = { library: 'onnxruntime-web', version: '1.30.0', ep: 'webgpu', requested: 'webgpu', adapter: null, fallbackReason: null };
const analysis = {
  mask: Uint8Array.of(0, 1),
  width: 2,
  height: 1,
  iou: 0.8,
  points: [],
  slots: { coords: new Float32Array(0), labels: new Float32Array(0) },
  settings,
  timings: { preprocess: 1, decoder: 2 },
  backend,
  fallback: null,
  metrics: null,
  geometry: { original: [1, 2], resized: [64, 128], inputSize: 128 },
  coarse: { grid: [16, 16], logits: new Float32Array(0), probabilities: new Float32Array(0) },
  gpfc: { regions: ['right_upper'], probabilities: [[0.7]] },
  report: { labels: [1], readable: true, reason: null, count: 1, laterality: 'unilateral', notes: [] },
  embeddingLocation: 'gpu-buffer',
  analysisId: 'w1-analysis-4',
  imageId: 'w1-2',
  engineId: 'w1-bundle-1',
  reportText: 'Unilateral pulmonary infection, one infected areas, upper right lung.',
  warnings: [{ code: 'report-markup', message: 'markup' }],
} as unknown as Analysis;
const bundle = {
  source: 'http://127.0.0.1/bundles/demo-cxr/',
  manifest: { bundle_id: 'locus-demo-cxr', title: 'Demo', modality: 'cxr' },
} as unknown as BundleSummary;

describe('resultRecord', () => {
  it('records the bundle, the analysed report with its regions, GPFC, points, prompts, metrics and timings', () => {
    const result = { ...analysis, timings: { decoder: 3 } };
    const record = resultRecord({
      bundle,
      analysis,
      result,
      metrics: { dice: 0.5, iou: 0.25, truthId: 3 },
      imageName: 'a.png',
      truthName: 'a-mask.png',
    });
    expect(record).toMatchObject({
      bundle: { id: 'locus-demo-cxr', modality: 'cxr', source: bundle.source },
      image: { name: 'a.png', width: 2, height: 1 },
      parsedReport: { labels: [1], readable: true, regions: ['right_upper'] },
      gpfc: { probabilities: [[0.7]] },
      points: { user: settings.userPoints },
      prompts: { k: 3, theta: 0.9, usePoints: false },
      metrics: { dice: 0.5, iou: 0.25 },
      timings: { analysis: { preprocess: 1, decoder: 2 }, decode: { decoder: 3 } },
      groundTruth: 'a-mask.png',
      report: analysis.reportText,
      analysisId: 'w1-analysis-4',
      warnings: [{ code: 'report-markup' }],
    });
    expect(record.prompts).not.toHaveProperty('userPoints');
    expect(JSON.parse(JSON.stringify(record))).toMatchObject({ decoderIouEstimate: 0.8 });
  });

  it('names files after the image', () => {
    expect(stem('chest.x-ray.png')).toBe('chest.x-ray');
    expect(stem(null)).toBe('locus');
  });
});

describe('resultRecord of a DICOM image', () => {
  it('says what the image was and how the model input was made from it, and nothing of the patient', () => {
    const expected = { description: 'lung window', dicom_modalities: ['CT'], mapping: { kind: 'window', units: 'HU', function: 'LINEAR', center: -400, width: 1300 }, bits: 8 };
    const ctBundle = { ...bundle, manifest: { ...bundle.manifest, expected_input: expected } } as unknown as BundleSummary;
    const info: DicomInfo = {
      modality: 'CT', sopClass: 'CT Image', transferSyntax: { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false },
      rows: 1, columns: 2, frames: 3, bitsStored: 16, signed: true, photometric: 'MONOCHROME2', unit: 'HU',
      spacing: { row: 0.7, column: 0.7, at: 'patient' }, bodyPart: 'CHEST', viewPosition: null, imageType: [],
    };
    const record = resultRecord({
      bundle: ctBundle, analysis, result: analysis, metrics: null, imageName: 'slice.dcm', truthName: null,
      dicom: { info, frame: 1, windows: [], voiLut: null },
    });
    expect(record.input).toEqual({
      kind: 'dicom', modality: 'CT', sopClass: 'CT Image', transferSyntax: info.transferSyntax, frame: 2, frames: 3, unit: 'HU',
      spacing: info.spacing, renderedAs: expected,
    });
    expect(resultRecord({ bundle, analysis, result: analysis, metrics: null, imageName: 'a.png', truthName: null }).input).toEqual({ kind: 'raster' });
  });
});
