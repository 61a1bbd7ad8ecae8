import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/pipeline/index';
import { OpenedCase } from '../../src/worker/opened-case';

const png = (width: number, height: number, values: number[]) =>
  encodePng({ width, height, data: Uint8Array.from(values), channels: 1, depth: 8 });

describe('OpenedCase', () => {
  it('opens an image for display and scores masks against its ground truth', async () => {
    const opened = new OpenedCase();
    const { gray, imageId } = await opened.open(png(2, 2, [0, 50, 100, 150]));
    expect(gray).toMatchObject({ width: 2, height: 2, maxValue: 255 });
    expect(opened.currentId()).toBe(imageId);
    expect(opened.score(Uint8Array.of(1, 0, 0, 0))).toBeNull();
    const truth = await opened.setTruth(png(2, 2, [0, 7, 255, 0]));
    expect(Array.from(truth!.mask)).toEqual([0, 1, 1, 0]);
    expect(opened.score(Uint8Array.of(0, 1, 0, 0))).toEqual({ dice: 2 / 3, iou: 0.5, truthId: truth!.truthId });
  });

  it('drops the ground truth when a new image opens, and clears it on null', async () => {
    const opened = new OpenedCase();
    await opened.open(png(1, 1, [9]));
    const first = await opened.setTruth(png(1, 1, [1]));
    expect(opened.score(Uint8Array.of(1))?.dice).toBe(1);
    await opened.open(png(1, 1, [9]));
    expect(opened.score(Uint8Array.of(1))).toBeNull();
    const second = await opened.setTruth(png(1, 1, [1]));
    expect(second!.truthId).toBeGreaterThan(first!.truthId);
    expect(await opened.setTruth(null)).toBeNull();
    expect(opened.score(Uint8Array.of(1))).toBeNull();
  });

  it('refuses a mask of another size, naming both sizes, and keeps the truth it had', async () => {
    const opened = new OpenedCase();
    await opened.open(png(3, 2, [0, 0, 0, 0, 0, 0]));
    await opened.setTruth(png(3, 2, [1, 0, 0, 0, 0, 0]));
    await expect(opened.setTruth(png(2, 2, [0, 0, 0, 0]))).rejects.toThrow('the ground truth mask is 2x2 but the image is 3x2');
    expect(opened.score(Uint8Array.of(1, 0, 0, 0, 0, 0))?.dice).toBe(1);
  });

  it('says why a file is not an image and keeps the image it had', async () => {
    const opened = new OpenedCase();
    await opened.open(png(1, 1, [5]));
    await expect(opened.open(new TextEncoder().encode('hello'))).rejects.toThrow('cannot read the image: a text file, not an image');
    expect(opened.opened()).toMatchObject({ kind: 'raster', image: { width: 1 } });
    await expect(opened.setTruth(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2))).rejects.toThrow(
      /cannot read the ground truth mask: corrupt PNG/,
    );
  });

  it('gives every opened image a new id, unlike any other worker\'s', async () => {
    const [a, b] = [new OpenedCase(), new OpenedCase()];
    const first = await a.open(png(1, 1, [1]));
    const second = await a.open(png(1, 1, [1]));
    const other = await b.open(png(1, 1, [1]));
    expect(new Set([first.imageId, second.imageId, other.imageId]).size).toBe(3);
  });

  it('warns about tiny images and doubtful ground truths, and still accepts them', async () => {
    const opened = new OpenedCase();
    const image = png(2, 2, [10, 20, 30, 40]);
    const { warnings } = await opened.open(image);
    expect(warnings.map((w) => w.code)).toEqual(['tiny-image']);
    expect((await opened.setTruth(image))!.warnings.map((w) => w.code)).toEqual(['truth-is-image']);
    expect((await opened.setTruth(png(2, 2, [0, 0, 0, 0])))!.warnings.map((w) => w.code)).toEqual(['truth-empty']);
    expect((await opened.setTruth(png(2, 2, [0, 1, 255, 0])))!.warnings.map((w) => w.code)).toEqual(['truth-not-binary']);
    expect((await opened.setTruth(png(2, 2, [0, 255, 255, 0])))!.warnings).toEqual([]);
  });

  it('needs an image before a ground truth', async () => {
    await expect(new OpenedCase().setTruth(png(1, 1, [1]))).rejects.toThrow(/open an image first/);
  });
});

describe('OpenedCase with DICOM', () => {
  const read = (file: string) => new Uint8Array(readFileSync(path.resolve(import.meta.dirname, '../..', file)));
  const ctBundle = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../models/medseg-ct/manifest.json'), 'utf8')) as Manifest;
  const cxrBundle = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../models/demo-cxr/manifest.json'), 'utf8')) as Manifest;

  it('shows a CT in HU without the patient, gives the model the lung window, and the name and ID only when asked', async () => {
    const opened = new OpenedCase();
    const shown = await opened.open(read('public/samples/ct-phantom.dcm'));
    expect(shown.dicom).toMatchObject({ info: { modality: 'CT', unit: 'HU' }, frame: 0 });
    expect(shown.gray.scale).toEqual({ slope: 1, intercept: -33792, unit: 'HU' });
    expect(JSON.stringify({ ...shown, gray: null })).not.toContain('Testpatient');
    const model = opened.current(ctBundle.expected_input);
    expect(model).toMatchObject({ width: 512, height: 512, channels: 1, bitDepth: 8 });
    expect(opened.current(ctBundle.expected_input)).toBe(model);
    expect(opened.current(cxrBundle.expected_input)).not.toBe(model);
    expect(opened.identity()).toEqual({ name: 'Testpatient Jane', id: 'LOCUS-PHANTOM-0001' });
  });

  it('picks another frame of a multi-frame image as a new image, and scores against a SEG made on it', async () => {
    const opened = new OpenedCase();
    const first = await opened.open(read('tests/fixtures/dicom/ct-enhanced-3.dcm'));
    expect(first.warnings.map((w) => w.message)).toContain('the DICOM image has 3 frames; frame 1 is used');
    const third = await opened.selectFrame(2);
    expect(third.imageId).not.toBe(first.imageId);
    expect(third.dicom?.frame).toBe(2);
    expect(third.warnings.map((w) => w.message)).toContain('the DICOM image has 3 frames; frame 3 is used');
    const mask = new Uint8Array(512 * 512).fill(1, 5000, 9000);
    const truth = await opened.setTruth(opened.segmentation(mask, { bundleId: 'locus-medseg-ct', version: 'test' }));
    expect(truth!.mask.reduce((n, v) => n + v, 0)).toBe(4000);
    expect(opened.score(mask)?.dice).toBe(1);
    await opened.selectFrame(0);
    await expect(opened.setTruth(opened.segmentation(mask, { bundleId: 'x', version: 'test' }))).resolves.toBeTruthy();
  });

  it('refuses a SEG for a PNG image export, and a SEG made on another image as ground truth', async () => {
    const opened = new OpenedCase();
    await opened.open(read('public/samples/ct-phantom.dcm'));
    const seg = opened.segmentation(new Uint8Array(512 * 512), { bundleId: 'x', version: 'test' });
    await opened.open(read('tests/fixtures/dicom/ct-phantom-j2k.dcm'));
    await expect(opened.setTruth(seg)).rejects.toThrow('cannot read the ground truth mask: the SEG was not made on this image');
    await opened.open(png(2, 2, [1, 2, 3, 4]));
    expect(() => opened.segmentation(new Uint8Array(4), { bundleId: 'x', version: 'test' })).toThrow('a DICOM SEG needs a DICOM image');
  });
});
