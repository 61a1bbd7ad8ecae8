/**
 * An LViT-layout dataset, as models/locus/data/dataset.py `read_cases` reads it, from file names
 * and bytes only (the CLI lists a folder on disk, the studio a dropped or picked folder):
 * `images/`, `masks/` (same stem or a `mask_` prefix; images may be DICOM `.dcm`, and masks PNG or
 * DICOM SEGs made on them), and reports in `reports.csv` (columns
 * Image, Description) or the first `.xlsx` by name, read with read-excel-file. The report key may
 * name the image or its mask. Problems (no image, no mask, empty report) become entries with a
 * one-line reason naming the file.
 */
import { readSheet } from 'read-excel-file/universal';
import { parseCsv } from './csv';

export const IMAGE_SUFFIXES = ['.png', '.jpg', '.jpeg', '.dcm', '.bmp', '.tif', '.tiff'];

export interface DatasetEntry {
  stem: string;
  report: string;
  /** Paths as `<images folder>/<name>`; null when missing. */
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

/** The report table of a folder's top-level names: reports.csv, else the first .xlsx by name; null when none. */
export function reportTableName(names: Iterable<string>): string | null {
  const all = [...names];
  if (all.includes('reports.csv')) return 'reports.csv';
  return all.filter((n) => n.toLowerCase().endsWith('.xlsx')).sort()[0] ?? null;
}

function keyedRows(rows: string[][], file: string): [string, string][] {
  const header = (rows[0] ?? []).map((h) => h.trim().replace(/^\uFEFF/, ''));
  const imageCol = header.indexOf('Image');
  const textCol = header.indexOf('Description');
  if (imageCol < 0 || textCol < 0) throw new DatasetError(`${file}: needs the columns Image and Description`);
  return rows.slice(1).map((r) => [(r[imageCol] ?? '').trim(), (r[textCol] ?? '').trim()]);
}

/** The first worksheet of an .xlsx as rows of strings (empty cells ''). */
export async function readXlsxRows(bytes: Uint8Array): Promise<string[][]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await readSheet(buffer);
  return rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
}

/** (report key, text) pairs of a .csv or .xlsx table with the columns Image and Description. */
export async function readReportTable(bytes: Uint8Array, file: string): Promise<[string, string][]> {
  if (!file.toLowerCase().endsWith('.xlsx')) return keyedRows(parseCsv(new TextDecoder().decode(bytes)), file);
  let rows: string[][];
  try {
    rows = await readXlsxRows(bytes);
  } catch (error) {
    throw new DatasetError(`${file}: not a readable .xlsx (${error instanceof Error ? error.message : String(error)})`);
  }
  return keyedRows(rows, file);
}

/** "mask_case1.png" -> "case1": the stem of a report key, image or mask name. */
export function stemOf(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.startsWith('mask_') ? stem.slice(5) : stem;
}

/** Natural order: "case2" before "case10". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** A folder's path and the names in it. */
export interface FolderListing {
  path: string;
  names: ReadonlySet<string>;
}

/**
 * The file of a case: an image suffix first; failing that any file with the stem, so a GIF or a
 * DICOM in the folder is named by the decoder ("a GIF image: ...") instead of reported missing.
 */
function find(folder: FolderListing, stem: string): string | null {
  for (const name of [stem, `mask_${stem}`]) {
    for (const suffix of IMAGE_SUFFIXES) if (folder.names.has(name + suffix)) return `${folder.path}/${name}${suffix}`;
  }
  for (const name of [stem, `mask_${stem}`]) {
    // `name.<suffix>` with one suffix only ("a.b.png" is not case "a").
    const other = [...folder.names].sort().find((n) => n.startsWith(`${name}.`) && !n.slice(name.length + 1).includes('.'));
    if (other !== undefined) return `${folder.path}/${other}`;
  }
  return null;
}

/** Every report's case, in natural stem order, with its problem if any. */
export function matchCases(reports: Iterable<[string, string]>, images: FolderListing, masks: FolderListing): DatasetEntry[] {
  const byStem = new Map<string, string>();
  for (const [key, text] of reports) if (key !== '') byStem.set(stemOf(key), text);
  return [...byStem.keys()].sort(naturalCompare).map((stem) => {
    const report = byStem.get(stem) ?? '';
    const image = find(images, stem);
    const mask = find(masks, stem);
    let problem: string | null = null;
    if (image === null) problem = `${images.path}/${stem}.*: report has no image`;
    else if (mask === null) problem = `${image}: no mask with the same stem in ${masks.path}`;
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

/** Where an LViT layout lies among the relative paths of a picked or dropped folder. */
export interface DatasetLayout {
  /** The folder holding images/ ('' when the paths start at images/). */
  root: string;
  /** Path of the report table (reports.csv, else the first .xlsx by name); null when there is none. */
  table: string | null;
  images: FolderListing;
  masks: FolderListing;
}

function joined(root: string, name: string): string {
  return root === '' ? name : `${root}/${name}`;
}

/**
 * The dataset in a folder's file paths ("ds/images/a.png", ...): the folder that holds `images/`
 * (the shallowest; two at the same depth are two datasets, which is refused), its report table and
 * the names directly inside its images/ and masks/.
 */
export function datasetLayout(paths: readonly string[]): DatasetLayout {
  const roots = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    if (parts.length >= 2 && parts[parts.length - 2] === 'images') roots.add(parts.slice(0, -2).join('/'));
  }
  const depth = (root: string) => (root === '' ? 0 : root.split('/').length);
  const ordered = [...roots].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const root = ordered[0];
  if (root === undefined) throw new DatasetError('no images/ folder: choose the dataset folder that holds images/, masks/ and reports.csv');
  const siblings = ordered.filter((r) => depth(r) === depth(root));
  if (siblings.length > 1) throw new DatasetError(`the folder holds ${siblings.length} datasets (${siblings.join(', ')}): choose one of them`);
  const inside = (folder: string) => {
    const prefix = folder === '' ? '' : `${folder}/`;
    return new Set(paths.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length)));
  };
  const table = reportTableName(inside(root));
  return {
    root,
    table: table === null ? null : joined(root, table),
    images: { path: joined(root, 'images'), names: inside(joined(root, 'images')) },
    masks: { path: joined(root, 'masks'), names: inside(joined(root, 'masks')) },
  };
}
