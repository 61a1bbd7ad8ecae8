/**
 * The prompt lab: which prompts the decoder sees, Top-k and its threshold, the user's points with
 * undo/redo, and how the current settings score. Every change re-runs only the decoder.
 */
import { useMemo } from 'react';
import type { DecodeResult, MaskMetrics } from '../../worker/api';
import type { Displayed } from '../hooks/decode';
import { useActiveBundle } from '../hooks/bundle';
import { useCase } from '../state/case';
import { usePrompts, type Slider, type Toggle } from '../state/prompts';

const TOGGLES: { name: Toggle; label: string; hint: string }[] = [
  { name: 'useCoarse', label: 'Coarse mask', hint: 'the coarse map from the report-guided encoder' },
  { name: 'usePoints', label: 'Points', hint: 'Top-k points of the coarse map above the threshold' },
  { name: 'useText', label: 'Text prompt', hint: 'the report embedding' },
];

function SliderRow({ name, label, min, max, step }: { name: Slider; label: string; min: number; max: number; step: number }) {
  // Until a bundle gives its defaults the value is a placeholder: show none rather than a wrong one.
  const known = usePrompts((s) => s.defaults !== null);
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
      <span className="value">{!known ? '–' : name === 'theta' ? value.toFixed(2) : value}</span>
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

/** Lesion pixels of a 0/1 mask (a plain loop: this runs on every re-run). */
function maskArea(mask: Uint8Array): number {
  let area = 0;
  for (let i = 0; i < mask.length; i++) area += mask[i]!;
  return area;
}

function Scores({ metrics, result, area }: { metrics: MaskMetrics | null; result: DecodeResult; area: number }) {
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

/** Largest coarse probability of the analysis on screen (for "no cell above the threshold"). */
function usePeakProbability(): number | null {
  const probabilities = useCase((s) => s.analysis?.coarse.probabilities);
  return useMemo(() => (probabilities === undefined ? null : probabilities.reduce((m, p) => Math.max(m, p), 0)), [probabilities]);
}

/** Says when the model's points or the mask came out empty, and why, instead of showing nothing. */
function ResultNotes({ result, area }: { result: DecodeResult; area: number }) {
  const peak = usePeakProbability();
  const { k, theta, usePoints } = result.settings;
  const notes: string[] = [];
  if (usePoints && k > 0 && result.points.length < k) {
    const above = result.points.length === 0 ? 'No coarse cell is' : `Only ${result.points.length} coarse cell(s) are`;
    const max = peak === null ? '' : ` (the highest is ${peak.toFixed(2)})`;
    notes.push(`${above} above the threshold ${theta.toFixed(2)}${max}: ${result.points.length} of ${k} points.`);
  }
  if (area === 0) {
    notes.push('The mask is empty: the decoder found no lesion with these prompts (lower the threshold, add a point, or check the report).');
  }
  if (notes.length === 0) return null;
  return (
    <ul className="result-notes">
      {notes.map((note) => (
        <li key={note} className="hint" role="note">
          {note}
        </li>
      ))}
    </ul>
  );
}

export function PromptLab({ displayed, metrics }: { displayed: Displayed; metrics: MaskMetrics | null }) {
  const settings = usePrompts((s) => s.settings);
  const toggle = usePrompts((s) => s.toggle);
  const manifest = useActiveBundle()?.manifest;
  const result = displayed.result;
  const area = useMemo(() => (result === null ? 0 : maskArea(result.mask)), [result]);
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
      {result !== null && <ResultNotes result={result} area={area} />}
      {result !== null && <Scores metrics={metrics} result={result} area={area} />}
    </section>
  );
}
