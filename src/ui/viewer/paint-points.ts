/**
 * Point markers, drawn in screen px at a constant size whatever the zoom. Shapes differ as well
 * as colours (model: ring with a numbered tag; positive: green disc with "+"; negative: red
 * square with "−") so that they read without colour vision.
 */
import type { ChosenPoint, PromptPoint } from '../../worker/api';
import type { Ctx2d, MarkerStyle } from './types';
import { imageToScreen } from './view-transform';

const POSITIVE = '#16a34a';
const NEGATIVE = '#dc2626';
const OUTLINE = 'rgba(0, 0, 0, 0.8)';
const MODEL_RING = '#ffffff';
const TAG_BACKGROUND = 'rgba(11, 14, 19, 0.82)';

/** Screen px per marker unit, and the CSS -> device matrix for marker drawing. */
function screenSpace(ctx: Ctx2d, style: MarkerStyle): number {
  const { dpr } = style.view;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.globalAlpha = style.alpha;
  ctx.setLineDash([]);
  return style.view.markerScale;
}

function toScreen(p: { x: number; y: number }, style: MarkerStyle): { x: number; y: number } {
  return imageToScreen(p, style.view.transform, style.view.size);
}

/** "1 · 0.93" beside the ring, on a dark tag so it reads over any anatomy or heatmap colour. */
function drawTag(ctx: Ctx2d, text: string, x: number, y: number, u: number): void {
  ctx.font = `600 ${12 * u}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const w = ctx.measureText(text).width + 10 * u;
  const h = 18 * u;
  ctx.fillStyle = TAG_BACKGROUND;
  ctx.beginPath();
  ctx.roundRect(x, y - h / 2, w, h, 4 * u);
  ctx.fill();
  ctx.fillStyle = '#f5f7fa';
  ctx.fillText(text, x + 5 * u, y + 0.5 * u);
}

export function paintModelPoints(ctx: Ctx2d, points: readonly ChosenPoint[], style: MarkerStyle): void {
  const u = screenSpace(ctx, style);
  points.forEach((p, i) => {
    const s = toScreen(p.image, style);
    ctx.beginPath();
    ctx.arc(s.x, s.y, 7 * u, 0, Math.PI * 2);
    ctx.lineWidth = 4 * u;
    ctx.strokeStyle = OUTLINE;
    ctx.stroke();
    ctx.lineWidth = 2 * u;
    ctx.strokeStyle = MODEL_RING;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(s.x, s.y, 1.5 * u, 0, Math.PI * 2);
    ctx.fillStyle = MODEL_RING;
    ctx.fill();
    drawTag(ctx, `${i + 1} · ${p.prob.toFixed(2)}`, s.x + 11 * u, s.y - 11 * u, u);
  });
  ctx.globalAlpha = 1;
}

/** The marker's glyph: a horizontal bar, plus a vertical one for positive points. */
function drawGlyph(ctx: Ctx2d, x: number, y: number, positive: boolean, u: number): void {
  ctx.beginPath();
  ctx.moveTo(x - 4 * u, y);
  ctx.lineTo(x + 4 * u, y);
  if (positive) {
    ctx.moveTo(x, y - 4 * u);
    ctx.lineTo(x, y + 4 * u);
  }
  ctx.lineWidth = 2 * u;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
}

function drawUserMarker(ctx: Ctx2d, x: number, y: number, positive: boolean, u: number, active: boolean): void {
  const r = (active ? 9 : 7.5) * u;
  ctx.beginPath();
  if (positive) ctx.arc(x, y, r, 0, Math.PI * 2);
  else ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
  ctx.fillStyle = positive ? POSITIVE : NEGATIVE;
  ctx.fill();
  ctx.lineWidth = (active ? 2.5 : 1.5) * u;
  ctx.strokeStyle = active ? '#ffffff' : OUTLINE;
  ctx.stroke();
  drawGlyph(ctx, x, y, positive, u);
}

export function paintUserPoints(
  ctx: Ctx2d,
  points: readonly PromptPoint[],
  dragging: { index: number; x: number; y: number } | null,
  style: MarkerStyle,
): void {
  const u = screenSpace(ctx, style);
  points.forEach((p, i) => {
    const active = dragging?.index === i;
    const s = toScreen(active && dragging ? dragging : p.point, style);
    drawUserMarker(ctx, s.x, s.y, p.label === 1, u, active);
  });
  ctx.globalAlpha = 1;
}
