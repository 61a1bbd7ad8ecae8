/**
 * The prompt lab: which prompts the decoder sees, Top-k and its threshold, the user's points with
 * undo/redo, and how the current settings score. Every change re-runs only the decoder.
 */
import { useMemo } from 'react';
import type { MaskMetrics } from '../../worker/api';
import type { Displayed } from '../hooks/decode';
import { useBundle } from '../hooks/bundle';
import { usePrompts, type Slider, type Toggle } from '../state/prompts';

const TOGGLES: { name: Toggle; label: string; hint: string }[] = [
  { name: 'useCoarse', label: 'Coarse mask', hint: 'the coarse map from the report-guided encoder' },
  { name: 'usePoints', label: 'Points', hint: 'Top-k points of the coarse map above the threshold' },
  { name: 'useText', label: 'Text prompt', hint: 'the report embedding' },
];

function SliderRow({ name, label, min, max, step }: { name: Slider; label: string; min: number; max: number; step: number }) {
  const value = usePrompts((s) => s.settings[name]);
  const slide = usePrompts((s) => s.slide);
  return (
    <label className="slider">
      <span>{label}</span>
      <input
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(event) => slide(name, Number(event.target.value))}
      />
      <span className="value">{name === 'theta' ? value.toFixed(2) : value}</span>
    </label>
  );
}

function History() {
  const canUndo = usePrompts((s) => s.past.length > 0);
  const canRedo = usePrompts((s) => s.future.length > 0);
  const { undo, redo, reset } = usePrompts.getState();
  return (
    <div className="row buttons">
      <button type="button" onClick={undo} disabled={!canUndo} title="Ctrl+Z">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Ctrl+Shift+Z">
        Redo
      </button>
      <button type="button" onClick={reset} title="Bundle defaults, no user points">
        Reset to model points
      </button>
    </div>
  );
}

function UserPoints() {
  const points = usePrompts((s) => s.settings.userPoints);
  const removePoint = usePrompts((s) => s.removePoint);
  if (points.length === 0) {
    return <p className="hint">Click the image: positive point. Shift-click or right-click: negative. Drag to move.</p>;
  }
  return (
    <ol className="points">
      {points.map((p, i) => (
        <li key={i}>
          <span className={p.label === 1 ? 'positive' : 'negative'}>{p.label === 1 ? '+' : '−'}</span> ({p.point.x.toFixed(0)},{' '}
          {p.point.y.toFixed(0)})
          <button type="button" className="link" aria-label={`Remove point ${i + 1}`} onClick={() => removePoint(i)}>
            ×
          </button>
        </li>
      ))}
    </ol>
  );
}

function Scores({ metrics, displayed }: { metrics: MaskMetrics | null; displayed: Displayed }) {
  const result = displayed.result;
  const area = useMemo(() => result?.mask.reduce((sum, v) => sum + (v !== 0 ? 1 : 0), 0) ?? 0, [result]);
  if (result === null) return null;
  return (
    <table className="compact scores">
      <tbody>
        {metrics !== null && (
          <>
            <tr>
              <th scope="row">Dice vs ground truth</th>
              <td>{metrics.dice.toFixed(3)}</td>
            </tr>
            <tr>
              <th scope="row">IoU vs ground truth</th>
              <td>{metrics.iou.toFixed(3)}</td>
            </tr>
          </>
        )}
        <tr>
          <th scope="row">Decoder IoU estimate</th>
          <td>{result.iou.toFixed(3)}</td>
        </tr>
        <tr>
          <th scope="row">Mask area</th>
          <td data-testid="mask-area">
            {area.toLocaleString('en')} px ({((100 * area) / result.mask.length).toFixed(1)}%)
          </td>
        </tr>
        <tr>
          <th scope="row">Decoder time</th>
          <td>{(result.timings.decoder ?? 0).toFixed(1)} ms</td>
        </tr>
      </tbody>
    </table>
  );
}

export function PromptLab({ displayed, metrics }: { displayed: Displayed; metrics: MaskMetrics | null }) {
  const settings = usePrompts((s) => s.settings);
  const toggle = usePrompts((s) => s.toggle);
  const manifest = useBundle().query.data?.manifest;
  // k's range comes from the bundle; until one is open the controls are disabled.
  const kMax = manifest?.prompts.k_max ?? 0;
  return (
    <section className="panel" aria-labelledby="prompts-heading">
      <h2 id="prompts-heading">Prompt lab</h2>
      <fieldset className="lab-controls" disabled={manifest === undefined}>
      <fieldset className="toggles">
        <legend>Decoder prompts</legend>
        {TOGGLES.map(({ name, label, hint }) => (
          <label key={name} title={hint}>
            <input type="checkbox" checked={settings[name]} onChange={(event) => toggle(name, event.target.checked)} />
            {label}
          </label>
        ))}
      </fieldset>
      <SliderRow name="k" label="Top-k" min={0} max={kMax} step={1} />
      <SliderRow name="theta" label="Threshold" min={0} max={1} step={0.01} />
      <History />
      </fieldset>
      <UserPoints />
      {displayed.error !== null && (
        <p role="alert" className="error">
          Decoding failed: {displayed.error.message}
        </p>
      )}
      <Scores metrics={metrics} displayed={displayed} />
    </section>
  );
}
