/**
 * The Viewer's state and input wiring: which transform and window/level are shown, the rasters,
 * pointer gestures, wheel and keyboard zoom, and the repaint. Viewer.tsx only lays out the DOM.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useCanvasSize } from './use-canvas-size';
import { useCanvasPaint, usePreparedLayers } from './use-layer-rasters';
import { useViewerPointer } from './use-pointer';
import { useViewTransform, useWindowLevel } from './use-view-state';
import { panBy, zoomAbout } from './view-transform';
import type { OverlaySettings, ViewerCallbacks, ViewerLayers, ViewTransform, WindowLevel } from './types';

export interface ViewerInput {
  layers: ViewerLayers;
  overlays: OverlaySettings;
  transform: ViewTransform | null;
  windowLevel: WindowLevel | null;
  callbacks: ViewerCallbacks;
  interactive: boolean;
}

/** Wheel delta (px) that zooms by a factor e: about 1.16x per ordinary mouse notch. */
const WHEEL_PX_PER_E = 650;
const KEY_ZOOM = 1.25;
const KEY_PAN_PX = 40;

type KeyCommand = { zoom: number } | { pan: [number, number] } | 'fit';

/** What a key does to the view, or null when the viewer does not use it. */
function keyCommand(key: string): KeyCommand | null {
  if (key === '+' || key === '=') return { zoom: KEY_ZOOM };
  if (key === '-' || key === '_') return { zoom: 1 / KEY_ZOOM };
  if (key === '0') return 'fit';
  const pans: Record<string, [number, number]> = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const pan = pans[key];
  return pan ? { pan: [pan[0] * KEY_PAN_PX, pan[1] * KEY_PAN_PX] } : null;
}

/** Wheel zoom about the cursor; a native listener because React's wheel handler is passive. */
function useWheelZoom(canvas: HTMLCanvasElement | null, zoom: (factor: number, x: number, y: number) => void): void {
  const zoomRef = useRef(zoom);
  useLayoutEffect(() => {
    zoomRef.current = zoom;
  });
  useEffect(() => {
    if (!canvas) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight : 1;
      const rect = canvas.getBoundingClientRect();
      zoomRef.current(Math.exp((-e.deltaY * unit) / WHEEL_PX_PER_E), e.clientX - rect.left, e.clientY - rect.top);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [canvas]);
}

/** Callbacks read through a ref, so a studio passing a new object each render costs nothing. */
function useReporters(callbacks: ViewerCallbacks) {
  const ref = useRef(callbacks);
  useLayoutEffect(() => {
    ref.current = callbacks;
  });
  const transform = useCallback((t: ViewTransform) => ref.current.onTransformChange(t), []);
  const windowLevel = useCallback((wl: WindowLevel) => ref.current.onWindowLevelChange(wl), []);
  return { transform, windowLevel };
}

export function useViewer(input: ViewerInput, stageRef: RefObject<HTMLDivElement | null>, canvas: HTMLCanvasElement | null) {
  const { layers, overlays, interactive } = input;
  const [spaceHeld, setSpaceHeld] = useState(false);
  const size = useCanvasSize(stageRef);
  const report = useReporters(input.callbacks);
  const tf = useViewTransform(input.transform, layers.image, size, report.transform);
  const wl = useWindowLevel(input.windowLevel, layers.image, report.windowLevel);
  const prepared = usePreparedLayers(layers, wl.value);
  const hasImage = layers.image !== null;
  // Several wheel events can arrive before React renders again: each builds on the last one.
  const latest = useRef(tf.value);
  latest.current = tf.value;
  const setTransform = (t: ViewTransform | 'auto'): void => {
    if (t !== 'auto') latest.current = t;
    tf.set(t);
  };
  const zoom = (factor: number, x = size.width / 2, y = size.height / 2): void => {
    if (hasImage) setTransform(zoomAbout(latest.current, { x, y }, factor, size));
  };
  useWheelZoom(canvas, zoom);
  const pointer = useViewerPointer({
    ...{ image: layers.image, view: size, transform: tf.value, windowLevel: wl.value, userPoints: layers.userPoints },
    ...{ editable: interactive && overlays.visible.points, spaceHeld, setTransform, setWindowLevel: wl.set },
    callbacks: input.callbacks,
  });
  const points = { model: layers.modelPoints, user: layers.userPoints, dragging: pointer.dragging };
  useCanvasPaint(canvas, size, tf.value, prepared, overlays, points);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === ' ') setSpaceHeld(true);
    const command = keyCommand(e.key);
    if (command === 'fit') setTransform('auto');
    else if (command && 'zoom' in command) zoom(command.zoom);
    else if (command && hasImage) setTransform(panBy(latest.current, ...command.pan));
    if (command || e.key === ' ') e.preventDefault();
  };
  const onKeyUp = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === ' ') setSpaceHeld(false);
  };
  const keys = { onKeyDown, onKeyUp, onBlur: () => setSpaceHeld(false) };
  return { transform: tf.value, windowLevel: wl.value, pointer, keys, zoom, fit: () => setTransform('auto'), spaceHeld };
}
