/**
 * The legend strip under an exported overlay: what each colour and mark in the picture means, for
 * the overlays that are shown, in the same colours the viewer paints with. It sits below the image
 * (rows 0..h-1 of the file stay the image, pixel for pixel) and wraps to the image's width.
 */
import { colormapCss } from './colormap';
import { CONFUSION_COLORS } from './confusion';
import { MASK_RGB } from './rasters';
import type { Ctx2d, OverlaySettings, ViewerLayers } from './types';

export interface LegendItem {
  /** A filled swatch colour, 'gradient' for the heatmap scale, or 'outline' for a dashed white edge. */
  swatch: string;
  text: string;
}

const rgb = (c: readonly number[]) => `rgb(${c.join(' ')})`;
const FONT_PX = 12;
const ROW_PX = 20;
const PAD_PX = 6;
const SWATCH_PX = 12;

/** The legend entries for what `overlays` shows of `layers`. */
export function legendItems(layers: ViewerLayers, overlays: OverlaySettings): LegendItem[] {
  const { visible } = overlays;
  const items: LegendItem[] = [];
  const comparing = visible.mask && visible.truth && layers.mask !== null && layers.truth !== null;
  if (visible.coarse && layers.coarse !== null) items.push({ swatch: 'gradient', text: 'coarse probability 0 → 1' });
  if (visible.mask && layers.mask !== null) items.push({ swatch: rgb(MASK_RGB), text: 'final mask (outline)' });
  if (comparing) {
    items.push({ swatch: rgb(CONFUSION_COLORS.tp), text: 'agrees with truth' });
    items.push({ swatch: rgb(CONFUSION_COLORS.fn), text: 'missed' });
    items.push({ swatch: rgb(CONFUSION_COLORS.fp), text: 'extra' });
  } else if (visible.truth && layers.truth !== null) {
    items.push({ swatch: 'outline', text: 'ground truth' });
  }
  if (visible.points && layers.modelPoints.length > 0) items.push({ swatch: '#ffffff', text: 'model points (ring, numbered)' });
  if (visible.points && layers.userPoints.length > 0) items.push({ swatch: '#16a34a', text: 'your points (+ disc, − square)' });
  return items;
}

interface Placed {
  item: LegendItem;
  x: number;
  row: number;
}

/** Lays the items out in rows of at most `width` px; returns their places and the strip's height. */
export function layoutLegend(ctx: Ctx2d, items: LegendItem[], width: number): { placed: Placed[]; height: number } {
  ctx.font = `${FONT_PX}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  const placed: Placed[] = [];
  let [x, row] = [PAD_PX, 0];
  for (const item of items) {
    const w = SWATCH_PX + 4 + ctx.measureText(item.text).width + 12;
    if (x > PAD_PX && x + w > width - PAD_PX) [x, row] = [PAD_PX, row + 1];
    placed.push({ item, x, row });
    x += w;
  }
  return { placed, height: items.length === 0 ? 0 : (placed.at(-1)!.row + 1) * ROW_PX + PAD_PX };
}

function drawSwatch(ctx: Ctx2d, swatch: string, x: number, y: number): void {
  if (swatch === 'gradient') {
    const gradient = ctx.createLinearGradient(x, 0, x + SWATCH_PX, 0);
    for (const t of [0, 0.25, 0.5, 0.75, 1]) gradient.addColorStop(t, colormapCss(t));
    ctx.fillStyle = gradient;
  } else if (swatch === 'outline') {
    ctx.strokeStyle = '#ffffff';
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(x + 0.5, y + 0.5, SWATCH_PX - 1, SWATCH_PX - 1);
    ctx.setLineDash([]);
    return;
  } else {
    ctx.fillStyle = swatch;
  }
  ctx.fillRect(x, y, SWATCH_PX, SWATCH_PX);
}

/** Draws the strip at `top` (canvas px, identity transform), `width` wide. */
export function paintLegend(ctx: Ctx2d, layout: { placed: Placed[]; height: number }, top: number, width: number): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#0b0e13';
  ctx.fillRect(0, top, width, layout.height);
  ctx.font = `${FONT_PX}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  for (const { item, x, row } of layout.placed) {
    const middle = top + PAD_PX + row * ROW_PX + ROW_PX / 2 - 3;
    drawSwatch(ctx, item.swatch, x, middle - SWATCH_PX / 2);
    ctx.fillStyle = '#e3e8ee';
    ctx.fillText(item.text, x + SWATCH_PX + 4, middle);
  }
}
