/**
 * The bundle's expected input applied to DICOM modality values: the CT lung window (VOI LUT
 * Function LINEAR, PS3.3 C.11.2.1.2.1) on HU gives back the 8-bit slice it was made from, the CXR
 * full range inverts MONOCHROME1 and leaves padding out; the viewer keeps samples and their scale.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayImage, linearWindow, readDicomImage, renderExpected, type ModalityImage, type ValueScale } from '../../../src/pipeline/dicom/index';
import { decodeImage, type ExpectedInput } from '../../../src/pipeline/index';

const REPO = path.resolve(import.meta.dirname, '../../..');
const manifest = (bundle: string) => JSON.parse(readFileSync(path.join(REPO, 'models', bundle, 'manifest.json'), 'utf8')) as { expected_input: ExpectedInput };
const CT = manifest('medseg-ct').expected_input;
const CXR = manifest('demo-cxr').expected_input;

function image(values: number[], scale: ValueScale = { slope: 1, intercept: -1024, unit: 'HU' }, extra: Partial<ModalityImage> = {}): ModalityImage {
  return { width: values.length, height: 1, data: Uint16Array.from(values), scale, inverted: false, padding: null, ...extra };
}

describe('the window of the CT bundles', () => {
  it('is the lung window on HU, from the manifest', () => {
    expect(CT.mapping).toEqual({ kind: 'window', units: 'HU', function: 'LINEAR', center: -400, width: 1300 });
    expect(CT.dicom_modalities).toEqual(['CT']);
  });

  it('follows LINEAR: c - 0.5 -/+ (w - 1) / 2 are the ends, rounded half up between', () => {
    // low end -1350, high end 149
    expect([-2000, -1350, -1349, -600, 0, 149, 150, 3000].map((hu) => linearWindow(hu, -600, 1500))).toEqual([0, 0, 0, 128, 230, 255, 255, 255]);
    expect(linearWindow(-1349, -600, 1500)).toBe(Math.floor(((-1349 + 600.5) / 1499 + 0.5) * 255 + 0.5));
  });

  it('rendered from HU gives back every code of an 8-bit lung-window slice', () => {
    // HU made from codes 0..255 by inverting the window, rounded to whole HU as a scanner stores them.
    const { center, width } = CT.mapping as { center: number; width: number };
    const codes = Array.from({ length: 256 }, (_, v) => v);
    const hu = codes.map((v) => Math.round((v / 255 - 0.5) * (width - 1) + center - 0.5));
    const rendered = renderExpected(image(hu.map((h) => h + 2048), { slope: 1, intercept: -2048, unit: 'HU' }), CT);
    expect(rendered).toMatchObject({ width: 256, height: 1, channels: 1, bitDepth: 8 });
    expect(Array.from(rendered.data)).toEqual(codes);
  });

  it('applies to the phantom slice pixel by pixel, the padding going black', async () => {
    const frame = (await readDicomImage(new Uint8Array(readFileSync(path.join(REPO, 'public/samples/ct-phantom.dcm')))).frame(0)).image;
    const rendered = renderExpected(frame, CT);
    frame.data.forEach((v, i) => {
      if (i % 997 === 0) expect(rendered.data[i]).toBe(linearWindow(v * frame.scale.slope + frame.scale.intercept, -400, 1300));
    });
    expect(rendered.data[0]).toBe(0);
  });
});

describe('the full range of the CXR bundles', () => {
  it('maps the lowest value to 0 and the highest to 255', () => {
    expect(CXR.mapping).toEqual({ kind: 'full-range' });
    const rendered = renderExpected(image([100, 200, 300], { slope: 1, intercept: 0, unit: null }), CXR);
    expect(Array.from(rendered.data)).toEqual([0, 128, 255]);
  });

  it('inverts MONOCHROME1 and leaves padding out of the range (shown black)', () => {
    const scale: ValueScale = { slope: 1, intercept: 0, unit: null };
    const rendered = renderExpected(image([0, 100, 200, 300], scale, { inverted: true, padding: [0, 0] }), CXR);
    expect(Array.from(rendered.data)).toEqual([0, 255, 128, 0]);
  });

  it('a negative slope swaps the ends; a flat image is black', () => {
    expect(Array.from(renderExpected(image([10, 20], { slope: -1, intercept: 0, unit: null }), CXR).data)).toEqual([255, 0]);
    expect(Array.from(renderExpected(image([7, 7]), CXR).data)).toEqual([0, 0]);
  });

  it('turns the MONOCHROME1 CR sample back into its PNG, stretched to the full range', async () => {
    const frame = (await readDicomImage(new Uint8Array(readFileSync(path.join(REPO, 'public/samples/cr-chest.dcm')))).frame(0)).image;
    const png = decodeImage(new Uint8Array(readFileSync(path.join(REPO, 'public/samples/left-only.png'))));
    const max = Array.from(png.data).reduce((a, b) => Math.max(a, b), 0);
    const rendered = renderExpected(frame, CXR);
    const worst = Array.from(rendered.data).reduce((w, v, i) => Math.max(w, Math.abs(v - (png.data[i]! * 255) / max)), 0);
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('the viewer image of a DICOM frame', () => {
  it('keeps the samples, their scale to HU and MONOCHROME1, as a copy', () => {
    const frame = image([1024, 2048]);
    const shown = displayImage(frame);
    expect(shown).toMatchObject({ width: 2, height: 1, maxValue: 4095, scale: { slope: 1, intercept: -1024, unit: 'HU' }, inverted: false });
    shown.data[0] = 0;
    expect(frame.data[0]).toBe(1024);
  });
});
