/** The CLI's LViT folder reader: a folder on disk through pipeline/dataset.ts. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readDataset, readReports } from '../../src/cli/dataset';
import { tempDir, xlsxBytes } from './lvit-folder';

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

  it('reads the first .xlsx by name when there is no reports.csv, and --reports instead of both', async () => {
    const root = tempDir('dataset-xlsx');
    writeFileSync(path.join(root, 'b.xlsx'), xlsxBytes([['x.png', 'from b']]));
    writeFileSync(path.join(root, 'a.xlsx'), xlsxBytes([['x.png', 'from a']]));
    expect(await readReports(root)).toEqual([['x.png', 'from a']]);
    const other = path.join(root, 'other.csv');
    writeFileSync(other, 'Image,Description\ny.png,other\n');
    expect(await readReports(root, other)).toEqual([['y.png', 'other']]);
    await expect(readReports(root, path.join(root, 'none.csv'))).rejects.toThrow(/none\.csv: no such report file/);
    await expect(readReports(tempDir('dataset-empty'))).rejects.toThrow(/no reports\.csv or \.xlsx report file/);
  });
});
