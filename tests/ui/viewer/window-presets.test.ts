import { describe, expect, it } from 'vitest';
import type { ExpectedInput } from '../../../src/pipeline/index';
import type { DisplayImage } from '../../../src/ui/viewer/types';
import { matchingPreset, windowPresets } from '../../../src/ui/viewer/window-presets';

const ct: DisplayImage = { width: 2, height: 1, data: new Uint16Array([0, 4095]), maxValue: 4095, scale: { slope: 1, intercept: -1024, unit: 'HU' } };
const cr: DisplayImage = { width: 2, height: 1, data: new Uint16Array([100, 4000]), maxValue: 4095, scale: { slope: 1, intercept: 0, unit: null } };
const lungWindow: ExpectedInput = {
  description: 'CT', dicom_modalities: ['CT'], mapping: { kind: 'window', units: 'HU', function: 'LINEAR', center: -400, width: 1300 }, bits: 8,
};

describe('window presets', () => {
  it('a CT gets the file\'s windows, the CT windows in HU, the model\'s window and the full range', () => {
    const presets = windowPresets({ image: ct, windows: [{ name: 'LUNG', center: -600, width: 1500, function: 'LINEAR' }], voiLut: null, expected: lungWindow });
    expect(presets.map((p) => p.label)).toEqual([
      'File: LUNG (W 1500 / L −600)',
      'Lung (W 1500 / L −600)',
      'Mediastinum (W 350 / L 50)',
      'Bone (W 1800 / L 400)',
      'Model input (W 1300 / L −400)',
      'Full range',
    ]);
    expect(presets.at(-1)!.window).toEqual({ level: 1023.5, width: 4095 });
    expect(matchingPreset(presets, { level: 50, width: 350 })?.id).toBe('mediastinum');
    expect(matchingPreset(presets, { level: 51, width: 350 })).toBeUndefined();
  });

  it('a radiograph without units gets neither the CT windows nor a window in HU; a VOI LUT shows over its range', () => {
    const table = { name: 'NORMAL', first: 0, bits: 12, data: new Uint16Array(4096) };
    const presets = windowPresets({ image: cr, windows: [], voiLut: table, expected: lungWindow });
    expect(presets.map((p) => p.id)).toEqual(['voi-lut', 'full']);
    expect(presets[0]!.window).toEqual({ level: 2048, width: 4096 });
  });
});
