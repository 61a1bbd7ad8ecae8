/**
 * Which bundle the worker runs (`active`, swapped only when a new one loaded completely), which
 * one is loading and how far it got, and why the last attempt failed. A failed load leaves
 * `active` untouched, so the working bundle and its results stay.
 */
import { create } from 'zustand';
import type { BundleSummary, FallbackNotice, LoadProgress } from '../../worker/api';

export type BundleChoice =
  | { kind: 'url'; base: string; label: string }
  | { kind: 'files'; files: Record<string, File>; label: string }
  /** A bundle kept offline (a folder loaded before, reopened without picking it again). */
  | { kind: 'cache'; key: string; label: string };

export interface ActiveBundle {
  summary: BundleSummary;
  choice: BundleChoice;
}

export interface BundleState {
  active: ActiveBundle | null;
  /** The bundle being loaded beside the active one (null: none). */
  loading: BundleChoice | null;
  progress: LoadProgress | null;
  /** Why the last load failed (the active bundle, if any, is still in use). */
  failure: { label: string; message: string } | null;
  /** Set when loading the active bundle moved from WebGPU to WASM. */
  fallback: FallbackNotice | null;
  /** The same for the bundle still loading (it becomes `fallback` if that load succeeds). */
  loadingFallback: FallbackNotice | null;
  startLoading(choice: BundleChoice): void;
  setProgress(progress: LoadProgress): void;
  loaded(active: ActiveBundle): void;
  failed(label: string, message: string): void;
  /** Counts changes of the offline storage (a bundle kept, persistence granted), so its figures refresh. */
  storageVersion: number;
  storageChanged(): void;
}

export const useBundleState = create<BundleState>()((set) => ({
  active: null,
  loading: null,
  progress: null,
  failure: null,
  fallback: null,
  loadingFallback: null,
  startLoading: (loading) => set({ loading, progress: null, failure: null, loadingFallback: null }),
  setProgress: (progress) =>
    set((s) => ({ progress, loadingFallback: progress.phase === 'fallback' ? progress.notice : s.loadingFallback })),
  loaded: (active) =>
    set((s) => ({ active, loading: null, progress: null, failure: null, fallback: s.loadingFallback, loadingFallback: null })),
  failed: (label, message) =>
    set({ loading: null, progress: null, failure: { label, message }, loadingFallback: null }),
  storageVersion: 0,
  storageChanged: () => set((s) => ({ storageVersion: s.storageVersion + 1 })),
}));
