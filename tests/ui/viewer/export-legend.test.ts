import { describe, expect, it } from 'vitest';
import { layoutLegend, legendItems } from '../../../src/ui/viewer/export-legend';
import type { Ctx2d, OverlaySettings, ViewerLayers } from '../../../src/ui/viewer/types';

const layers = {
  image: { width: 4, height: 4, data: new Uint8Array(16), maxValue: 255 },
  coarse: null,
  modelPoints: [{}],
  userPoints: [],
  mask: new Uint8Array(16),
  truth: new Uint8Array(16),
} as unknown as ViewerLayers;
const shown = (visible: Partial<OverlaySettings['visible']>): OverlaySettings => ({
  visible: { coarse: false, points: false, mask: false, truth: false, ...visible },
  opacity: { coarse: 1, points: 1, mask: 1, truth: 1 },
});
/** A context whose text is 7 px a character wide. */
const ctx = { font: '', measureText: (text: string) => ({ width: text.length * 7 }) } as unknown as Ctx2d;

describe('the exported overlay\'s legend', () => {
  it('names what is shown, and only that', () => {
    expect(legendItems(layers, shown({})).map((i) => i.text)).toEqual([]);
    expect(legendItems(layers, shown({ mask: true, truth: true, points: true })).map((i) => i.text)).toEqual([
      'final mask (outline)',
      'agrees with truth',
      'missed',
      'extra',
      'model points (ring, numbered)',
    ]);
    expect(legendItems(layers, shown({ truth: true }))).toEqual([{ swatch: 'outline', text: 'ground truth' }]);
  });

  it('wraps to the image width, so a small image gets a taller strip rather than a clipped one', () => {
    const items = legendItems(layers, shown({ mask: true, truth: true }));
    const wide = layoutLegend(ctx, items, 1200);
    const narrow = layoutLegend(ctx, items, 128);
    expect(new Set(wide.placed.map((p) => p.row)).size).toBe(1);
    expect(new Set(narrow.placed.map((p) => p.row)).size).toBe(items.length);
    expect(narrow.height).toBeGreaterThan(wide.height);
    expect(layoutLegend(ctx, [], 128).height).toBe(0);
  });
});
