/** The canvas's CSS size and device pixel ratio, followed with a ResizeObserver. */
import { useEffect, useState, type RefObject } from 'react';
import type { ViewSize } from './types';

export interface CanvasSize extends ViewSize {
  dpr: number;
}

export function useCanvasSize(ref: RefObject<HTMLElement | null>): CanvasSize {
  const [size, setSize] = useState<CanvasSize>({ width: 0, height: 0, dpr: 1 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = (): void => {
      const rect = el.getBoundingClientRect();
      const next = { width: rect.width, height: rect.height, dpr: window.devicePixelRatio || 1 };
      setSize((prev) =>
        prev.width === next.width && prev.height === next.height && prev.dpr === next.dpr ? prev : next,
      );
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    // Zooming the browser page changes the ratio without resizing the element.
    const media = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    media.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, [ref]);
  return size;
}
