import { describe, expect, it } from 'vitest';
import type { DisplayImage } from '../../../src/ui/viewer/types';
import {
  autoWindowLevel,
  dragWindowLevel,
  fullRange,
  sampleValue,
  valueUnit,
  windowedRgba,
  windowLut,
  windowSample,
} from '../../../src/ui/viewer/window-level';

const gray8: DisplayImage = { width: 2, height: 2, data: new Uint8Array([0, 64, 128, 255]), maxValue: 255 };
const gray16: DisplayImage = { width: 3, height: 1, data: new Uint16Array([1000, 2000, 3000]), maxValue: 4095 };

describe('window/level', () => {
  it('shows 8-bit images over their full range and deeper ones over their data', () => {
    expect(autoWindowLevel(gray8)).toEqual({ level: 127.5, width: 255 });
    expect(autoWindowLevel(gray16)).toEqual({ level: 2000, width: 2000 });
    const flat: DisplayImage = { width: 1, height: 1, data: new Uint16Array([500]), maxValue: 65535 };
    expect(autoWindowLevel(flat).width).toBe(1);
  });

  it('maps the window to 0..255 and clamps outside it', () => {
    const wl = { level: 100, width: 100 };
    expect(windowSample(50, wl)).toBe(0);
    expect(windowSample(150, wl)).toBe(255);
    expect(windowSample(100, wl)).toBe(128);
    expect(windowSample(0, wl)).toBe(0);
    expect(windowSample(255, wl)).toBe(255);
  });

  it('leaves 8-bit samples unchanged under the auto window', () => {
    const lut = windowLut(autoWindowLevel(gray8));
    for (let v = 0; v < 256; v++) expect(lut[v]).toBe(v);
  });

  it('renders opaque gray pixels for 8- and 16-bit data alike', () => {
    const rgba8 = windowedRgba(gray8, autoWindowLevel(gray8));
    expect(Array.from(rgba8.slice(4, 8))).toEqual([64, 64, 64, 255]);
    const rgba16 = windowedRgba(gray16, autoWindowLevel(gray16));
    expect([rgba16[0], rgba16[4], rgba16[8], rgba16[11]]).toEqual([0, 128, 255, 255]);
  });

  it('widens the window to the right and raises the level downwards', () => {
    const next = dragWindowLevel({ level: 100, width: 200 }, 512, 256, 512);
    expect(next).toEqual({ level: 356, width: 712 });
    expect(dragWindowLevel({ level: 100, width: 10 }, -10_000, 0, 512).width).toBe(1);
  });
});

describe('window/level of a DICOM image, in its modality values', () => {
  // 16-bit samples of a CT: HU = sample - 1024.
  const ct: DisplayImage = { width: 3, height: 1, data: new Uint16Array([24, 1024, 1074]), maxValue: 4095, scale: { slope: 1, intercept: -1024, unit: 'HU' } };

  it('reads values and windows in HU', () => {
    expect(sampleValue(ct, 24)).toBe(-1000);
    expect(valueUnit(ct)).toBe('HU');
    expect(fullRange(ct)).toEqual({ level: -475, width: 1050 });
    const rgba = windowedRgba(ct, { level: 25, width: 50 });
    // -1000 HU black, 0 HU black (the window's low end), 50 HU white.
    expect([rgba[0], rgba[4], rgba[8]]).toEqual([0, 0, 255]);
  });

  it('opens in the file\'s own window, inverts MONOCHROME1 and honours a SIGMOID function', () => {
    const withWindow = { ...ct, window: { level: 0, width: 100, function: 'SIGMOID' as const } };
    expect(autoWindowLevel(withWindow)).toEqual(withWindow.window);
    const sigmoid = windowedRgba(withWindow, withWindow.window);
    expect(sigmoid[4]).toBe(128);
    const inverted = windowedRgba({ ...ct, inverted: true }, { level: 25, width: 50 });
    expect([inverted[0], inverted[8]]).toEqual([255, 0]);
    const gray8 = { width: 2, height: 1, data: new Uint8Array([0, 255]), maxValue: 255, inverted: true };
    expect(Array.from(windowedRgba(gray8, { level: 127.5, width: 255 }).filter((_, i) => i % 4 === 0))).toEqual([255, 0]);
  });
});
