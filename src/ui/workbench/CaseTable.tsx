/**
 * The evaluation's summary line and the "Per-case results" table: sortable (click a heading),
 * filterable (text, and errors / unreadable reports / warnings only), a page at a time; a row
 * opens its case in the viewer with the evaluation's prompts. Once the prompt ablation or the
 * location test ran, each case also shows what the text prompt and a wrong report do to it.
 */
import { useMemo } from 'react';
import type { CaseScores, EvalCaseResult, EvalSummary } from '../../worker/api';
import { useOpenDatasetCase } from '../hooks/case-actions';
import { useWorkbench, type SortKey, type TableView } from '../state/workbench';
import { download } from '../export-record';
import { ExportButtons } from './Figure';
import { fixed } from './format';
import { caseTable, lesionPercent, toCsv, toRecords } from './tables';

const PAGE = 50;

type Scores = ReadonlyMap<string, Readonly<Record<string, CaseScores>>>;

/** Dice with all prompts minus Dice without the text prompt: what the report's text does for this case. */
function textEffect(scores: Scores, id: string): number | null {
  const s = scores.get(id);
  const [all, noText] = [s?.['prompts/all'], s?.['prompts/coarse+points']];
  return all === undefined || noText === undefined ? null : all.dice - noText.dice;
}

/** Dice with the true report minus Dice with a report naming the other regions. */
function locationDrop(scores: Scores, id: string): number | null {
  const s = scores.get(id);
  const [own, other] = [s?.['location/true_report'], s?.['location/other_regions']];
  return own === undefined || other === undefined ? null : own.dice - other.dice;
}

interface Column {
  key: SortKey;
  label: string;
  title?: string;
  value: (r: EvalCaseResult, scores: Scores) => number | string | null;
  text?: (r: EvalCaseResult, scores: Scores) => string;
}

const COLUMNS: Column[] = [
  { key: 'id', label: 'Case', value: (r) => r.id },
  { key: 'dice', label: 'Dice', value: (r) => r.dice },
  { key: 'iou', label: 'IoU', value: (r) => r.iou },
  { key: 'predictedIou', label: 'Decoder IoU', title: "The decoder's own IoU estimate", value: (r) => r.predictedIou },
  { key: 'points', label: 'Points', title: 'Top-k points the decoder got', value: (r) => r.points, text: (r) => fixed(r.points, 0) },
  { key: 'coarseMax', label: 'Max coarse p', title: 'Highest coarse-mask probability', value: (r) => r.coarseMax },
  {
    key: 'gpfcAgreement',
    label: 'Regions agree',
    title: "Regions (of 6) where the report and the last GPFC stage agree",
    value: (r) => r.gpfcAgreement,
    text: (r) => (r.gpfcAgreement === null ? '–' : `${r.gpfcAgreement}/6`),
  },
  { key: 'readable', label: 'Report', value: (r) => (r.readable === null ? null : r.readable ? 'read' : 'unreadable'), text: (r) => (r.readable === null ? '–' : r.readable ? 'read' : `unreadable: ${r.unreadableReason ?? ''}`) },
  { key: 'lesionPixels', label: 'Lesion %', title: "Ground-truth lesion area, % of the image", value: (r) => lesionPercent(r), text: (r) => fixed(lesionPercent(r), 2) },
  { key: 'textEffect', label: 'Text effect', title: 'Dice with all prompts minus Dice without the text prompt (prompt ablation)', value: (r, s) => textEffect(s, r.id) },
  { key: 'locationDrop', label: 'Wrong-report drop', title: 'Dice with the true report minus Dice with a report naming the other regions (location test)', value: (r, s) => locationDrop(s, r.id) },
  { key: 'error', label: 'Error', value: (r) => r.error ?? (r.warnings.length > 0 ? r.warnings.map((w) => w.code).join(' ') : null) },
];

function compare(a: number | string | null, b: number | string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { numeric: true });
}

function visibleRows(rows: readonly EvalCaseResult[], scores: Scores, view: TableView): EvalCaseResult[] {
  const needle = view.filter.trim().toLowerCase();
  const shown = rows.filter((r) => {
    if (view.show === 'errors' && r.error === null) return false;
    if (view.show === 'unreadable' && r.readable !== false) return false;
    if (view.show === 'warnings' && r.warnings.length === 0) return false;
    return needle === '' || [r.id, r.error ?? '', r.unreadableReason ?? ''].some((t) => t.toLowerCase().includes(needle));
  });
  const column = COLUMNS.find((c) => c.key === view.sort.key);
  const value = column?.value ?? ((r: EvalCaseResult) => r.index);
  const sign = view.sort.descending ? -1 : 1;
  // Missing values stay last whichever the direction.
  return shown.sort((a, b) => {
    const [x, y] = [value(a, scores), value(b, scores)];
    return x === null || y === null ? compare(x, y) : sign * compare(x, y) || a.index - b.index;
  });
}

export function SummaryLine({ summary, total }: { summary: EvalSummary; total: number }) {
  return (
    <p className="workbench-summary" data-testid="workbench-summary" aria-live="polite">
      <strong>{summary.cases}</strong> of {total} cases scored · Dice <strong>{fixed(summary.meanDice)}</strong> ± {fixed(summary.stdDice)} · IoU{' '}
      <strong>{fixed(summary.meanIou)}</strong> ± {fixed(summary.stdIou)} · unreadable reports {summary.unreadable.length} · errors{' '}
      {summary.errors.length}
      {summary.cancelled && ' · cancelled'}
    </p>
  );
}

function Heading({ column }: { column: Column }) {
  const sort = useWorkbench((s) => s.table.sort);
  const setTable = useWorkbench((s) => s.setTable);
  const active = sort.key === column.key;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} title={column.title}>
      <button type="button" className="sort" onClick={() => setTable({ sort: { key: column.key, descending: active ? !sort.descending : column.key !== 'id' } })}>
        {column.label}
        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

function Controls({ shown, total }: { shown: number; total: number }) {
  const view = useWorkbench((s) => s.table);
  const setTable = useWorkbench((s) => s.setTable);
  const pages = Math.max(1, Math.ceil(shown / PAGE));
  return (
    <div className="row wrap table-controls">
      <input type="search" aria-label="Filter cases" placeholder="Filter: case, error, reason" value={view.filter} onChange={(e) => setTable({ filter: e.target.value })} />
      <select aria-label="Show" value={view.show} onChange={(e) => setTable({ show: e.target.value as TableView['show'] })}>
        <option value="all">all cases</option>
        <option value="errors">errors only</option>
        <option value="unreadable">unreadable reports</option>
        <option value="warnings">with warnings</option>
      </select>
      <span className="hint">
        {shown} of {total} shown · page {Math.min(view.page + 1, pages)} of {pages}
      </span>
      <button type="button" disabled={view.page === 0} onClick={() => setTable({ page: view.page - 1 })}>
        Previous page
      </button>
      <button type="button" disabled={view.page + 1 >= pages} onClick={() => setTable({ page: view.page + 1 })}>
        Next page
      </button>
    </div>
  );
}

export function CaseTable() {
  const evaluation = useWorkbench((s) => s.evaluation);
  const scores = useWorkbench((s) => s.scores);
  const view = useWorkbench((s) => s.table);
  const dataset = useWorkbench((s) => s.dataset);
  const openCase = useOpenDatasetCase();
  const rows = useMemo(() => visibleRows(evaluation?.rows ?? [], scores, view), [evaluation?.rows, scores, view]);
  if (evaluation === null || dataset === null) return null;
  const settings = evaluation.settings;
  const open = (row: EvalCaseResult) => {
    const c = dataset.summary.cases.find((x) => x.id === row.id);
    const [image, mask] = [c?.image && dataset.files.get(c.image), c?.mask && dataset.files.get(c.mask)];
    if (!c || !image || !mask || row.error !== null) return;
    useWorkbench.getState().setView('studio');
    openCase({ id: row.id, image, mask, report: c.report, settings });
  };
  const exportTable = () => caseTable(evaluation.rows, scores);
  // Everything per case: the rows, and every sweep setting's full scores by case and setting key.
  const caseRecord = () => ({
    dataset: dataset.summary.name,
    bundle: evaluation.bundleTitle,
    settings,
    summary: evaluation.summary,
    cases: toRecords(exportTable()),
    sweeps: Object.fromEntries(scores),
  });
  const actions: [string, () => void][] = [
    ['CSV', () => download(new Blob([toCsv(exportTable())], { type: 'text/csv' }), `${dataset.summary.name}-cases.csv`)],
    ['JSON', () => download(new Blob([JSON.stringify(caseRecord(), null, 2)], { type: 'application/json' }), `${dataset.summary.name}-cases.json`)],
  ];
  const page = rows.slice(view.page * PAGE, (view.page + 1) * PAGE);
  return (
    <section className="panel" aria-labelledby="cases-heading">
      <h2 id="cases-heading">Per-case results</h2>
      {evaluation.summary !== null && <SummaryLine summary={evaluation.summary} total={dataset.summary.cases.length} />}
      <Controls shown={rows.length} total={evaluation.rows.length} />
      <div className="table-scroll">
        <table className="compact cases" aria-label="Per-case results">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <Heading key={c.key} column={c} />
              ))}
            </tr>
          </thead>
          <tbody>
            {page.map((r) => (
              <tr key={r.id} className={r.error !== null ? 'failed' : 'openable'} onClick={() => open(r)}>
                {COLUMNS.map((c) => (
                  <td key={c.key}>
                    {c.key === 'id' && r.error === null ? (
                      <button type="button" className="link" aria-label={`Open ${r.id} in the viewer`} onClick={(e) => (e.stopPropagation(), open(r))}>
                        {r.id}
                      </button>
                    ) : c.text !== undefined ? (
                      c.text(r, scores)
                    ) : (
                      cellText(c.value(r, scores))
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ExportButtons title="Per-case results" actions={actions} />
    </section>
  );
}

function cellText(value: number | string | null): string {
  return typeof value === 'number' ? fixed(value, 4) : (value ?? '–');
}
