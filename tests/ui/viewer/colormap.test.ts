import { describe, expect, it } from 'vitest';
import { COLORMAP_STOPS, colormapCss, colormapRgb, heatmapAlpha, heatmapRgba } from '../../../src/ui/viewer/colormap';

describe('colormap', () => {
  it('hits the table at its stops and clamps outside [0, 1]', () => {
    expect(colormapRgb(0)).toEqual(COLORMAP_STOPS[0]);
    expect(colormapRgb(1)).toEqual(COLORMAP_STOPS[COLORMAP_STOPS.length - 1]);
    expect(colormapRgb(-3)).toEqual(colormapRgb(0));
    expect(colormapRgb(7)).toEqual(colormapRgb(1));
    expect(colormapRgb(Number.NaN)).toEqual(colormapRgb(0));
    expect(colormapRgb(1 / 9)).toEqual(COLORMAP_STOPS[1]);
  });

  it('interpolates between stops and gets brighter with probability', () => {
    const luma = (t: number) => {
      const [r, g, b] = colormapRgb(t);
      return 0.299 * r + 0.587 * g + 0.114 * b;
    };
    for (let t = 0; t < 1; t += 0.05) expect(luma(t + 0.05)).toBeGreaterThan(luma(t));
    expect(colormapCss(0)).toBe('rgb(0 0 4)');
  });

  it('fades low probabilities out', () => {
    expect(heatmapAlpha(0)).toBe(0);
    expect(heatmapAlpha(0.15)).toBe(0);
    expect(heatmapAlpha(0.7)).toBe(1);
    expect(heatmapAlpha(0.4)).toBeGreaterThan(0.2);
    expect(heatmapAlpha(0.4)).toBeLessThan(0.8);
  });

  it('turns a grid into RGBA pixels', () => {
    const rgba = heatmapRgba(new Float32Array([0, 1]), 2);
    expect(Array.from(rgba.slice(0, 4))).toEqual([0, 0, 4, 0]);
    expect(Array.from(rgba.slice(4))).toEqual([0xfc, 0xff, 0xa4, 255]);
  });
});
