/**
 * Terminal and file output for the commands: a progress bar (only on a TTY), aligned tables,
 * mask PNGs (fast-png, the library the pipeline decodes with), JSON and CSV files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';

export interface Progress {
  update(done: number, label: string): void;
  /** Prints a line above the bar (errors), keeping the bar. */
  log(line: string): void;
  finish(): void;
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let current = '';
  const draw = () => tty && stream.write(`\r${current}\x1b[K`);
  return {
    update(done, label) {
      if (!tty) return;
      const width = 28;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      current = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
      draw();
    },
    log(line) {
      if (tty) stream.write('\r\x1b[K');
      stream.write(`${line}\n`);
      draw();
    },
    finish() {
      if (tty && current !== '') stream.write('\r\x1b[K');
    },
  };
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+$/.test(r[i] ?? '')));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function ensureParent(file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
}

/** A 0/1 mask as an 8-bit gray PNG with values 0 and 255. */
export async function writeMaskPng(file: string, mask: Uint8Array, width: number, height: number): Promise<void> {
  const data = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) data[i] = mask[i] ? 255 : 0;
  await ensureParent(file);
  await writeFile(file, encodePng({ width, height, data, channels: 1, depth: 8 }));
}

export async function writeBytes(file: string, bytes: Uint8Array): Promise<void> {
  await ensureParent(file);
  await writeFile(file, bytes);
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await ensureParent(file);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function writeCsv(file: string, header: string[], rows: unknown[][]): Promise<void> {
  await ensureParent(file);
  await writeFile(file, [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
}

export function formatNumber(value: number | null, digits = 4): string {
  return value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}
