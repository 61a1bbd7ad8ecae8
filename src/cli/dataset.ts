/**
 * An LViT-layout folder, as models/locus/data/dataset.py `read_cases` reads it: `images/`,
 * `masks/` (same stem or a `mask_` prefix; images and masks may be DICOM: .dcm images, and masks as
 * PNG or as DICOM SEGs made on them), and reports in `reports.csv` (columns Image,
 * Description) or the first `.xlsx`. The report key may name the image or its mask. Problems
 * (no image, no mask, empty report) become entries with a one-line reason naming the file.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from '../pipeline/index';
import { readXlsxRows } from './xlsx';

export const IMAGE_SUFFIXES = ['.png', '.jpg', '.jpeg', '.dcm', '.bmp', '.tif', '.tiff'];

export interface DatasetEntry {
  stem: string;
  report: string;
  image: string | null;
  mask: string | null;
  /** Why the case cannot be evaluated, naming the file; null when it can. */
  problem: string | null;
}

/** A folder-level problem (no report table, unreadable table): nothing can be evaluated. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

function keyedRows(rows: string[][], file: string): [string, string][] {
  const header = (rows[0] ?? []).map((h) => h.trim().replace(/^\uFEFF/, ''));
  const imageCol = header.indexOf('Image');
  const textCol = header.indexOf('Description');
  if (imageCol < 0 || textCol < 0) throw new DatasetError(`${file}: needs the columns Image and Description`);
  return rows.slice(1).map((r) => [(r[imageCol] ?? '').trim(), (r[textCol] ?? '').trim()]);
}

async function readTable(file: string): Promise<[string, string][]> {
  if (file.toLowerCase().endsWith('.xlsx')) {
    try {
      return keyedRows(readXlsxRows(new Uint8Array(await readFile(file))), file);
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      throw new DatasetError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!existsSync(file)) throw new DatasetError(`${file}: no such report file`);
  return keyedRows(parseCsv((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')), file);
}

/**
 * Report key -> text, from `reportsFile` (a .csv or .xlsx with the columns Image, Description)
 * when given, else from the folder's reports.csv or its first .xlsx (by name).
 */
export async function readReports(root: string, reportsFile?: string): Promise<Map<string, string>> {
  const csvPath = path.join(root, 'reports.csv');
  let file = reportsFile;
  if (file === undefined && existsSync(csvPath)) file = csvPath;
  if (file === undefined) {
    const books = existsSync(root) ? (await readdir(root)).filter((n) => n.toLowerCase().endsWith('.xlsx')).sort() : [];
    if (books[0] === undefined) throw new DatasetError(`${root}: no reports.csv or .xlsx report file`);
    file = path.join(root, books[0]);
  }
  const rows = await readTable(file);
  return new Map(rows.filter(([key]) => key !== ''));
}

export function stemOf(key: string): string {
  const stem = path.parse(key).name;
  return stem.startsWith('mask_') ? stem.slice(5) : stem;
}

/** Natural order: "case2" before "case10". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

async function listing(folder: string): Promise<Set<string>> {
  return existsSync(folder) ? new Set(await readdir(folder)) : new Set();
}

/**
 * The file of a case: an image suffix first; failing that any file with the stem, so a GIF or a
 * DICOM in the folder is named by the decoder ("a GIF image: ...") instead of reported missing.
 */
function find(folder: string, names: Set<string>, stem: string): string | null {
  for (const name of [stem, `mask_${stem}`]) {
    for (const suffix of IMAGE_SUFFIXES) if (names.has(name + suffix)) return path.join(folder, name + suffix);
  }
  for (const name of [stem, `mask_${stem}`]) {
    const other = [...names].sort().find((n) => n.startsWith(`${name}.`) && path.parse(n).name === name);
    if (other !== undefined) return path.join(folder, other);
  }
  return null;
}

/** Every report's case, in natural stem order, with its problem if any. */
export async function readDataset(root: string, reportsFile?: string): Promise<DatasetEntry[]> {
  if (!existsSync(root)) throw new DatasetError(`${root}: no such folder`);
  if (!statSync(root).isDirectory()) throw new DatasetError(`${root}: is a file; --data takes an LViT-layout folder (images/, masks/, reports.csv)`);
  const reports = new Map<string, string>();
  for (const [key, text] of await readReports(root, reportsFile)) reports.set(stemOf(key), text);
  const imagesDir = path.join(root, 'images');
  const masksDir = path.join(root, 'masks');
  const [images, masks] = await Promise.all([listing(imagesDir), listing(masksDir)]);
  return [...reports.keys()].sort(naturalCompare).map((stem) => {
    const report = reports.get(stem) ?? '';
    const image = find(imagesDir, images, stem);
    const mask = find(masksDir, masks, stem);
    let problem: string | null = null;
    if (image === null) problem = `${path.join(imagesDir, stem)}.*: report has no image`;
    else if (mask === null) problem = `${image}: no mask with the same stem in ${masksDir}`;
    else if (report === '') problem = `${image}: empty report`;
    return { stem, report, image, mask, problem };
  });
}

/**
 * The entries whose stems are listed (a fold's held-out cases), in dataset order. A listed stem
 * with no report in the table is an error, so a mistyped list cannot shrink an evaluation.
 */
export function selectEntries(entries: DatasetEntry[], stems: string[]): DatasetEntry[] {
  const known = new Set(entries.map((e) => e.stem));
  const missing = stems.filter((s) => !known.has(s));
  if (missing.length > 0) throw new DatasetError(`no report for the listed case(s) ${missing.join(', ')}`);
  const wanted = new Set(stems);
  return entries.filter((e) => wanted.has(e.stem));
}

/** Stems from an id-list file: one a line; blank lines and `#` comments are ignored. */
export async function readIdList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DatasetError(`${file}: cannot read the case list`);
  }
  return text.split(/\r?\n/).map((line) => line.split('#')[0]!.trim()).filter((line) => line !== '');
}
