import { describe, expect, it } from 'vitest';
import type { DisplayImage } from '../../../src/ui/viewer/types';
import {
  autoWindowLevel,
  dragWindowLevel,
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
