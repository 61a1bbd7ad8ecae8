/** Which bundle the studio runs (null: the first shipped one) and how far loading it has got. */
import { create } from 'zustand';
import type { FallbackNotice, LoadProgress } from '../../worker/api';

export type BundleChoice =
  | { kind: 'url'; base: string; label: string }
  | { kind: 'files'; files: Record<string, File>; label: string };

export interface BundleState {
  choice: BundleChoice | null;
  /** Counts choices, so choosing the same folder again reloads it. */
  serial: number;
  progress: LoadProgress | null;
  /** Set when loading moved from WebGPU to WASM. */
  fallback: FallbackNotice | null;
  choose(choice: BundleChoice): void;
  setProgress(progress: LoadProgress | null): void;
}

export const useBundleState = create<BundleState>()((set) => ({
  choice: null,
  serial: 0,
  progress: null,
  fallback: null,
  choose: (choice) => set((s) => ({ choice, serial: s.serial + 1, progress: null, fallback: null })),
  setProgress: (progress) =>
    set((s) => ({ progress, fallback: progress?.phase === 'fallback' ? progress.notice : s.fallback })),
}));
