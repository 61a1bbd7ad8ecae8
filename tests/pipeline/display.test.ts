import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/pipeline/decode';
import { encodeMaskPng, previewGray, toGrayImage } from '../../src/pipeline/display';
import type { DecodedImage } from '../../src/pipeline/types';

describe('toGrayImage', () => {
  it('copies 8-bit gray with a maximum of 255', () => {
    const data = Uint8Array.of(0, 10, 200, 255);
    const gray = toGrayImage({ width: 2, height: 2, channels: 1, bitDepth: 8, data });
    expect(gray).toMatchObject({ width: 2, height: 2, maxValue: 255 });
    expect(Array.from(gray.data)).toEqual([0, 10, 200, 255]);
    expect(gray.data.buffer).not.toBe(data.buffer);
  });

  it('keeps 16-bit samples and finds 12-bit content by its largest code', () => {
    const data = Uint16Array.of(0, 100, 4000, 4095);
    const gray = toGrayImage({ width: 4, height: 1, channels: 1, bitDepth: 16, data });
    expect(gray.data).toBeInstanceOf(Uint16Array);
    expect(gray.maxValue).toBe(4095);
    const full = toGrayImage({ width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.of(65535) });
    expect(full.maxValue).toBe(65535);
    // Never fewer than 8 significant bits, as the preprocessing's rule.
    const dim = toGrayImage({ width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.of(3) });
    expect(dim.maxValue).toBe(255);
  });

  it('turns RGB and RGBA into BT.601 luminance', () => {
    const rgb: DecodedImage = { width: 2, height: 1, channels: 3, bitDepth: 8, data: Uint8Array.of(255, 0, 0, 10, 20, 30) };
    expect(Array.from(toGrayImage(rgb).data)).toEqual([76, Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]);
    const rgba: DecodedImage = { width: 1, height: 1, channels: 4, bitDepth: 8, data: Uint8Array.of(0, 255, 0, 7) };
    expect(Array.from(toGrayImage(rgba).data)).toEqual([150]);
  });

  it('refuses data of the wrong length', () => {
    expect(() => toGrayImage({ width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array(3) })).toThrow(/expected 2x2x1/);
  });
});

describe('encodeMaskPng', () => {
  it('writes an 8-bit gray PNG with 0/255 at the mask size', () => {
    const png = encodeMaskPng(Uint8Array.of(0, 1, 1, 0, 0, 1), 3, 2);
    const image = decodePng(png);
    expect(image).toMatchObject({ width: 3, height: 2, channels: 1, bitDepth: 8 });
    expect(Array.from(image.data)).toEqual([0, 255, 255, 0, 0, 255]);
  });

  it('refuses a mask whose length is not width x height', () => {
    expect(() => encodeMaskPng(new Uint8Array(5), 3, 2)).toThrow(/expected 3x2/);
  });
});

describe('previewGray', () => {
  it('box-averages to the longest side and maps [0, maxValue] to 8 bits', () => {
    const data = Uint16Array.of(0, 4095, 4095, 4095, 0, 0, 0, 0, 4095, 4095, 4095, 4095);
    const preview = previewGray({ width: 4, height: 3, data, maxValue: 4095 }, 2);
    expect(preview).toMatchObject({ width: 2, height: 2, maxValue: 255 });
    expect(Array.from(preview.data)).toEqual([64, 128, 255, 255]);
  });

  it('keeps a small image as it is, in 8 bits', () => {
    const preview = previewGray({ width: 2, height: 1, data: Uint8Array.of(10, 250), maxValue: 255 }, 64);
    expect(Array.from(preview.data)).toEqual([10, 250]);
  });
});
