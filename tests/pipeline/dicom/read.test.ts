/**
 * Reading the project's DICOM files (tests/fixtures/dicom/make-dicom.ts): what is shown, what is
 * kept apart (the patient), modality values in HU from native and compressed pixel data alike,
 * multi-frame functional groups, MONOCHROME1, and every refusal naming what it refuses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDicomImage, type DicomImage, type ModalityImage } from '../../../src/pipeline/dicom/index';
import { decodeImage } from '../../../src/pipeline/index';
import { PATIENT } from '../../fixtures/dicom/make-dicom';
import { PADDING_HU, SAMPLE_LESIONS, phantomSlice } from '../../fixtures/dicom/phantom';

const REPO = path.resolve(import.meta.dirname, '../../..');
export const fixture = (name: string) => new Uint8Array(readFileSync(path.join(REPO, 'tests/fixtures/dicom', name)));
export const sampleFile = (name: string) => new Uint8Array(readFileSync(path.join(REPO, 'public/samples', name)));

/** Modality values of every pixel. */
function values(image: ModalityImage): Float64Array {
  return Float64Array.from(image.data, (v) => v * image.scale.slope + image.scale.intercept);
}

const phantom = phantomSlice(SAMPLE_LESIONS, 2026);

describe('a CT slice in HU (native, signed 16-bit)', () => {
  const dicom: DicomImage = readDicomImage(sampleFile('ct-phantom.dcm'));

  it('shows what it is, never who the patient is', () => {
    expect(dicom.info).toMatchObject({
      modality: 'CT',
      sopClass: 'CT Image',
      transferSyntax: { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false },
      rows: 512,
      columns: 512,
      frames: 1,
      unit: 'HU',
      spacing: { row: 0.7, column: 0.7, at: 'patient' },
      signed: true,
    });
    const shown = JSON.stringify({ info: dicom.info, notes: dicom.notes, reference: dicom.reference });
    expect(shown).not.toContain('Testpatient');
    expect(shown).not.toContain(PATIENT.id);
    expect(dicom.identity()).toEqual({ name: 'Testpatient Jane', id: PATIENT.id });
    expect(dicom.notes).toEqual([]);
  });

  it('gives every pixel its HU, the padding outside the field of view included', async () => {
    const frame = await dicom.frame(0);
    expect(Array.from(values(frame.image))).toEqual(Array.from(phantom.hu));
    expect(phantom.hu[0]).toBe(PADDING_HU);
    const [low, high] = frame.image.padding!;
    expect(low * frame.image.scale.slope + frame.image.scale.intercept).toBe(PADDING_HU);
    expect(high).toBe(low);
    expect(frame.windows.map((w) => [w.name, w.center, w.width])).toEqual([
      ['LUNG', -600, 1500],
      ['MEDIASTINUM', 40, 400],
    ]);
  });

  it('refuses a frame it does not have', async () => {
    await expect(dicom.frame(1)).rejects.toThrow('frame 2 does not exist (the image has 1)');
  });
});

describe('compressed transfer syntaxes decode to the same HU', () => {
  // The 12-bit unsigned variants store HU + 1024 clamped to 0..4095.
  const clamped = Float64Array.from(phantom.hu, (v) => Math.min(3071, Math.max(-1024, v)));
  it.each([
    ['ct-phantom-jpeg-ls.dcm', 'JPEG-LS Lossless', clamped],
    ['ct-phantom-j2k.dcm', 'JPEG 2000 (Lossless Only)', Float64Array.from(phantom.hu)],
  ])('%s (%s)', async (file, syntax, expected) => {
    const dicom = readDicomImage(fixture(file));
    expect(dicom.info.transferSyntax.name).toBe(syntax);
    expect(Array.from(values((await dicom.frame(0)).image))).toEqual(Array.from(expected));
  });
});

describe('an Enhanced CT with three frames (JPEG-LS)', () => {
  const dicom = readDicomImage(fixture('ct-enhanced-3.dcm'));

  it('reads each frame with the shared rescale and window, and its own position', async () => {
    expect(dicom.info).toMatchObject({ sopClass: 'Enhanced CT Image', frames: 3, unit: 'HU', spacing: { row: 0.7, at: 'patient' } });
    expect(dicom.reference.positions.map((p) => p?.[2])).toEqual([-120, -125, -130]);
    const frames = await Promise.all([0, 1, 2].map((i) => dicom.frame(i)));
    for (const [i, frame] of frames.entries()) {
      const hu = values(frame.image);
      const lesions = SAMPLE_LESIONS.map((l) => ({ ...l, rx: l.rx * [0.6, 1, 1.3][i]!, ry: l.ry * [0.6, 1, 1.3][i]! }));
      const expected = phantomSlice(lesions, 2026 + i).hu.map((v) => Math.min(3071, Math.max(-1024, v)));
      expect(Array.from(hu)).toEqual(Array.from(expected));
      expect(frame.windows).toEqual([{ name: 'LUNG', center: -600, width: 1500, function: 'LINEAR' }]);
    }
  });
});

describe('chest radiographs', () => {
  it('a 12-bit MONOCHROME1 CR in JPEG Lossless: inverted, its VOI window, spacing at the detector', async () => {
    const dicom = readDicomImage(sampleFile('cr-chest.dcm'));
    expect(dicom.info).toMatchObject({ modality: 'CR', photometric: 'MONOCHROME1', bitsStored: 12, unit: null, spacing: { row: 0.2, at: 'detector' } });
    expect(dicom.info.transferSyntax.uid).toBe('1.2.840.10008.1.2.4.70');
    const frame = await dicom.frame(0);
    expect(frame.image.inverted).toBe(true);
    expect(frame.windows).toEqual([{ name: 'File window 1', center: 2048, width: 4096, function: 'LINEAR' }]);
    const png = decodeImage(sampleFile('left-only.png'));
    const stored = Array.from(png.data, (v) => 4095 - Math.round((v * 4095) / 255));
    expect(Array.from(frame.image.data)).toEqual(stored);
  });

  it('a DX in baseline JPEG (YBR_FULL_422): gray from the decoded colour, and a lossy note', async () => {
    const dicom = readDicomImage(fixture('dx-chest-jpeg.dcm'));
    expect(dicom.notes).toEqual(['the pixels were compressed lossily: fine detail may differ from the acquisition']);
    const frame = await dicom.frame(0);
    const png = decodeImage(sampleFile('bilateral-multi.png'));
    let error = 0;
    frame.image.data.forEach((v, i) => (error += Math.abs(v - png.data[i]!)));
    expect(error / png.data.length).toBeLessThan(3);
  });
});

describe('refusals name what they refuse', () => {
  it.each([
    ['refused-rle.dcm', 'the pixels are encoded as RLE Lossless (transfer syntax 1.2.840.10008.1.2.5): no maintained decoder for it is part of Locus'],
    ['refused-big-endian.dcm', 'Explicit VR Big Endian (retired) (transfer syntax 1.2.840.10008.1.2.2)'],
    ['refused-palette.dcm', 'a palette-colour image (PALETTE COLOR): Locus reads grayscale and RGB images'],
    ['refused-report.dcm', 'a DICOM Enhanced SR without pixel data: not an image'],
  ])('%s', (file, message) => {
    expect(() => readDicomImage(fixture(file))).toThrow(message);
  });

  it('a damaged file (no file meta group length), in one line', () => {
    const damaged = new Uint8Array(readFileSync(path.join(REPO, 'tests/fixtures/bad-inputs/images/slice.dcm')));
    expect(() => readDicomImage(damaged)).toThrow(/^damaged DICOM file: .*\(truncated or not written by a DICOM application\?\)$/);
  });

  it('a file cut short in its pixel data (dcmjs would fill the rest with zeros)', () => {
    const whole = sampleFile('ct-phantom.dcm');
    expect(() => readDicomImage(whole.slice(0, whole.length - 1000))).toThrow(
      'damaged DICOM file: the pixel data ends 1000 bytes early (the file is truncated)',
    );
  });
});
