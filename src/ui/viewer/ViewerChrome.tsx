/** The viewer's controls and status line: zoom buttons, cursor readout, window/level, input hint. */
import type { Cursor } from './use-pointer';
import type { WindowLevel } from './types';

export interface ZoomControlsProps {
  scale: number;
  disabled: boolean;
  onZoom(factor: number): void;
  onFit(): void;
}

export function ZoomControls({ scale, disabled, onZoom, onFit }: ZoomControlsProps) {
  return (
    <div className="viewer-zoom" role="group" aria-label="Zoom">
      <button type="button" aria-label="Zoom out" title="Zoom out (−)" disabled={disabled} onClick={() => onZoom(1 / 1.25)}>
        −
      </button>
      {/* A plain span: an <output> would be a second role="status" region beside the studio's. */}
      <span className="viewer-zoom-level" title="Zoom level">
        {Math.round(scale * 100)}%
      </span>
      <button type="button" aria-label="Zoom in" title="Zoom in (+)" disabled={disabled} onClick={() => onZoom(1.25)}>
        +
      </button>
      <button type="button" aria-label="Fit to view" title="Fit to view (0)" disabled={disabled} onClick={onFit}>
        Fit
      </button>
    </div>
  );
}

function formatSample(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export interface StatusLineProps {
  cursor: Cursor | null;
  windowLevel: WindowLevel;
  /** The values' unit ('HU'), or ''. */
  unit: string;
  interactive: boolean;
  hasImage: boolean;
  hintId: string;
}

export function StatusLine({ cursor, windowLevel, unit, interactive, hasImage, hintId }: StatusLineProps) {
  const units = unit === '' ? '' : ` ${unit}`;
  const hint = interactive
    ? 'Click: add + · Shift/right-click: add − · Drag: pan or move a point · Ctrl+drag: window/level · Wheel, +/−: zoom · 0: fit'
    : 'Drag: pan · Ctrl+drag: window/level · Wheel, +/−: zoom · 0: fit';
  return (
    <div className="viewer-status">
      <span className="viewer-readout" aria-live="off">
        {hasImage && cursor ? `x ${cursor.x}  y ${cursor.y}  value ${formatSample(cursor.value)}${units}` : 'x –  y –'}
      </span>
      <span className="viewer-readout" aria-label="Window and level">
        {hasImage ? `W ${formatSample(windowLevel.width)}  L ${formatSample(windowLevel.level)}${units}` : ''}
      </span>
      <span className="viewer-hint" id={hintId} title={hint}>
        {hint}
      </span>
    </div>
  );
}
