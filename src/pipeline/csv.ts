/**
 * CSV reading as Python's `csv.DictReader` does it with the default (excel) dialect, so that report
 * columns read here are the very strings models/locus/data/report.py `read_descriptions` sees:
 * comma separated, `"` quoting with `""` for a quote, quoted fields may hold commas and newlines,
 * records end at \r\n, \n or \r, blank lines are skipped, and a leading BOM is dropped (utf-8-sig).
 * Like Python's non-strict reader, text after a closing quote is kept (`"ab"c` -> `abc`).
 */

type State = 'startRecord' | 'startField' | 'inField' | 'inQuoted' | 'quoteInQuoted';

/** All records of a CSV text, header included, blank lines skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let state: State = 'startRecord';
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    rows.push(row);
    row = [];
    state = 'startRecord';
  };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const newline = c === '\n' || c === '\r';
    if (newline && body[i + 1] === '\n' && c === '\r' && state !== 'inQuoted') i++;
    if (state === 'startRecord') {
      if (newline) continue;
      state = 'startField';
    }
    switch (state) {
      case 'startField':
        if (newline) endRecord();
        else if (c === '"') state = 'inQuoted';
        else if (c === ',') endField();
        else {
          field += c;
          state = 'inField';
        }
        break;
      case 'inField':
        if (newline) endRecord();
        else if (c === ',') {
          endField();
          state = 'startField';
        } else field += c;
        break;
      case 'inQuoted':
        if (c === '"') state = 'quoteInQuoted';
        else field += c;
        break;
      case 'quoteInQuoted':
        if (c === '"') {
          field += c;
          state = 'inQuoted';
        } else if (c === ',') {
          endField();
          state = 'startField';
        } else if (newline) endRecord();
        else {
          field += c;
          state = 'inField';
        }
        break;
    }
  }
  // A last record without a line end (an open quote included, as Python's non-strict reader).
  if (state !== 'startRecord') endRecord();
  return rows;
}

/** One column of a CSV by header name, in row order (a short row gives ''). */
export function readCsvColumn(text: string, column: string): string[] {
  const [header, ...records] = parseCsv(text);
  const index = header?.indexOf(column) ?? -1;
  if (index < 0) {
    throw new Error(`CSV has no column '${column}' (header: ${header?.join(', ') ?? 'none'})`);
  }
  return records.map((record) => record[index] ?? '');
}
