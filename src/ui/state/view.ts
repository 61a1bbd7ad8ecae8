/** How the case is shown: zoom/pan, window/level and the overlays (null transform/level = fit/auto). */
import { create } from 'zustand';
import type { OverlayName, OverlaySettings, ViewTransform, WindowLevel } from '../viewer/types';

export interface ViewState {
  transform: ViewTransform | null;
  windowLevel: WindowLevel | null;
  overlays: OverlaySettings;
  setTransform(transform: ViewTransform | null): void;
  setWindowLevel(windowLevel: WindowLevel | null): void;
  setVisible(name: OverlayName, visible: boolean): void;
  setOpacity(name: OverlayName, opacity: number): void;
  /** Fit and auto window/level, for a new image. */
  resetView(): void;
}

const DEFAULT_OVERLAYS: OverlaySettings = {
  visible: { coarse: false, points: true, mask: true, truth: true },
  opacity: { coarse: 0.55, points: 1, mask: 0.45, truth: 0.9 },
};

export const useView = create<ViewState>()((set) => ({
  transform: null,
  windowLevel: null,
  overlays: DEFAULT_OVERLAYS,
  setTransform: (transform) => set({ transform }),
  setWindowLevel: (windowLevel) => set({ windowLevel }),
  setVisible: (name, visible) =>
    set((s) => ({ overlays: { ...s.overlays, visible: { ...s.overlays.visible, [name]: visible } } })),
  setOpacity: (name, opacity) =>
    set((s) => ({ overlays: { ...s.overlays, opacity: { ...s.overlays.opacity, [name]: opacity } } })),
  resetView: () => set({ transform: null, windowLevel: null }),
}));
