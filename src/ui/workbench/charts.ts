/**
 * The workbench's figures as ECharts options, built from the same rows as their data tables, in
 * two themes: the studio's dark screen and a white page for exported SVG/PNG. Series colours are
 * Okabe-Ito (colour-blind safe); no animation, so a figure is drawn the same way every time.
 */
import type { EvalCaseResult, HistogramBin, SweepRow } from '../../worker/api';
import type { ChartOption } from './echarts';
import { lesionPercent, type DataTable } from './tables';

export interface ChartTheme {
  background: string;
  text: string;
  muted: string;
  grid: string;
  series: readonly string[];
}

const OKABE_ITO = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#0072B2', '#D55E00', '#F0E442'];

export const SCREEN: ChartTheme = { background: 'transparent', text: '#e3e8ee', muted: '#94a2b3', grid: '#262e39', series: OKABE_ITO };
export const PRINT: ChartTheme = {
  background: '#ffffff',
  text: '#1f2328',
  muted: '#57606a',
  grid: '#d8dee4',
  series: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'],
};

function axis(theme: ChartTheme, name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    nameLocation: 'middle',
    nameGap: 30,
    nameTextStyle: { color: theme.muted },
    axisLabel: { color: theme.muted },
    axisLine: { lineStyle: { color: theme.muted } },
    splitLine: { lineStyle: { color: theme.grid } },
    ...extra,
  };
}

/** What every figure shares: colours, fonts, grid, a legend and a tooltip drawn in the chart (no HTML). */
function frame(theme: ChartTheme, xAxis: object, yAxis: object, series: object[], legend = true): ChartOption {
  return {
    animation: false,
    backgroundColor: theme.background,
    color: [...theme.series],
    textStyle: { color: theme.text, fontFamily: 'system-ui, sans-serif' },
    grid: { left: 64, right: 20, top: legend ? 32 : 16, bottom: 52 },
    legend: legend ? { top: 0, textStyle: { color: theme.text } } : undefined,
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis,
    yAxis,
    series,
  };
}

const mean = (stat: { mean: number } | null) => (stat === null ? null : stat.mean);

/** Mean Dice (left axis, scaled to show small differences) and mean Top-k points (right) against k or theta. */
export function sweepLines(rows: readonly SweepRow[], theme: ChartTheme, xName: string, numeric: boolean): ChartOption {
  const point = (r: SweepRow, v: number | null) => (numeric ? [Number(r.label), v] : v);
  const x = numeric
    ? axis(theme, xName, { type: 'value', scale: true })
    : axis(theme, xName, { type: 'category', data: rows.map((r) => r.label) });
  const series = [
    { name: 'mean Dice', type: 'line', symbolSize: 7, data: rows.map((r) => point(r, mean(r.dice))) },
    { name: 'mean points', type: 'line', yAxisIndex: 1, symbolSize: 5, lineStyle: { type: 'dashed' }, data: rows.map((r) => point(r, r.points)) },
  ];
  const y = [
    axis(theme, 'mean Dice', { type: 'value', scale: true, nameGap: 48 }),
    axis(theme, 'mean points', { type: 'value', min: 0, nameGap: 30, splitLine: { show: false } }),
  ];
  const option = frame(theme, x, y, series) as Record<string, unknown>;
  return { ...option, grid: { left: 70, right: 56, top: 32, bottom: 52 } };
}

/** Mean Dice and IoU per prompt subset, as horizontal bars (subset names read left to right). */
export function promptBars(rows: readonly SweepRow[], theme: ChartTheme): ChartOption {
  const y = axis(theme, '', { type: 'category', data: rows.map((r) => r.label), inverse: true, splitLine: { show: false } });
  const series = [
    { name: 'mean Dice', type: 'bar', data: rows.map((r) => mean(r.dice)) },
    { name: 'mean IoU', type: 'bar', data: rows.map((r) => mean(r.iou)) },
  ];
  const option = frame(theme, axis(theme, 'score', { type: 'value', min: 0, max: 1 }), y, series) as Record<string, unknown>;
  return { ...option, grid: { left: 110, right: 20, top: 32, bottom: 52 } };
}

const REPORT_NAMES = ['true report', 'other regions', 'all regions'];

/** Each case's Dice with the three reports as a thin line, and the mean over cases on top. */
export function locationSlopes(perCase: DataTable, rows: readonly SweepRow[], theme: ChartTheme): ChartOption {
  const lines = perCase.rows.map((r) => ({ coords: [1, 2, 3].map((i, x) => [x, r[i] as number]) }));
  const series = [
    {
      name: 'cases',
      type: 'lines',
      coordinateSystem: 'cartesian2d',
      polyline: true,
      silent: true,
      lineStyle: { color: theme.muted, opacity: perCase.rows.length > 100 ? 0.15 : 0.4, width: 1 },
      data: lines,
    },
    { name: 'mean Dice', type: 'line', symbolSize: 9, lineStyle: { width: 3 }, color: theme.series[1], data: rows.map((r) => mean(r.dice)) },
  ];
  const x = axis(theme, 'report', { type: 'category', data: REPORT_NAMES, boundaryGap: false });
  return frame(theme, x, axis(theme, 'Dice', { type: 'value', min: 0, max: 1 }), series);
}

export function histogramBars(bins: readonly HistogramBin[], theme: ChartTheme): ChartOption {
  const labels = bins.map((b) => `${b.from.toFixed(2)}–${b.to.toFixed(2)}`);
  const x = axis(theme, 'Dice', { type: 'category', data: labels, axisLabel: { color: theme.muted, interval: 3 } });
  const series = [{ name: 'cases', type: 'bar', barCategoryGap: '8%', data: bins.map((b) => b.count) }];
  return frame(theme, x, axis(theme, 'cases', { type: 'value', minInterval: 1 }), series, false);
}

export function lesionScatter(rows: readonly EvalCaseResult[], theme: ChartTheme): ChartOption {
  const points = rows.filter((r) => r.dice !== null).map((r) => [lesionPercent(r), r.dice, r.id]);
  // Large mode draws all points as one path: memory does not grow per point (no per-point hover).
  const series = [
    { name: 'cases', type: 'scatter', symbolSize: 6, large: true, largeThreshold: 200, data: points, encode: { x: 0, y: 1, tooltip: [2, 0, 1] } },
  ];
  const option = frame(
    theme,
    axis(theme, 'lesion area (% of the image)', { type: 'value', min: 0 }),
    axis(theme, 'Dice', { type: 'value', min: 0, max: 1 }),
    series,
    false,
  ) as Record<string, unknown>;
  return { ...option, tooltip: { trigger: 'item', renderMode: 'richText' } };
}
