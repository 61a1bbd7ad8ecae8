/**
 * The transform and window/level the viewer shows. The studio may control them (props), echo
 * what the viewer reports, or leave them null: the user's last change wins until the studio sets
 * a different value; 'auto' (fit / full range) wins after the Fit button or a new image, and
 * then follows the canvas size and the image. Every shown value is reported once, and a prop
 * equal to the last report is taken as an echo, so a studio storing reports cannot loop.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DisplayImage, ViewSize, ViewTransform, WindowLevel } from './types';
import { fitTransform, sameTransform } from './view-transform';
import { autoWindowLevel } from './window-level';

export interface ViewState<T> {
  value: T;
  /** A change the user made ('auto': back to fit / full range): shown at once and reported. */
  set(value: T | 'auto'): void;
}

type Same<T> = (a: T | null, b: T | null) => boolean;

function sameWindowLevel(a: WindowLevel | null, b: WindowLevel | null): boolean {
  if (a === null || b === null) return a === b;
  return a.level === b.level && a.width === b.width;
}

/** One viewer-chosen value: see the module comment. `ready` false holds reports back. */
function useChosenValue<T>(
  prop: T | null,
  imageKey: unknown,
  auto: T,
  same: Same<T>,
  ready: boolean,
  report: (value: T) => void,
): ViewState<T> {
  const [local, setLocal] = useState<T | 'auto' | null>(null);
  const [seen, setSeen] = useState({ prop, imageKey });
  const reported = useRef<T | null>(null);
  const propChanged = !same(seen.prop, prop);
  if (propChanged || seen.imageKey !== imageKey) {
    setSeen({ prop, imageKey });
    // Reading the ref here is deliberate: an echo of our own report must not take control.
    const echo = propChanged && same(prop, reported.current);
    if (propChanged && !echo) setLocal(null);
    else if (seen.imageKey !== imageKey) setLocal('auto');
  }
  const value = local === 'auto' ? auto : (local ?? prop ?? auto);
  const reportRef = useRef(report);
  useLayoutEffect(() => {
    reportRef.current = report;
  });
  useEffect(() => {
    if (!ready || same(reported.current, value)) return;
    reported.current = value;
    reportRef.current(value);
  }, [value, ready, same]);
  return { value, set: setLocal };
}

export function useViewTransform(
  prop: ViewTransform | null,
  image: DisplayImage | null,
  view: ViewSize,
  report: (t: ViewTransform) => void,
): ViewState<ViewTransform> {
  const imgW = image?.width ?? 0;
  const imgH = image?.height ?? 0;
  const fit = useMemo(() => fitTransform({ width: imgW, height: imgH }, view), [imgW, imgH, view]);
  // Fit before the canvas is measured is a placeholder, not a choice worth reporting.
  const ready = view.width > 0 && view.height > 0 && imgW > 0;
  return useChosenValue(prop, image, fit, sameTransform, ready, report);
}

export function useWindowLevel(
  prop: WindowLevel | null,
  image: DisplayImage | null,
  report: (wl: WindowLevel) => void,
): ViewState<WindowLevel> {
  const auto = useMemo(() => (image ? autoWindowLevel(image) : { level: 127.5, width: 255 }), [image]);
  return useChosenValue(prop, image, auto, sameWindowLevel, image !== null, report);
}
