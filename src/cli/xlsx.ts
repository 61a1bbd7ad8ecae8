/**
 * The first worksheet of an .xlsx as rows of strings: enough for LViT's report tables
 * (columns Image, Description), as models/locus/data/dataset.py `_xlsx_rows` reads them.
 * Unzipped with fflate; the XML is read with regular expressions (shared strings, inline
 * strings, plain values), no DOM.
 */
import { strFromU8, unzipSync } from 'fflate';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/** Concatenated text of every <t> element in a fragment (rich text runs included). */
function textRuns(fragment: string): string {
  let out = '';
  for (const match of fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += decodeXmlText(match[1] ?? '');
  return out;
}

function sharedStrings(xml: string | undefined): string[] {
  if (xml === undefined) return [];
  return Array.from(xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g), (m) => textRuns(m[1] ?? ''));
}

/** "AB12" -> 27 (0-based column of the cell reference). */
export function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A';
  let index = 0;
  for (const ch of letters) index = index * 26 + ch.charCodeAt(0) - 64;
  return index - 1;
}

function attribute(attrs: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
}

function cellValue(attrs: string, body: string, shared: readonly string[]): string {
  const type = attribute(attrs, 't');
  const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (type === 's' && value !== undefined) return shared[Number(value)] ?? '';
  if (type === 'inlineStr') return textRuns(body);
  return value === undefined ? '' : decodeXmlText(value);
}

function parseRow(rowXml: string, shared: readonly string[]): string[] {
  const cells = new Map<number, string>();
  let next = 0;
  for (const match of rowXml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = match[1] ?? '';
    const ref = attribute(attrs, 'r');
    const col = ref === undefined ? next : columnIndex(ref);
    cells.set(col, cellValue(attrs, match[2] ?? '', shared));
    next = col + 1;
  }
  if (cells.size === 0) return [];
  return Array.from({ length: Math.max(...cells.keys()) + 1 }, (_, i) => cells.get(i) ?? '');
}

/** Rows of the first worksheet (by name order), as strings; throws on a file that is not an .xlsx. */
export function readXlsxRows(bytes: Uint8Array): string[][] {
  let files: Record<string, Uint8Array>;
  try {
    const wanted = (name: string) => name === 'xl/sharedStrings.xml' || /^xl\/worksheets\/sheet\d+\.xml$/.test(name);
    files = unzipSync(bytes, { filter: (f) => wanted(f.name) });
  } catch (error) {
    throw new Error(`not an .xlsx (zip) file: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const sheetName = Object.keys(files).filter((n) => n.startsWith('xl/worksheets/')).sort()[0];
  if (sheetName === undefined) throw new Error('the .xlsx has no worksheet');
  const shared = sharedStrings(files['xl/sharedStrings.xml'] && strFromU8(files['xl/sharedStrings.xml']));
  const sheet = strFromU8(files[sheetName]!);
  return Array.from(sheet.matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g), (m) => parseRow(m[1] ?? '', shared));
}
