/**
 * Legend for the coarse heatmap: the same colour table and alpha ramp the viewer paints with,
 * drawn over a mid-gray (like anatomy) so the fade-out at low probability shows too.
 */
import { useId } from 'react';
import { colormapCss, heatmapAlpha } from './colormap';
import './viewer.css';

export interface CoarseScaleProps {
  /** The heatmap overlay's opacity (0..1), so the legend matches what is on screen. */
  opacity?: number;
}

/** Enough stops that the gradient follows the alpha ramp's curve, not just the colour stops. */
const STOPS = Array.from({ length: 21 }, (_, i) => i / 20);

export function CoarseScale({ opacity = 1 }: CoarseScaleProps) {
  const id = `coarse-scale-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return (
    <figure className="coarse-scale" style={{ margin: 0 }}>
      <figcaption>Coarse probability</figcaption>
      <svg width={160} height={12} role="img" aria-label="Colour scale from probability 0 (clear) to 1 (bright yellow)">
        <defs>
          <linearGradient id={id} x1="0" x2="1" y1="0" y2="0">
            {STOPS.map((t) => (
              <stop key={t} offset={t} stopColor={colormapCss(t)} stopOpacity={heatmapAlpha(t) * opacity} />
            ))}
          </linearGradient>
        </defs>
        <rect width={160} height={12} rx={2} fill="#6b7480" />
        <rect width={160} height={12} rx={2} fill={`url(#${id})`} />
      </svg>
      <div className="coarse-scale-ticks" aria-hidden="true">
        <span>0</span>
        <span>0.5</span>
        <span>1</span>
      </div>
    </figure>
  );
}
