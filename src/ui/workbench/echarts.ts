/**
 * Apache ECharts, the parts the workbench draws with (tree-shaken through echarts/core). Chosen
 * for a strict Content-Security-Policy: no eval or `new Function`, styles set through the CSSOM
 * (element.style), never a <style> element or a style attribute in markup, and tooltips drawn in
 * the chart itself (renderMode 'richText', no HTML). On screen it renders SVG; exports render the
 * same option again, printed colours, to an SVG string (server-side mode, no DOM) or to a canvas
 * for PNG (canvas.toDataURL, no image decoding, so no blob:/data: images are needed either).
 */
import { BarChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  LinesChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
  CanvasRenderer,
]);

export type ChartOption = EChartsCoreOption;

/** A chart drawn into `element` as SVG; resize() after the element's size changed. */
export function mountChart(element: HTMLElement) {
  return echarts.init(element, null, { renderer: 'svg' });
}

/** Size of exported figures, in CSS pixels (PNG at twice that). */
export const EXPORT_SIZE = { width: 720, height: 420 };

/** The option as a standalone SVG document. */
export function svgOf(option: ChartOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...EXPORT_SIZE });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The option drawn on a canvas, as PNG bytes. */
export function pngOf(option: ChartOption): Uint8Array<ArrayBuffer> {
  const chart = echarts.init(document.createElement('div'), null, { renderer: 'canvas', ...EXPORT_SIZE });
  try {
    chart.setOption(option);
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2 });
    // Decoded here: fetch() of a data: URL would need connect-src data:.
    const binary = atob(url.slice(url.indexOf(',') + 1));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } finally {
    chart.dispose();
  }
}
