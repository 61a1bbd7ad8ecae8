/**
 * An LViT-layout folder on disk (pipeline/dataset.ts does the matching): the report table is
 * `--reports FILE` when given, else the folder's reports.csv or first .xlsx.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, matchCases, readReportTable, reportTableName, type DatasetEntry } from '../pipeline/index';

export { DatasetError, naturalCompare, selectEntries, stemOf, type DatasetEntry } from '../pipeline/index';

async function listing(folder: string): Promise<Set<string>> {
  return existsSync(folder) ? new Set(await readdir(folder)) : new Set();
}

/** Report key -> text, from `reportsFile` when given, else from the folder's own table. */
export async function readReports(root: string, reportsFile?: string): Promise<[string, string][]> {
  let file = reportsFile;
  if (file === undefined) {
    const name = reportTableName(await listing(root));
    if (name === null) throw new DatasetError(`${root}: no reports.csv or .xlsx report file`);
    file = path.join(root, name);
  }
  if (!existsSync(file)) throw new DatasetError(`${file}: no such report file`);
  return readReportTable(new Uint8Array(await readFile(file)), file);
}

/** Every report's case, in natural stem order, with its problem if any. */
export async function readDataset(root: string, reportsFile?: string): Promise<DatasetEntry[]> {
  if (!existsSync(root)) throw new DatasetError(`${root}: no such folder`);
  if (!statSync(root).isDirectory()) throw new DatasetError(`${root}: is a file; --data takes an LViT-layout folder (images/, masks/, reports.csv)`);
  const reports = await readReports(root, reportsFile);
  const [imagesDir, masksDir] = [path.join(root, 'images'), path.join(root, 'masks')];
  const [images, masks] = await Promise.all([listing(imagesDir), listing(masksDir)]);
  return matchCases(reports, { path: imagesDir, names: images }, { path: masksDir, names: masks });
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
