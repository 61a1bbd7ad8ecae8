/** The .xlsx reader and the LViT folder reader of the CLI. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/pipeline/index';
import { naturalCompare, readDataset, stemOf } from '../../src/cli/dataset';
import { columnIndex, decodeXmlText, readXlsxRows } from '../../src/cli/xlsx';
import { tempDir, xlsxBytes } from './lvit-folder';

describe('readXlsxRows', () => {
  it('reads shared and inline strings, entities and sparse cells', () => {
    const rows = readXlsxRows(xlsxBytes([['a & b.png', 'Left <lung>, "two" areas.'], ['c.png', '']]));
    expect(rows).toEqual([
      ['Image', 'Description'],
      ['a & b.png', 'Left <lung>, "two" areas.'],
      ['c.png', ''],
    ]);
  });

  it('decodes numeric entities and column letters', () => {
    expect(decodeXmlText('&#65;&#x42;&lt;&unknown;')).toBe('AB<&unknown;');
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AB12')]).toEqual([0, 25, 27]);
  });

  it('rejects a file that is not a zip', () => {
    expect(() => readXlsxRows(new TextEncoder().encode('Image,Description\n'))).toThrow(/not an \.xlsx/);
  });

  const lvit = '/work/shared/data/reports/mosmedplus';
  it.skipIf(!existsSync(lvit))("reads LViT's published Test_text.xlsx as its CSV twin", () => {
    const rows = readXlsxRows(new Uint8Array(readFileSync(path.join(lvit, 'Test_text.xlsx'))));
    const csv = parseCsv(readFileSync(path.join(lvit, 'Test_text.csv'), 'utf8').replace(/^\uFEFF/, ''));
    const trim = (r: string[]) => r.slice(0, 2).map((c) => c.trim());
    expect(rows.filter((r) => r.length > 0).map(trim)).toEqual(csv.filter((r) => r.length > 1).map(trim));
  });
});

describe('readDataset', () => {
  it('pairs images and masks by stem (mask_ prefix too) in natural order, with problems', async () => {
    const root = tempDir('dataset');
    mkdirSync(path.join(root, 'images'));
    mkdirSync(path.join(root, 'masks'));
    for (const name of ['case2.png', 'case10.jpg', 'case3.png']) writeFileSync(path.join(root, 'images', name), '');
    for (const name of ['mask_case2.png', 'case10.png']) writeFileSync(path.join(root, 'masks', name), '');
    writeFileSync(
      path.join(root, 'reports.csv'),
      '\uFEFFImage,Description\nmask_case2.png,a\ncase10.jpg,b\ncase3.png,c\ncase4.png,d\n',
    );
    const entries = await readDataset(root);
    expect(entries.map((e) => e.stem)).toEqual(['case2', 'case3', 'case4', 'case10']);
    expect(entries[0]).toMatchObject({ report: 'a', problem: null, mask: path.join(root, 'masks', 'mask_case2.png') });
    expect(entries[1]?.problem).toMatch(/images\/case3\.png: no mask with the same stem/);
    expect(entries[2]?.problem).toMatch(/images\/case4\.\*: report has no image/);
    expect(entries[3]).toMatchObject({ problem: null, image: path.join(root, 'images', 'case10.jpg') });
  });

  it('strips extensions and the mask_ prefix from report keys', () => {
    expect([stemOf('mask_a.png'), stemOf('b.jpeg'), stemOf('c')]).toEqual(['a', 'b', 'c']);
    expect(['x10', 'x2', 'x1'].sort(naturalCompare)).toEqual(['x1', 'x2', 'x10']);
  });
});
