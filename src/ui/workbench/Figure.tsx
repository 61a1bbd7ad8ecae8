/**
 * A workbench figure: the chart (ECharts, SVG on screen), its accessible name as the caption, the
 * data table behind it, and exports of the table (CSV, JSON) and of the plot (SVG, PNG; printed
 * colours on white).
 */
import { useEffect, useId, useMemo, useRef, type ReactNode } from 'react';
import { download } from '../export-record';
import { PRINT, SCREEN, type ChartTheme } from './charts';
import { mountChart, pngOf, svgOf, type ChartOption } from './echarts';
import { fixed } from './format';
import { toCsv, toRecords, type Cell, type DataTable } from './tables';

function ChartView({ option, label }: { option: ChartOption; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof mountChart> | null>(null);
  useEffect(() => {
    const chartInstance = mountChart(element.current!);
    chart.current = chartInstance;
    const observer = new ResizeObserver(() => chartInstance.resize());
    observer.observe(element.current!);
    return () => {
      observer.disconnect();
      chartInstance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={element} className="chart" role="img" aria-label={label} />;
}

function cellText(value: Cell): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : fixed(value, 4);
  return value === null ? '–' : String(value);
}

export function DataTableView({ table, label }: { table: DataTable; label: string }) {
  return (
    <table className="compact data-table" aria-label={label}>
      <thead>
        <tr>
          {table.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j}>{cellText(cell)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface FigureProps {
  /** The figure's accessible name, caption and export names. */
  title: string;
  /** Base of the exported file names ("topk-sweep"). */
  file: string;
  chart: (theme: ChartTheme) => ChartOption;
  table: DataTable;
  /** More for the JSON export (per-case values, settings). */
  json?: Record<string, unknown>;
  note?: ReactNode;
  children?: ReactNode;
}

export function ExportButtons({ title, actions }: { title: string; actions: [string, () => void][] }) {
  return (
    <div className="export-buttons" role="group" aria-label={`${title} exports`}>
      {actions.map(([kind, run]) => (
        <button key={kind} type="button" aria-label={`${title} as ${kind}`} onClick={run}>
          {kind}
        </button>
      ))}
    </div>
  );
}

export function Figure({ title, file, chart, table, json, note, children }: FigureProps) {
  const captionId = useId();
  const option = useMemo(() => chart(SCREEN), [chart]);
  const actions: [string, () => void][] = [
    ['CSV', () => download(new Blob([toCsv(table)], { type: 'text/csv' }), `${file}.csv`)],
    ['JSON', () => download(new Blob([JSON.stringify({ figure: title, rows: toRecords(table), ...json }, null, 2)], { type: 'application/json' }), `${file}.json`)],
    ['SVG', () => download(new Blob([svgOf(chart(PRINT))], { type: 'image/svg+xml' }), `${file}.svg`)],
    ['PNG', () => download(new Blob([pngOf(chart(PRINT))], { type: 'image/png' }), `${file}.png`)],
  ];
  return (
    <figure className="figure" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      {note !== undefined && <p className="hint">{note}</p>}
      <ChartView option={option} label={`${title}: chart (its data table follows)`} />
      <ExportButtons title={title} actions={actions} />
      <details className="figure-data">
        <summary>Data table</summary>
        <DataTableView table={table} label={`${title} data`} />
      </details>
      {children}
    </figure>
  );
}
