/**
 * The image viewer: a canvas filling its container that paints the image and the overlays
 * (paint.ts) and turns pointer, wheel and key input into view changes and point edits
 * (use-viewer.ts). The studio owns all state; the viewer keeps only the gesture in progress
 * and the rasters it derived from the layers.
 */
import { useId, useRef, useState } from 'react';
import { useViewer, type ViewerInput } from './use-viewer';
import { StatusLine, ZoomControls } from './ViewerChrome';
import type { OverlaySettings, ViewerLayers } from './types';
import { valueUnit } from './window-level';
import './viewer.css';

export interface ViewerProps extends ViewerInput {
  /** The canvas's name, e.g. "CT viewer" (its description follows). */
  name: string;
}

/** What the canvas shows, in words, for its accessible name. */
function describe(name: string, layers: ViewerLayers, overlays: OverlaySettings, scale: number): string {
  const { image } = layers;
  if (!image) return `${name}: no image loaded`;
  const shown: string[] = [];
  const v = overlays.visible;
  if (v.coarse && layers.coarse) shown.push('coarse probability heatmap');
  if (v.points && layers.modelPoints.length) shown.push(`${layers.modelPoints.length} model points`);
  if (v.points && layers.userPoints.length) shown.push(`${layers.userPoints.length} user points`);
  if (v.mask && layers.mask) shown.push('segmentation mask');
  if (v.truth && layers.truth) shown.push(layers.mask ? 'comparison with ground truth' : 'ground truth outline');
  const overlaysText = shown.length ? `; showing ${shown.join(', ')}` : '';
  return `${name}: ${image.width} × ${image.height} image at ${Math.round(scale * 100)}% zoom${overlaysText}`;
}

export function Viewer(props: ViewerProps) {
  const { layers, overlays, interactive } = props;
  const stageRef = useRef<HTMLDivElement>(null);
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const hintId = useId();
  const viewer = useViewer(props, stageRef, canvas);
  const hasImage = layers.image !== null;
  const cursorClass = viewer.spaceHeld ? 'is-panning' : interactive ? 'is-interactive' : '';
  return (
    <div className="viewer">
      <div className="viewer-stage" ref={stageRef}>
        <canvas
          ref={setCanvas}
          className={`viewer-canvas ${cursorClass}`}
          role="img"
          aria-label={describe(props.name, layers, overlays, viewer.transform.scale)}
          aria-describedby={hintId}
          tabIndex={0}
          onContextMenu={(e) => e.preventDefault()}
          {...viewer.keys}
          {...viewer.pointer.handlers}
        />
        {!hasImage && <p className="viewer-empty">No image loaded</p>}
        <ZoomControls scale={viewer.transform.scale} disabled={!hasImage} onZoom={(f) => viewer.zoom(f)} onFit={viewer.fit} />
      </div>
      <StatusLine
        cursor={viewer.pointer.cursor}
        windowLevel={viewer.windowLevel}
        unit={valueUnit(layers.image)}
        interactive={interactive}
        hasImage={hasImage}
        hintId={hintId}
      />
    </div>
  );
}
