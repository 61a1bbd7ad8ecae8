/** The viewer wired to the stores, with the overlay switches and the coarse map's colour scale above it. */
import { useMemo } from 'react';
import { useAnalyzing } from '../hooks/case-actions';
import { useCase } from '../state/case';
import { usePrompts } from '../state/prompts';
import { useView } from '../state/view';
import { CoarseScale } from '../viewer/CoarseScale';
import { CONFUSION_COLORS } from '../viewer/confusion';
import { Viewer } from '../viewer/Viewer';
import type { DisplayImage, OverlayName, ViewerCallbacks, ViewerLayers } from '../viewer/types';
import { autoWindowLevel } from '../viewer/window-level';
import { matchingPreset, windowPresets } from '../viewer/window-presets';
import { useActiveBundle } from '../hooks/bundle';
import { viewerName } from '../modality';

const OVERLAYS: { name: OverlayName; label: string; short: string }[] = [
  { name: 'coarse', label: 'Show coarse mask', short: 'Coarse' },
  { name: 'points', label: 'Show points', short: 'Points' },
  { name: 'mask', label: 'Show final mask', short: 'Mask' },
  { name: 'truth', label: 'Show ground truth', short: 'Truth' },
];

const rgb = (c: readonly number[]) => `rgb(${c.join(' ')})`;

/** What the mask-vs-truth colours mean (paper Fig. 3), while both are shown. */
function ConfusionLegend() {
  const items = [
    { colour: CONFUSION_COLORS.tp, text: 'agrees with truth' },
    { colour: CONFUSION_COLORS.fn, text: 'missed' },
    { colour: CONFUSION_COLORS.fp, text: 'extra' },
  ];
  return (
    <ul className="legend" aria-label="Mask against ground truth">
      {items.map(({ colour, text }) => (
        <li key={text}>
          <span className="swatch" style={{ background: rgb(colour) }} />
          {text}
        </li>
      ))}
    </ul>
  );
}

function OverlayBar() {
  const overlays = useView((s) => s.overlays);
  const { setVisible, setOpacity } = useView.getState();
  return (
    <div className="overlay-bar" role="group" aria-label="Overlays">
      <span className="overlay-title">Show</span>
      {OVERLAYS.map(({ name, label, short }) => (
        <div key={name} className="overlay-toggle">
          <label>
            <input
              type="checkbox"
              aria-label={label}
              checked={overlays.visible[name]}
              onChange={(e) => setVisible(name, e.target.checked)}
            />
            {short}
          </label>
          <input
            type="range"
            aria-label={`${short} opacity`}
            min={0}
            max={1}
            step={0.05}
            value={overlays.opacity[name]}
            disabled={!overlays.visible[name]}
            onChange={(e) => setOpacity(name, Number(e.target.value))}
          />
        </div>
      ))}
    </div>
  );
}

/** Window presets of a DICOM image (the file's, CT windows in HU, the model's input, full range). */
function WindowPresetPicker({ image }: { image: DisplayImage }) {
  const dicom = useCase((s) => s.image?.dicom ?? null);
  const expected = useActiveBundle()?.manifest.expected_input ?? null;
  const current = useView((s) => s.windowLevel) ?? autoWindowLevel(image);
  if (dicom === null) return null;
  const presets = windowPresets({ image, windows: dicom.windows, voiLut: dicom.voiLut, expected });
  const shown = matchingPreset(presets, current);
  return (
    <label className="window-presets">
      Window{' '}
      <select
        aria-label="Window preset"
        value={shown?.id ?? 'custom'}
        onChange={(e) => {
          const preset = presets.find((p) => p.id === e.target.value);
          if (preset) useView.getState().setWindowLevel(preset.window);
        }}
      >
        {shown === undefined && <option value="custom">Custom (W {Math.round(current.width)} / L {Math.round(current.level)})</option>}
        {presets.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ViewerPane({ layers, stale }: { layers: ViewerLayers; stale: string | null }) {
  const modality = useActiveBundle()?.manifest.modality;
  const overlays = useView((s) => s.overlays);
  const transform = useView((s) => s.transform);
  const windowLevel = useView((s) => s.windowLevel);
  const hasAnalysis = useCase((s) => s.analysis !== null);
  const comparing = overlays.visible.mask && overlays.visible.truth && layers.mask !== null && layers.truth !== null;
  const analyzing = useAnalyzing();
  const callbacks = useMemo<ViewerCallbacks>(() => {
    const prompts = usePrompts.getState();
    const view = useView.getState();
    return {
      onAddPoint: prompts.addPoint,
      onMovePoint: prompts.movePoint,
      onTransformChange: view.setTransform,
      onWindowLevelChange: view.setWindowLevel,
    };
  }, []);
  return (
    <div className="viewer-pane">
      <div className="viewer-toolbar">
        <OverlayBar />
        {/* A row of fixed height: legends coming and going never move the image. */}
        <div className="viewer-legends">
          {layers.image !== null && <WindowPresetPicker image={layers.image} />}
          {comparing && <ConfusionLegend />}
          {overlays.visible.coarse && hasAnalysis && <CoarseScale opacity={overlays.opacity.coarse} />}
        </div>
      </div>
      {stale !== null && (
        <p className="stale-banner" role="note">
          {stale}: the mask and regions shown belong to the report as it was.
        </p>
      )}
      <Viewer
        name={viewerName(modality)}
        layers={layers}
        overlays={overlays}
        transform={transform}
        windowLevel={windowLevel}
        callbacks={callbacks}
        interactive={hasAnalysis && !analyzing}
      />
    </div>
  );
}
