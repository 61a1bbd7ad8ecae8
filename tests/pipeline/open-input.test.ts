/**
 * Opening inputs the way the studio and the CLI do: a DICOM whose modality the bundle does not
 * expect is named (and a window in HU on values without a unit), a PNG never is; ground truths as
 * PNG masks or SEGs, a size mismatch as its own error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MaskSizeError, modalityMismatch, openInput, openMask, segmentationOf, type Manifest } from '../../src/pipeline/index';

const REPO = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => new Uint8Array(readFileSync(path.join(REPO, file)));
const expected = (bundle: string) => (JSON.parse(readFileSync(path.join(REPO, 'models', bundle, 'manifest.json'), 'utf8')) as Manifest).expected_input;

describe('modalityMismatch', () => {
  it('names a CT on the chest X-ray bundle and a CR on the CT bundle; a matching pair and a PNG pass', async () => {
    const ct = await openInput(read('public/samples/ct-phantom.dcm'), 'ct');
    const cr = await openInput(read('public/samples/cr-chest.dcm'), 'cr');
    const png = await openInput(read('public/samples/left-only.png'), 'png');
    expect(modalityMismatch(ct, expected('demo-cxr'))?.message).toMatch(/^the image is CT, the bundle expects CR or DX \(8-bit chest radiograph/);
    expect(modalityMismatch(cr, expected('medseg-ct'))?.message).toMatch(/^the image is CR, the bundle expects CT/);
    expect(modalityMismatch(ct, expected('medseg-ct'))).toBeNull();
    expect(modalityMismatch(cr, expected('demo-cxr'))).toBeNull();
    expect(modalityMismatch(png, expected('medseg-ct'))).toBeNull();
  });

  it('names a CT whose values are not HU where the bundle windows HU', async () => {
    const ct = await openInput(read('public/samples/ct-phantom.dcm'), 'ct');
    if (ct.kind !== 'dicom') throw new Error('expected DICOM');
    const unitless = { ...ct, frame: { ...ct.frame, image: { ...ct.frame.image, scale: { ...ct.frame.image.scale, unit: null } } } };
    expect(modalityMismatch(unitless, expected('medseg-ct'))?.message).toBe("the bundle windows HU, but this image's values are not in HU");
  });
});

describe('openMask', () => {
  it('reads a PNG mask and a SEG made on the image, and tells a size mismatch apart', async () => {
    const ct = await openInput(read('public/samples/ct-phantom.dcm'), 'ct');
    const png = await openMask(read('public/samples/ct-phantom-mask.png'), 'mask', ct);
    const seg = await openMask(segmentationOf(ct, png.mask, { name: 'test', version: '1' }), 'seg', ct);
    expect(Array.from(seg.mask)).toEqual(Array.from(png.mask));
    const small = encodePng({ width: 2, height: 2, data: new Uint8Array(4), channels: 1, depth: 8 });
    const mismatch = openMask(small, 'small', ct);
    await expect(mismatch).rejects.toBeInstanceOf(MaskSizeError);
    await expect(mismatch).rejects.toThrow('the ground truth mask is 2x2 but the image is 512x512');
  });
});
