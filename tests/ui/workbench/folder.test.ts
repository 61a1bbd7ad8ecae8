/**
 * A dataset folder from the picker or from a drop: paths relative to the picked folder's parent,
 * and a dropped folder walked through the entries API, whose directory readers hand their
 * entries over in batches (Chromium: 100 at a time) until an empty one.
 */
import { describe, expect, it } from 'vitest';
import { droppedFiles, pickedFiles } from '../../../src/ui/workbench/folder';

type Tree = { [name: string]: Tree | string };

/** A FileSystemEntry tree over `tree`, its directories read two entries a batch. */
function entry(name: string, node: Tree | string, parent = ''): FileSystemEntry {
  const fullPath = `${parent}/${name}`;
  if (typeof node === 'string') {
    const file = new File([node], name);
    return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(file) } as unknown as FileSystemEntry;
  }
  const children = Object.entries(node).map(([child, sub]) => entry(child, sub, fullPath));
  const createReader = () => {
    let at = 0;
    return { readEntries: (ok: (batch: FileSystemEntry[]) => void) => ok(children.slice(at, (at += 2))) };
  };
  return { isFile: false, isDirectory: true, name, fullPath, createReader } as unknown as FileSystemEntry;
}

const transfer = (...entries: (FileSystemEntry | null)[]) =>
  ({ items: entries.map((e) => ({ webkitGetAsEntry: () => e })) }) as unknown as DataTransfer;

describe('dataset folder files', () => {
  it('walks a dropped folder through every batch of its readers', async () => {
    const folder: Tree = {
      'reports.csv': 'Image,Description',
      images: { 'a.png': 'A', 'b.png': 'B', 'c.png': 'C' },
      masks: { 'mask_a.png': 'a', 'b.png': 'b', nested: { 'c.png': 'c' } },
    };
    const files = await droppedFiles(transfer(entry('ds', folder), null));
    expect(files.map((f) => f.path).sort()).toEqual([
      'ds/images/a.png',
      'ds/images/b.png',
      'ds/images/c.png',
      'ds/masks/b.png',
      'ds/masks/mask_a.png',
      'ds/masks/nested/c.png',
      'ds/reports.csv',
    ]);
    expect(await files.find((f) => f.path === 'ds/masks/mask_a.png')!.file.text()).toBe('a');
  });

  it('takes the picker paths from webkitRelativePath, else the name', () => {
    const inFolder = Object.assign(new File(['x'], 'a.png'), { webkitRelativePath: 'ds/images/a.png' });
    const loose = new File(['y'], 'reports.csv');
    const files = pickedFiles([inFolder, loose] as unknown as FileList);
    expect(files.map((f) => f.path)).toEqual(['ds/images/a.png', 'reports.csv']);
    expect(pickedFiles(null)).toEqual([]);
  });
});
