/**
 * `locus segment` and `locus eval` on DICOM: a CT in HU is lung-windowed from the CT bundle's
 * manifest (the same mask as the 8-bit slice it renders to), a modality the bundle does not
 * expect is refused unless --any-modality, --seg writes a SEG that reads back to the mask, and an
 * LViT folder of .dcm images with PNG masks and SEG masks is scored. The patient never appears.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeImage, maskFor, readDicomImage, readSegmentation, renderExpected, type Manifest } from '../../src/pipeline/index';
import { PATIENT } from '../fixtures/dicom/make-dicom';
import { SAMPLE_REPORT } from '../fixtures/dicom/phantom';
import { tempDir, writeReportsCsv } from './lvit-folder';
import { locus } from './run-locus';

const CT_BUNDLE = 'models/medseg-ct';
const CXR_BUNDLE = 'models/demo-cxr';
const CT = 'public/samples/ct-phantom.dcm';
const ct = JSON.parse(readFileSync(path.join(CT_BUNDLE, 'manifest.json'), 'utf8')) as Manifest;

function secretsIn(text: string): boolean {
  return text.includes('Testpatient') || text.includes(PATIENT.id);
}

describe('locus segment on DICOM', () => {
  const dir = tempDir('dicom-segment');

  it('lung-windows a CT from HU as the CT bundle says: the same mask as the 8-bit slice it renders to', async () => {
    const rendered = renderExpected((await readDicomImage(new Uint8Array(readFileSync(CT))).frame(0)).image, ct.expected_input);
    const png = path.join(dir, 'rendered.png');
    writeFileSync(png, encodePng({ width: 512, height: 512, data: rendered.data as Uint8Array, channels: 1, depth: 8 }));
    const fromDicom = await locus('segment', '--bundle', CT_BUNDLE, '--image', CT, '--report', SAMPLE_REPORT,
      '--out', path.join(dir, 'dicom.png'), '--seg', path.join(dir, 'dicom-seg.dcm'), '--json', path.join(dir, 'dicom.json'));
    expect(fromDicom.code).toBe(0);
    const fromPng = await locus('segment', '--bundle', CT_BUNDLE, '--image', png, '--report', SAMPLE_REPORT, '--out', path.join(dir, 'png.png'));
    expect(fromPng.code).toBe(0);
    const a = decodeImage(new Uint8Array(readFileSync(path.join(dir, 'dicom.png'))));
    const b = decodeImage(new Uint8Array(readFileSync(path.join(dir, 'png.png'))));
    expect(a).toMatchObject({ width: 512, height: 512 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const details = JSON.parse(readFileSync(path.join(dir, 'dicom.json'), 'utf8'));
    expect(details.input).toMatchObject({ kind: 'dicom', modality: 'CT', unit: 'HU', frame: 1, renderedAs: ct.expected_input });
    // The SEG reads back to the PNG mask, made on the CT's instance.
    const seg = readSegmentation(new Uint8Array(readFileSync(path.join(dir, 'dicom-seg.dcm'))));
    const source = readDicomImage(new Uint8Array(readFileSync(CT))).reference;
    const mask = maskFor(seg, { sopInstanceUid: source.sopInstanceUid, frameIndex: 0, frames: 1 });
    expect(Array.from(mask, (v) => v * 255)).toEqual(Array.from(a.data));
    for (const output of [fromDicom.out, fromDicom.err, readFileSync(path.join(dir, 'dicom.json'), 'utf8'), readFileSync(path.join(dir, 'dicom-seg.dcm'), 'latin1')]) {
      expect(secretsIn(output)).toBe(false);
    }
  });

  it('refuses a CT on the chest X-ray bundle unless --any-modality, naming both', async () => {
    const refused = await locus('segment', '--bundle', CXR_BUNDLE, '--image', CT, '--report', SAMPLE_REPORT, '--out', path.join(dir, 'x.png'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('the image is CT, the bundle expects CR or DX');
    expect(refused.err).toContain('--any-modality');
    const forced = await locus('segment', '--bundle', CXR_BUNDLE, '--image', CT, '--report', SAMPLE_REPORT, '--out', path.join(dir, 'x.png'), '--any-modality');
    expect(forced.code).toBe(0);
    expect(forced.err).toContain('warning: public/samples/ct-phantom.dcm: the image is CT, the bundle expects CR or DX');
  });

  it('segments the frame asked for, and names a transfer syntax it has no codec for', async () => {
    const third = await locus('segment', '--bundle', CT_BUNDLE, '--image', 'tests/fixtures/dicom/ct-enhanced-3.dcm', '--frame', '3',
      '--report', SAMPLE_REPORT, '--out', path.join(dir, 'f3.png'), '--json', path.join(dir, 'f3.json'));
    expect(third.code).toBe(0);
    expect(third.err).toContain('the DICOM image has 3 frames; frame 3 is used');
    expect(JSON.parse(readFileSync(path.join(dir, 'f3.json'), 'utf8')).input).toMatchObject({ frame: 3, frames: 3 });
    const rle = await locus('segment', '--bundle', CT_BUNDLE, '--image', 'tests/fixtures/dicom/refused-rle.dcm', '--report', SAMPLE_REPORT, '--out', path.join(dir, 'r.png'));
    expect(rle.code).toBe(1);
    expect(rle.err).toContain('tests/fixtures/dicom/refused-rle.dcm: the pixels are encoded as RLE Lossless (transfer syntax 1.2.840.10008.1.2.5)');
    const png = await locus('segment', '--bundle', CT_BUNDLE, '--image', 'public/samples/left-only.png', '--report', SAMPLE_REPORT, '--out', path.join(dir, 'p.png'), '--seg', path.join(dir, 'p.dcm'));
    expect(png.code).toBe(2);
    expect(png.err).toContain('--seg needs a DICOM --image');
  });
});

describe('locus eval on a folder of DICOM images', () => {
  it('scores .dcm images against PNG masks and SEG masks, windowed from HU', async () => {
    const root = tempDir('dicom-eval');
    mkdirSync(path.join(root, 'images'));
    mkdirSync(path.join(root, 'masks'));
    copyFileSync(CT, path.join(root, 'images', 'slice1.dcm'));
    copyFileSync('public/samples/ct-phantom-mask.png', path.join(root, 'masks', 'slice1.png'));
    copyFileSync('tests/fixtures/dicom/ct-phantom-jpeg-ls.dcm', path.join(root, 'images', 'slice2.dcm'));
    // slice2's ground truth as a SEG made on it, from the same phantom mask.
    const jls = readDicomImage(new Uint8Array(readFileSync('tests/fixtures/dicom/ct-phantom-jpeg-ls.dcm')));
    const segDir = tempDir('dicom-eval-seg');
    const made = await locus('segment', '--bundle', CT_BUNDLE, '--image', path.join(root, 'images', 'slice2.dcm'), '--report', SAMPLE_REPORT,
      '--out', path.join(segDir, 'm.png'), '--seg', path.join(root, 'masks', 'slice2.dcm'));
    expect(made.code).toBe(0);
    writeReportsCsv(root, [['slice1.dcm', SAMPLE_REPORT], ['slice2.dcm', SAMPLE_REPORT]]);
    const out = path.join(root, 'results.json');
    const result = await locus('eval', '--bundle', CT_BUNDLE, '--data', root, '--out', out);
    expect(result.code).toBe(0);
    const { cases, summary } = JSON.parse(readFileSync(out, 'utf8'));
    expect(summary.cases).toBe(2);
    // slice2's truth is the model's own mask (its SEG): Dice 1.
    expect(cases[1]).toMatchObject({ id: 'slice2', error: null, dice: 1 });
    expect(cases[0].dice).toBeGreaterThan(0);
    expect(jls.info.transferSyntax.name).toBe('JPEG-LS Lossless');
    expect(secretsIn(readFileSync(out, 'utf8') + result.out + result.err)).toBe(false);
  }, 120_000);
});
