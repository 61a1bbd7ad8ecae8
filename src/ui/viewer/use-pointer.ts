/**
 * Pointer input on the viewer's canvas, turned into view changes and image-space edits.
 * Scheme (also shown in the viewer's hint line): click adds a positive point, shift-click or
 * right-click a negative one; dragging a user point moves it; dragging anywhere else pans (also
 * middle-drag, or space/alt + drag from anywhere); ctrl/cmd + drag sets window/level.
 */
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ImagePoint } from '../../pipeline/index';
import { HIT_RADIUS, hitTestPoint } from './hit-test';
import type { DisplayImage, ScreenPoint, ViewSize, ViewTransform, ViewerCallbacks, WindowLevel } from './types';
import { insideImage, panBy, screenToImage } from './view-transform';
import { dragWindowLevel, sampleValue, windowSpan } from './window-level';

/** A press that moves less than this (CSS px) is a click, not a drag. */
const CLICK_SLOP = 4;

type Gesture =
  | { kind: 'press'; start: ScreenPoint; transform: ViewTransform; negative: boolean }
  | { kind: 'pan'; start: ScreenPoint; transform: ViewTransform }
  | { kind: 'window'; start: ScreenPoint; windowLevel: WindowLevel; span: number }
  | { kind: 'point'; index: number; start: ScreenPoint };

export interface Dragging {
  index: number;
  x: number;
  y: number;
}

export interface Cursor {
  x: number;
  y: number;
  value: number;
}

export interface PointerInput {
  image: DisplayImage | null;
  view: ViewSize;
  transform: ViewTransform;
  windowLevel: WindowLevel;
  userPoints: readonly { point: { x: number; y: number } }[];
  /** Points can be added and moved (and are visible, so they can be grabbed). */
  editable: boolean;
  spaceHeld: boolean;
  setTransform(t: ViewTransform): void;
  setWindowLevel(wl: WindowLevel): void;
  callbacks: ViewerCallbacks;
}

function localPoint(e: ReactPointerEvent<HTMLElement>): ScreenPoint {
  const rect = e.currentTarget.getBoundingClientRect();
  return { x: e.clientX - rect.left, y: e.clientY - rect.top };
}

function moved(a: ScreenPoint, b: ScreenPoint): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) > CLICK_SLOP;
}

/** Image point under `s`, kept on the image (a dragged point cannot leave it). */
function clampedImagePoint(s: ScreenPoint, input: PointerInput): ImagePoint {
  const p = screenToImage(s, input.transform, input.view);
  const w = input.image?.width ?? 0;
  const h = input.image?.height ?? 0;
  return { x: Math.min(w, Math.max(0, p.x)), y: Math.min(h, Math.max(0, p.y)) } as ImagePoint;
}

function startGesture(e: ReactPointerEvent<HTMLElement>, input: PointerInput): Gesture | null {
  const start = localPoint(e);
  const left = e.button === 0;
  if (e.button === 1 || (left && (input.spaceHeld || e.altKey))) return { kind: 'pan', start, transform: input.transform };
  if (left && (e.ctrlKey || e.metaKey) && input.image) {
    return { kind: 'window', start, windowLevel: input.windowLevel, span: windowSpan(input.image) };
  }
  if (!left && e.button !== 2) return null;
  if (input.editable) {
    const points = input.userPoints.map((p) => p.point);
    const index = hitTestPoint(points, start, input.transform, input.view, HIT_RADIUS);
    if (index >= 0) return { kind: 'point', index, start };
  }
  return { kind: 'press', start, transform: input.transform, negative: e.button === 2 || e.shiftKey };
}

/** Sample under the pointer, or null off the image. */
function cursorAt(s: ScreenPoint, input: PointerInput): Cursor | null {
  const { image } = input;
  if (!image) return null;
  const p = screenToImage(s, input.transform, input.view);
  if (!insideImage(p, image)) return null;
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  return { x, y, value: sampleValue(image, image.data[y * image.width + x] ?? 0) };
}

export function useViewerPointer(input: PointerInput) {
  const gesture = useRef<Gesture | null>(null);
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);

  const onPointerDown = (e: ReactPointerEvent<HTMLElement>): void => {
    e.currentTarget.focus();
    gesture.current = startGesture(e, input);
    if (!gesture.current) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLElement>): void => {
    const s = localPoint(e);
    setCursor(cursorAt(s, input));
    const g = gesture.current;
    if (!g) return;
    if (g.kind === 'press' && moved(s, g.start)) gesture.current = { kind: 'pan', start: g.start, transform: g.transform };
    const now = gesture.current;
    if (now?.kind === 'pan') input.setTransform(panBy(now.transform, s.x - now.start.x, s.y - now.start.y));
    if (now?.kind === 'window') input.setWindowLevel(dragWindowLevel(now.windowLevel, s.x - now.start.x, s.y - now.start.y, now.span));
    if (now?.kind === 'point') setDragging({ index: now.index, ...clampedImagePoint(s, input) });
  };

  const onPointerUp = (e: ReactPointerEvent<HTMLElement>): void => {
    const g = gesture.current;
    gesture.current = null;
    if (!g) return;
    const s = localPoint(e);
    if (g.kind === 'point') {
      setDragging(null);
      if (moved(s, g.start)) input.callbacks.onMovePoint(g.index, clampedImagePoint(s, input));
    } else if (g.kind === 'press' && input.editable && input.image) {
      const p = screenToImage(s, input.transform, input.view);
      if (insideImage(p, input.image)) input.callbacks.onAddPoint(p as ImagePoint, g.negative ? 0 : 1);
    }
  };

  const onPointerCancel = (): void => {
    gesture.current = null;
    setDragging(null);
  };

  const onPointerLeave = (): void => setCursor(null);

  return { dragging, cursor, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel, onPointerLeave } };
}
