/**
 * DICOM SEG out and back: a binary SEG of a mask references the source instance (study, series,
 * instance, frame of reference, the frame of a multi-frame source), carries no patient identity,
 * parses with dcmjs and reads back to the same mask; a SEG refuses to be taken for another image.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { maskFor, packBits, readDicomImage, readSegmentation, unpackBits, writeSegmentation, type DicomImage } from '../../../src/pipeline/dicom/index';
import { PATIENT } from '../../fixtures/dicom/make-dicom';

const REPO = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => new Uint8Array(readFileSync(path.join(REPO, file)));

function segOf(dicom: DicomImage, mask: Uint8Array, frameIndex = 0): Uint8Array {
  return writeSegmentation({
    source: dicom.reference,
    frameIndex,
    sourceFrames: dicom.info.frames,
    rows: dicom.info.rows,
    columns: dicom.info.columns,
    spacing: dicom.info.spacing,
    mask,
    segmentLabel: 'Lung infection',
    algorithm: { name: 'locus-medseg-ct', version: 'Locus studio 0.0.0' },
    created: new Date('2025-01-31T12:00:00Z'),
  });
}

describe('bits', () => {
  it('pack least significant bit first, padded to an even length, and unpack', () => {
    const mask = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(packBits(mask))).toEqual([0x81, 0x01]);
    expect(Array.from(unpackBits(packBits(mask), 0, 9))).toEqual(Array.from(mask));
  });
});

describe('a SEG of the CT phantom', () => {
  const ct = readDicomImage(read('public/samples/ct-phantom.dcm'));
  const mask = new Uint8Array(512 * 512).map((_, i) => ((i % 512) - 200) ** 2 + (Math.floor(i / 512) - 300) ** 2 < 900 ? 1 : 0);
  const bytes = segOf(ct, mask);

  it('reads back to the same mask, referencing its source', () => {
    const seg = readSegmentation(bytes);
    expect(seg).toMatchObject({ rows: 512, columns: 512, segments: [{ number: 1, label: 'Lung infection' }], referencedInstances: [ct.reference.sopInstanceUid] });
    expect(seg.frames).toHaveLength(1);
    expect(seg.frames[0]).toMatchObject({ segment: 1, sopInstanceUid: ct.reference.sopInstanceUid, frameNumber: null });
    expect(Array.from(maskFor(seg, { sopInstanceUid: ct.reference.sopInstanceUid, frameIndex: 0, frames: 1 }))).toEqual(Array.from(mask));
  });

  it('is a SEG dcmjs reads: same study and frame of reference, new series, no patient identity', () => {
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict);
    expect(dataset).toMatchObject({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.66.4',
      Modality: 'SEG',
      SegmentationType: 'BINARY',
      BitsAllocated: 1,
      StudyInstanceUID: ct.reference.studyInstanceUid,
      FrameOfReferenceUID: ct.reference.frameOfReferenceUid,
      ContentDate: '20250131',
    });
    expect(dataset['SeriesInstanceUID']).not.toBe(ct.reference.seriesInstanceUid);
    const text = new TextDecoder('latin1').decode(bytes);
    for (const secret of ['Testpatient', PATIENT.id, '19700101', 'LOCUS0001']) expect(text).not.toContain(secret);
  });

  it('is refused for another image, and for a PNG while it has more than one frame', () => {
    const seg = readSegmentation(bytes);
    expect(() => maskFor(seg, { sopInstanceUid: '2.25.1', frameIndex: 0, frames: 1 })).toThrow('the SEG was not made on this image');
    expect(maskFor(seg, null)).toHaveLength(512 * 512);
  });
});

describe('a SEG of one frame of a multi-frame CT', () => {
  it('references the frame by number and is taken for that frame only', () => {
    const enhanced = readDicomImage(read('tests/fixtures/dicom/ct-enhanced-3.dcm'));
    const mask = new Uint8Array(512 * 512).fill(1, 1000, 3000);
    const seg = readSegmentation(segOf(enhanced, mask, 2));
    expect(seg.frames[0]).toMatchObject({ sopInstanceUid: enhanced.reference.sopInstanceUid, frameNumber: 3 });
    const source = { sopInstanceUid: enhanced.reference.sopInstanceUid, frames: 3 };
    expect(maskFor(seg, { ...source, frameIndex: 2 }).reduce((n, v) => n + v, 0)).toBe(2000);
    expect(() => maskFor(seg, { ...source, frameIndex: 0 })).toThrow('the SEG was not made on this image');
  });
});

describe('what a SEG is not', () => {
  it('an image is not a SEG, and a SEG is not an image', () => {
    expect(() => readSegmentation(read('public/samples/ct-phantom.dcm'))).toThrow('a DICOM file, but not a Segmentation (SEG)');
    const ct = readDicomImage(read('public/samples/ct-phantom.dcm'));
    expect(() => readDicomImage(segOf(ct, new Uint8Array(512 * 512)))).toThrow('a DICOM Segmentation (SEG), not an image');
  });

  it('a mask of the wrong size is refused', () => {
    const ct = readDicomImage(read('public/samples/ct-phantom.dcm'));
    expect(() => segOf(ct, new Uint8Array(10))).toThrow('the mask holds 10 pixels, the image 512x512');
  });
});
