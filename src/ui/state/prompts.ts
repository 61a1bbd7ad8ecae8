/**
 * The decoder's prompt settings with an undo/redo history. Every change is one step, except that
 * consecutive moves of the same slider merge into one (a drag is one step). "Reset" goes back to
 * the bundle's defaults and the model's own points (no user points), as one undoable step.
 */
import { create } from 'zustand';
import type { ImagePoint } from '../../pipeline/index';
import type { PromptPoint, PromptSettings } from '../../worker/api';
import { markInput } from '../latency';

export type Toggle = 'useCoarse' | 'usePoints' | 'useText';
export type Slider = 'k' | 'theta';

export interface PromptState {
  settings: PromptSettings;
  /** The bundle's defaults (null until a bundle is loaded). */
  defaults: PromptSettings | null;
  past: PromptSettings[];
  future: PromptSettings[];
  /** The slider the last step moved, so a drag merges into one step. */
  merging: Slider | null;
  setDefaults(defaults: PromptSettings): void;
  toggle(name: Toggle, on: boolean): void;
  slide(name: Slider, value: number): void;
  addPoint(point: ImagePoint, label: 0 | 1): void;
  movePoint(index: number, point: ImagePoint): void;
  removePoint(index: number): void;
  undo(): void;
  redo(): void;
  reset(): void;
  /** Every setting at once (a case opened from the workbench at a sweep's setting), as one undoable step. */
  choose(settings: PromptSettings): void;
  /** Drops the user points and the history, for a new image. */
  clearPoints(): void;
}

// An inert placeholder until the bundle's defaults arrive (the lab is disabled until then); never a
// copy of the manifest's k or theta.
const FALLBACK: PromptSettings = { k: 0, theta: 1, useCoarse: true, usePoints: true, useText: true, userPoints: [] };
const HISTORY_LIMIT = 200;

/** One undoable step to `next`; a slider move right after one of the same slider replaces it. */
function step(s: PromptState, next: PromptSettings, merging: Slider | null = null): Partial<PromptState> {
  const merge = merging !== null && merging === s.merging;
  const past = merge ? s.past : [...s.past, s.settings].slice(-HISTORY_LIMIT);
  return { settings: next, past, future: [], merging };
}

function withPoints(s: PromptState, userPoints: PromptPoint[]): Partial<PromptState> {
  return step(s, { ...s.settings, userPoints });
}

export const usePrompts = create<PromptState>()((set) => ({
  settings: FALLBACK,
  defaults: null,
  past: [],
  future: [],
  merging: null,
  setDefaults: (defaults) => set({ defaults, settings: { ...defaults, userPoints: [] }, past: [], future: [], merging: null }),
  toggle: (name, on) => set((s) => (s.settings[name] === on ? {} : step(s, { ...s.settings, [name]: on }))),
  slide: (name, value) => set((s) => (s.settings[name] === value ? {} : step(s, { ...s.settings, [name]: value }, name))),
  addPoint: (point, label) => set((s) => withPoints(s, [...s.settings.userPoints, { point, label }])),
  movePoint: (index, point) =>
    set((s) => withPoints(s, s.settings.userPoints.map((p, i) => (i === index ? { ...p, point } : p)))),
  removePoint: (index) => set((s) => withPoints(s, s.settings.userPoints.filter((_, i) => i !== index))),
  undo: () =>
    set((s) => {
      const previous = s.past.at(-1);
      if (previous === undefined) return {};
      return { settings: previous, past: s.past.slice(0, -1), future: [s.settings, ...s.future], merging: null };
    }),
  redo: () =>
    set((s) => {
      const next = s.future[0];
      if (next === undefined) return {};
      return { settings: next, past: [...s.past, s.settings], future: s.future.slice(1), merging: null };
    }),
  reset: () => set((s) => step(s, { ...(s.defaults ?? FALLBACK), userPoints: [] })),
  choose: (settings) => set((s) => (settingsKey(s.settings) === settingsKey(settings) ? {} : step(s, settings))),
  clearPoints: () => set((s) => ({ settings: { ...s.settings, userPoints: [] }, past: [], future: [], merging: null })),
}));

/** A stable key for a settings value (query keys, equality). */
export function settingsKey(settings: PromptSettings): string {
  const points = settings.userPoints.map((p) => `${p.label}:${p.point.x.toFixed(2)},${p.point.y.toFixed(2)}`);
  return [settings.k, settings.theta, +settings.useCoarse, +settings.usePoints, +settings.useText, ...points].join('|');
}

// Every settings change starts the input-to-paint path scripts/latency.ts measures.
usePrompts.subscribe((state, previous) => {
  if (state.settings !== previous.settings) markInput(settingsKey(state.settings));
});
