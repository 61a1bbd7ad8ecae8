/** Which user point a pointer is on, judged in screen px so the target size does not depend on zoom. */
import { imageToScreen } from './view-transform';
import type { ScreenPoint, ViewSize, ViewTransform } from './types';

/** Hit radius around a point marker, CSS px (a little larger than the marker for easy grabbing). */
export const HIT_RADIUS = 10;

/** Index of the point nearest to `pointer` within `radius` screen px, or -1. */
export function hitTestPoint(
  points: readonly { x: number; y: number }[],
  pointer: ScreenPoint,
  transform: ViewTransform,
  view: ViewSize,
  radius = HIT_RADIUS,
): number {
  let best = -1;
  let bestDist = radius * radius;
  points.forEach((p, i) => {
    const s = imageToScreen(p, transform, view);
    const d = (s.x - pointer.x) ** 2 + (s.y - pointer.y) ** 2;
    // `<=` with later indices winning: the point drawn last (on top) is the one grabbed.
    if (d <= bestDist) {
      best = i;
      bestDist = d;
    }
  });
  return best;
}
