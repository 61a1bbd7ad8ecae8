/**
 * Window presets for a DICOM image, in its display units: the windows the file proposes, the
 * conventional CT windows in HU (a radiologist's lung, mediastinum and bone windows), the window
 * the bundle renders the model's input with, and the full range. PNG and JPEG images have none.
 */
import type { ExpectedInput, VoiTable, WindowPreset } from '../../pipeline/index';
import type { DisplayImage, WindowLevel } from './types';
import { fullRange } from './window-level';

export interface NamedWindow {
  id: string;
  label: string;
  window: WindowLevel;
}

/** Conventional CT windows (W, L in HU). */
const CT_WINDOWS: [string, number, number][] = [
  ['Lung', 1500, -600],
  ['Mediastinum', 350, 50],
  ['Bone', 1800, 400],
];

function wl(width: number, level: number): string {
  const sign = (v: number) => (v < 0 ? `−${Math.abs(v)}` : String(v));
  return `W ${sign(Math.round(width))} / L ${sign(Math.round(level))}`;
}

export interface PresetSources {
  image: DisplayImage;
  /** The file's windows for the frame on screen. */
  windows: readonly WindowPreset[];
  voiLut: VoiTable | null;
  /** The bundle in use's expected input (its window is offered when the image is in its units). */
  expected: ExpectedInput | null;
}

export function windowPresets({ image, windows, voiLut, expected }: PresetSources): NamedWindow[] {
  const presets: NamedWindow[] = windows.map((w, i) => ({
    id: `file-${i}`,
    label: `File: ${w.name} (${wl(w.width, w.center)}${w.function === 'LINEAR' ? '' : `, ${w.function.toLowerCase()}`})`,
    window: { level: w.center, width: w.width, function: w.function },
  }));
  if (voiLut !== null && windows.length === 0) {
    const level = voiLut.first + voiLut.data.length / 2;
    presets.push({ id: 'voi-lut', label: `File: ${voiLut.name} (its range, shown linear)`, window: { level, width: voiLut.data.length } });
  }
  const unit = image.scale?.unit ?? null;
  if (unit === 'HU') {
    for (const [name, width, level] of CT_WINDOWS) presets.push({ id: name.toLowerCase(), label: `${name} (${wl(width, level)})`, window: { level, width } });
  }
  const mapping = expected?.mapping;
  if (mapping?.kind === 'window' && mapping.units === unit) {
    presets.push({ id: 'model', label: `Model input (${wl(mapping.width, mapping.center)})`, window: { level: mapping.center, width: mapping.width } });
  }
  presets.push({ id: 'full', label: 'Full range', window: fullRange(image) });
  return presets;
}

/** The preset showing `current`, or undefined (a window the user dragged to). */
export function matchingPreset(presets: readonly NamedWindow[], current: WindowLevel): NamedWindow | undefined {
  return presets.find((p) => Math.abs(p.window.level - current.level) < 1e-6 && Math.abs(p.window.width - current.width) < 1e-6);
}
