import { describe, expect, it } from 'vitest';
import { parseCsv, readCsvColumn } from '../../src/pipeline/csv';

describe('parseCsv (Python csv, excel dialect)', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(parseCsv('a,b\r\n1,"x, ""y""\nz"\r\n')).toEqual([
      ['a', 'b'],
      ['1', 'x, "y"\nz'],
    ]);
  });

  it('skips blank lines, drops a BOM, accepts \\r line ends and a last line without one', () => {
    expect(parseCsv('\uFEFFa,b\n\n1,2\r3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps empty fields and text after a closing quote, like the non-strict reader', () => {
    expect(parseCsv('a,,\n"ab"c,d\n')).toEqual([
      ['a', '', ''],
      ['abc', 'd'],
    ]);
    expect(parseCsv('"open\n')).toEqual([['open\n']]);
  });
});

describe('readCsvColumn', () => {
  it('returns a column by header name, short rows as empty strings', () => {
    expect(readCsvColumn('Image,Description\n1.png,"left lung"\n2.png\n', 'Description')).toEqual(['left lung', '']);
  });

  it('names the missing column', () => {
    expect(() => readCsvColumn('Image,Text\n', 'Description')).toThrow(/no column 'Description'/);
  });
});
