/**
 * Sweeps and plots: buttons that run each sweep on the evaluated cases (the decoder only, on the
 * cached encodings), its progress and Cancel, and the figures: the Top-k and threshold sweeps
 * (Table 4), the prompt ablation (Table 5), the location test (true report, other regions, all
 * regions; per case and mean), the Dice histogram and Dice against lesion area.
 */
import { useCallback, useMemo } from 'react';
import type { SweepKind, SweepRow } from '../../worker/api';
import { useOpenDatasetCase } from '../hooks/case-actions';
import { cancelBatch, useRunSweeps } from '../hooks/workbench';
import { useWorkbench } from '../state/workbench';
import { histogramBars, lesionScatter, locationSlopes, promptBars, sweepLines, type ChartTheme } from './charts';
import { DataTableView, Figure } from './Figure';
import { fixed, mebibytes, progressLine } from './format';
import { histogramData, lesionData, locationCaseData, sweepTableData, toRecords } from './tables';

const SWEEP_BUTTONS: [SweepKind, string][] = [
  ['k', 'Run Top-k sweep'],
  ['theta', 'Run threshold sweep'],
  ['prompts', 'Run prompt ablation'],
  ['location', 'Run location test'],
];

function SweepControls() {
  const run = useRunSweeps();
  const sweep = useWorkbench((s) => s.sweep);
  const evaluated = useWorkbench((s) => s.evaluation?.status === 'done' || s.evaluation?.status === 'cancelled');
  const busy = useWorkbench((s) => s.evaluation?.status === 'running' || s.sweep?.status === 'running');
  const progress = sweep?.progress ?? null;
  const cache = sweep?.done?.cache ?? progress?.cache;
  return (
    <div className="sweep-controls">
      <div className="row wrap">
        {SWEEP_BUTTONS.map(([kind, label]) => (
          <button key={kind} type="button" disabled={!evaluated || busy} onClick={() => run.mutate([kind])}>
            {label}
          </button>
        ))}
        <button type="button" disabled={!evaluated || busy} onClick={() => run.mutate(SWEEP_BUTTONS.map(([k]) => k))}>
          Run all sweeps
        </button>
      </div>
      {!evaluated && <p className="hint">Evaluate the dataset first: the sweeps re-run only the decoder on its cases' encodings.</p>}
      {sweep !== null && (
        <div className="batch-progress">
          <progress aria-label="Sweep" max={Math.max(progress?.total ?? 1, 1)} value={progress?.done ?? 0} />
          <span className="hint">
            {sweep.kinds.join(', ')}: {progress === null ? 'starting…' : progressLine(progress)}
            {cache !== undefined && ` · ${cache.cases} cases decoded from the cache (${mebibytes(cache.bytes)}), ${progress?.reencoded ?? 0} encoded again`}
            {sweep.status === 'cancelled' && ' · cancelled'}
          </span>
          {sweep.status === 'running' && (
            <button type="button" onClick={cancelBatch}>
              Cancel sweep
            </button>
          )}
          {sweep.error !== null && (
            <p role="alert" className="error">
              Sweep stopped: {sweep.error}
            </p>
          )}
          {(sweep.done?.failures.length ?? 0) > 0 && (
            <p className="warning">
              {sweep.done!.failures.length} case(s) could not be swept: {sweep.done!.failures.map((f) => `${f.id} (${f.error})`).join('; ')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function casesNote(rows: readonly SweepRow[]): string {
  const n = rows[0]?.n ?? 0;
  return `mean over ${n} case${n === 1 ? '' : 's'}`;
}

function SweepFigures() {
  const tables = useWorkbench((s) => s.tables);
  const settings = useWorkbench((s) => s.evaluation?.settings);
  const k = tables.k;
  const theta = tables.theta;
  const prompts = tables.prompts;
  const kChart = useCallback((t: ChartTheme) => sweepLines(k ?? [], t, 'k (Top-k points)', false), [k]);
  const thetaChart = useCallback((t: ChartTheme) => sweepLines(theta ?? [], t, 'θ (coarse probability threshold)', true), [theta]);
  const promptChart = useCallback((t: ChartTheme) => promptBars(prompts ?? [], t), [prompts]);
  return (
    <>
      {k !== undefined && (
        <Figure title="Top-k sweep" file="topk-sweep" chart={kChart} table={sweepTableData(k, 'k')} json={{ rowsRaw: k }} note={`${casesNote(k)}, all prompts, θ ${settings?.theta}`} />
      )}
      {theta !== undefined && (
        <Figure title="Threshold sweep" file="threshold-sweep" chart={thetaChart} table={sweepTableData(theta, 'theta')} json={{ rowsRaw: theta }} note={`${casesNote(theta)}, all prompts, k ${settings?.k}`} />
      )}
      {prompts !== undefined && (
        <Figure
          title="Prompt ablation"
          file="prompt-ablation"
          chart={promptChart}
          table={sweepTableData(prompts, 'prompts')}
          json={{ rowsRaw: prompts }}
          note={`${casesNote(prompts)}, each subset of coarse mask, points and text at k ${settings?.k}, θ ${settings?.theta}`}
        />
      )}
      <LocationFigure />
    </>
  );
}

function LocationFigure() {
  const rows = useWorkbench((s) => s.tables.location);
  const scores = useWorkbench((s) => s.scores);
  const texts = useWorkbench((s) => s.texts);
  const evaluation = useWorkbench((s) => s.evaluation);
  const dataset = useWorkbench((s) => s.dataset);
  const openCase = useOpenDatasetCase();
  const perCase = useMemo(() => locationCaseData(evaluation?.rows.map((r) => r.id) ?? [], scores, texts), [evaluation?.rows, scores, texts]);
  const chart = useCallback((t: ChartTheme) => locationSlopes(perCase, rows ?? [], t), [perCase, rows]);
  if (rows === undefined || evaluation === null || dataset === null) return null;
  const openWith = (id: string, report: string) => {
    const c = dataset.summary.cases.find((x) => x.id === id);
    const [image, mask] = [c?.image && dataset.files.get(c.image), c?.mask && dataset.files.get(c.mask)];
    if (!image || !mask) return;
    useWorkbench.getState().setView('studio');
    openCase({ id, image, mask, report, settings: evaluation.settings });
  };
  const drop = rows[0]?.dice && rows[1]?.dice ? rows[0].dice.mean - rows[1].dice.mean : null;
  return (
    <Figure
      title="Location test"
      file="location-test"
      chart={chart}
      table={sweepTableData(rows, 'report')}
      json={{ rowsRaw: rows, perCase: toRecords(perCase) }}
      note={`${casesNote(rows)} whose report names some but not all regions; a wrong report costs ${fixed(drop)} Dice on average`}
    >
      <details className="figure-data">
        <summary>Per case ({perCase.rows.length})</summary>
        <DataTableView table={{ columns: perCase.columns.slice(0, 6), rows: perCase.rows.map((r) => r.slice(0, 6)) }} label="Location test per case" />
        <ul className="plain location-open">
          {perCase.rows.slice(0, 20).map((r) => (
            <li key={String(r[0])}>
              {String(r[0])}:{' '}
              <button type="button" className="link" onClick={() => openWith(String(r[0]), String(r[6]))}>
                open with the other-regions report
              </button>
            </li>
          ))}
        </ul>
      </details>
    </Figure>
  );
}

function EvaluationFigures() {
  const evaluation = useWorkbench((s) => s.evaluation);
  const rows = evaluation?.rows;
  const histogram = evaluation?.histogram;
  const histogramChart = useCallback((t: ChartTheme) => histogramBars(histogram ?? [], t), [histogram]);
  const scatterChart = useCallback((t: ChartTheme) => lesionScatter(rows ?? [], t), [rows]);
  if (evaluation === null || rows === undefined || rows.length === 0) return null;
  return (
    <>
      <Figure title="Dice histogram" file="dice-histogram" chart={histogramChart} table={histogramData(histogram ?? [])} note={`${evaluation.summary?.cases ?? 0} cases, all prompts`} />
      <Figure title="Dice vs lesion area" file="dice-vs-lesion-area" chart={scatterChart} table={lesionData(rows)} note="each case's Dice against its ground truth's share of the image" />
    </>
  );
}

export function SweepPanel() {
  return (
    <section className="panel" aria-labelledby="plots-heading">
      <h2 id="plots-heading">Sweeps and plots</h2>
      <SweepControls />
      <div className="figures">
        <EvaluationFigures />
        <SweepFigures />
      </div>
    </section>
  );
}
