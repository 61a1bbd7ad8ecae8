import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { binaryMask, decodeImage, decodeInput, decodeJpeg, decodeNamed, decodePng, sniffFormat } from '../../src/pipeline/decode';
import { toGray } from '../../src/pipeline/preprocess';
import { maxAbsDiff } from './bundle';
import { DATA_DIR } from './vectors';

interface Expected {
  dtype: string;
  shape: number[];
  gray: number[];
}

const DECODE_DIR = join(DATA_DIR, 'decode');
const expected = JSON.parse(readFileSync(join(DECODE_DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
// fast-png cannot de-interlace samples under 8 bits; decode.ts refuses them instead of guessing.
const UNSUPPORTED = ['gray2-adam7.png'];
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DECODE_DIR, name)));

describe('decodeImage gives what Pillow (dataset.read_image) then to_gray give', () => {
  const pngs = Object.entries(expected).filter(([name]) => name.endsWith('.png') && !UNSUPPORTED.includes(name));
  it.each(pngs)('%s', (name, want) => {
    const image = decodeImage(read(name));
    expect([image.height, image.width]).toEqual(want.shape.slice(0, 2));
    expect(image.bitDepth).toBe(want.dtype === 'uint16' ? 16 : 8);
    // Pillow turns 1-bit gray and 16-bit gray+alpha into RGB(A) with R = G = B; we keep one
    // channel, which differs from the BT.601 sum by float64 rounding only.
    expect(maxAbsDiff(toGray(image).data, want.gray)).toBeLessThanOrEqual(1e-15);
  });

  it.each(Object.entries(expected).filter(([name]) => name.endsWith('.jpg')))('%s (close: JPEG decoders differ)', (name, want) => {
    const image = decodeImage(read(name));
    expect(image.channels).toBe(want.shape.length === 2 ? 1 : 3);
    const diff = maxAbsDiff(toGray(image).data, want.gray);
    console.info(`[decode] ${name}: max abs gray diff vs Pillow ${diff.toExponential(3)} (${(diff * 255).toFixed(2)} codes)`);
    expect(diff).toBeLessThanOrEqual(2 / 255);
  });
});

describe('decode errors and formats', () => {
  it('sniffs PNG and JPEG by magic bytes', () => {
    expect(sniffFormat(read('gray8.png'))).toBe('png');
    expect(sniffFormat(read('gray.jpg').buffer as ArrayBuffer)).toBe('jpeg');
    expect(sniffFormat(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('names the problem', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'))).toThrow(/^a GIF image: Locus reads PNG and JPEG only/);
    expect(() => decodeImage(Uint8Array.of(0, 1, 2, 3, 250, 251))).toThrow(/^not a PNG or JPEG image \(unknown format; the file starts with 00 01 02 03 fa fb\)/);
    expect(() => decodeImage(new Uint8Array(0))).toThrow(/^the file is empty \(0 bytes\)$/);
    const png = read('rgb8.png');
    expect(() => decodePng(png.subarray(0, png.length - 30))).toThrow(/^corrupt PNG: /);
    expect(() => decodeImage(read('gray2-adam7.png'))).toThrow(/^unsupported PNG: interlaced \(Adam7\) gray/);
    const jpeg = read('rgb.jpg');
    expect(() => decodeJpeg(jpeg.subarray(0, 40))).toThrow(/^corrupt JPEG: /);
  });

  it('keeps 16-bit gray as 16-bit codes', () => {
    const data = Uint16Array.from([0, 1000, 4095, 65535]);
    const image = decodePng(encodePng({ width: 2, height: 2, data, depth: 16, channels: 1 }));
    expect(image).toEqual({ width: 2, height: 2, channels: 1, bitDepth: 16, data });
  });
});

describe('decoding inputs', () => {
  it('reads any nonzero channel of a mask as lesion', () => {
    const rgb = { width: 2, height: 1, channels: 3 as const, bitDepth: 8 as const, data: Uint8Array.of(0, 0, 0, 0, 9, 0) };
    expect(Array.from(binaryMask(rgb))).toEqual([0, 1]);
  });

  it('takes bytes, a Blob or decoded pixels, and names what could not be read', async () => {
    const bytes = read('gray8.png');
    const fromBytes = await decodeInput(bytes);
    expect(await decodeInput(new Blob([bytes.slice()]))).toEqual(fromBytes);
    expect(await decodeInput(fromBytes)).toBe(fromBytes);
    await expect(decodeNamed(Uint8Array.of(1, 2, 3), 'scan.png')).rejects.toThrow(/^scan\.png: not a PNG or JPEG/);
  });
});
