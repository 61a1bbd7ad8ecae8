/** LViT datasets from names and bytes: report tables (CSV, .xlsx through read-excel-file) and case matching. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import {
  datasetLayout,
  matchCases,
  naturalCompare,
  parseCsv,
  readReportTable,
  readXlsxRows,
  reportTableName,
  selectEntries,
  stemOf,
} from '../../src/pipeline/index';
import { xlsxBytes } from '../cli/lvit-folder';

describe('report tables', () => {
  it('reads shared and inline strings and entities from an .xlsx', async () => {
    const rows = await readXlsxRows(xlsxBytes([['a & b.png', 'Left <lung>, "two" areas.'], ['c.png', '']]));
    expect(rows).toEqual([
      ['Image', 'Description'],
      ['a & b.png', 'Left <lung>, "two" areas.'],
      ['c.png', ''],
    ]);
  });

  it('reads CSV (BOM dropped) and .xlsx tables to trimmed (key, text) pairs', async () => {
    const csv = strToU8('\uFEFFImage,Description\n a.png , Left lung. \n');
    expect(await readReportTable(csv, 'reports.csv')).toEqual([['a.png', 'Left lung.']]);
    expect(await readReportTable(xlsxBytes([['b.png', 'x']]), 'T.xlsx')).toEqual([['b.png', 'x']]);
    await expect(readReportTable(strToU8('Name,Text\n'), 'r.csv')).rejects.toThrow('r.csv: needs the columns Image and Description');
  });

  it('names a file that is not an .xlsx, or a zip that holds no workbook', async () => {
    await expect(readReportTable(strToU8('Image,Description\n'), 'T.xlsx')).rejects.toThrow(/^T\.xlsx: not a readable \.xlsx/);
    const zip = zipSync({ 'a.txt': strToU8('x') });
    await expect(readReportTable(zip, 'T.xlsx')).rejects.toThrow(/^T\.xlsx: not a readable \.xlsx/);
  });

  const lvit = '/work/shared/data/reports/mosmedplus';
  it.skipIf(!existsSync(lvit))("reads LViT's published Test_text.xlsx as its CSV twin", async () => {
    const rows = await readXlsxRows(new Uint8Array(readFileSync(path.join(lvit, 'Test_text.xlsx'))));
    const csv = parseCsv(readFileSync(path.join(lvit, 'Test_text.csv'), 'utf8'));
    const trim = (r: string[]) => r.slice(0, 2).map((c) => c.trim());
    expect(rows.filter((r) => r.some((c) => c !== '')).map(trim)).toEqual(csv.filter((r) => r.length > 1).map(trim));
  });

  it('picks reports.csv, else the first .xlsx by name', () => {
    expect(reportTableName(['b.xlsx', 'reports.csv', 'a.xlsx'])).toBe('reports.csv');
    expect(reportTableName(['images', 'b.xlsx', 'A.XLSX'])).toBe('A.XLSX');
    expect(reportTableName(['images', 'notes.txt'])).toBeNull();
  });
});

describe('matchCases', () => {
  const folder = (p: string, names: string[]) => ({ path: p, names: new Set(names) });

  it('pairs by stem (mask_ prefix, any suffix), naturally ordered, with the problems named', () => {
    const entries = matchCases(
      [['mask_case2.png', 'a'], ['case10.jpg', 'b'], ['case3.png', 'c'], ['case4.png', 'd'], ['case5.png', ''], ['case6', 'f']],
      folder('d/images', ['case2.png', 'case10.jpg', 'case3.png', 'case5.png', 'case6.gif', 'case6.x.png']),
      folder('d/masks', ['mask_case2.png', 'case10.png', 'case5.png', 'case6.png']),
    );
    expect(entries.map((e) => [e.stem, e.image, e.mask, e.problem])).toEqual([
      ['case2', 'd/images/case2.png', 'd/masks/mask_case2.png', null],
      ['case3', 'd/images/case3.png', null, 'd/images/case3.png: no mask with the same stem in d/masks'],
      ['case4', null, null, 'd/images/case4.*: report has no image'],
      ['case5', 'd/images/case5.png', 'd/masks/case5.png', 'd/images/case5.png: empty report'],
      ['case6', 'd/images/case6.gif', 'd/masks/case6.png', null],
      ['case10', 'd/images/case10.jpg', 'd/masks/case10.png', null],
    ]);
  });

  it('keeps the listed stems only, and refuses a stem with no report', () => {
    const entries = matchCases([['a.png', 'x'], ['b.png', 'y']], folder('i', ['a.png', 'b.png']), folder('m', ['a.png', 'b.png']));
    expect(selectEntries(entries, ['b']).map((e) => e.stem)).toEqual(['b']);
    expect(() => selectEntries(entries, ['b', 'zz'])).toThrow('no report for the listed case(s) zz');
  });

  it('strips folders, one suffix and the mask_ prefix from keys; sorts naturally', () => {
    expect([stemOf('mask_a.png'), stemOf('b.jpeg'), stemOf('c'), stemOf('x/y.z.png'), stemOf('.png')]).toEqual(['a', 'b', 'c', 'y.z', '.png']);
    expect(['x10', 'x2', 'x1'].sort(naturalCompare)).toEqual(['x1', 'x2', 'x10']);
  });
});

describe('datasetLayout', () => {
  it('finds images/, masks/ and the report table under the picked folder', () => {
    const layout = datasetLayout(['ds/images/a.png', 'ds/masks/a.png', 'ds/reports.csv', 'ds/notes/x.txt', 'ds/images/sub/b.png']);
    expect(layout.root).toBe('ds');
    expect(layout.table).toBe('ds/reports.csv');
    expect([...layout.images.names]).toEqual(['a.png']);
    expect(layout.images.path).toBe('ds/images');
    expect([...layout.masks.names]).toEqual(['a.png']);
  });

  it('takes the shallowest dataset, a folder dropped as its contents, and refuses two side by side', () => {
    expect(datasetLayout(['images/a.png', 'Test.xlsx'])).toMatchObject({ root: '', table: 'Test.xlsx' });
    expect(datasetLayout(['p/d/images/a.png', 'p/d/x/images/b.png']).root).toBe('p/d');
    expect(datasetLayout(['d/images/a.png']).table).toBeNull();
    expect(() => datasetLayout(['p/train/images/a.png', 'p/test/images/b.png'])).toThrow(
      'the folder holds 2 datasets (p/test, p/train): choose one of them',
    );
    expect(() => datasetLayout(['d/a.png'])).toThrow(/no images\/ folder/);
  });
});
