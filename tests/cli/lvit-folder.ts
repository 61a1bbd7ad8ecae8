/**
 * Small LViT-layout folders for the CLI tests, made in a temp dir from public/samples:
 * images/, masks/ (some with the `mask_` prefix), and reports.csv or reports.xlsx.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';

export const SAMPLES_DIR = path.resolve('public/samples');

export interface Sample {
  id: string;
  image: string;
  mask: string;
  report: string;
  width: number;
  height: number;
}

export function samples(): Sample[] {
  return JSON.parse(readFileSync(path.join(SAMPLES_DIR, 'index.json'), 'utf8')) as Sample[];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `locus-${prefix}-`));
}

/** Temporary folders of one test file: `make` one (or `add` one made elsewhere), `removeAll` in afterAll. */
export function scratchDirs() {
  const made: string[] = [];
  return {
    make(prefix: string): string {
      const dir = tempDir(prefix);
      made.push(dir);
      return dir;
    },
    add(dir: string): string {
      made.push(dir);
      return dir;
    },
    removeAll(): void {
      made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    },
  };
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function writeReportsCsv(root: string, rows: [string, string][]): void {
  const lines = ['Image,Description', ...rows.map(([k, v]) => `${csvField(k)},${csvField(v)}`)];
  writeFileSync(path.join(root, 'reports.csv'), `${lines.join('\n')}\n`);
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const SPREADSHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The package parts a spreadsheet reader needs to find the one worksheet and its shared strings. */
function workbookParts(): Record<string, string> {
  const type = (name: string) => `application/vnd.openxmlformats-officedocument.spreadsheetml.${name}+xml`;
  return {
    '[Content_Types].xml':
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${type('sheet.main')}"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${type('worksheet')}"/>` +
      `<Override PartName="/xl/sharedStrings.xml" ContentType="${type('sharedStrings')}"/></Types>`,
    '_rels/.rels':
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS_NS}">` +
      `<Relationship Id="rId1" Type="${RELATIONSHIPS_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `${XML_HEAD}<workbook xmlns="${SPREADSHEET_NS}" xmlns:r="${RELATIONSHIPS_NS}">` +
      '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS_NS}">` +
      `<Relationship Id="rId1" Type="${RELATIONSHIPS_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${RELATIONSHIPS_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  };
}

/** A minimal .xlsx: the header and keys as shared strings, the reports as inline strings. */
export function xlsxBytes(rows: [string, string][]): Uint8Array {
  const shared = ['Image', 'Description', ...rows.map(([k]) => k)];
  const sst = `${XML_HEAD}<sst xmlns="${SPREADSHEET_NS}">${shared.map((s) => `<si><t>${xmlEscape(s)}</t></si>`).join('')}</sst>`;
  const cells = rows.map(
    ([, text], i) =>
      `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>${i + 2}</v></c>` +
      `<c r="B${i + 2}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(text)}</t></is></c></row>`,
  );
  const sheet =
    `${XML_HEAD}<worksheet xmlns="${SPREADSHEET_NS}"><sheetData>` +
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
    cells.join('') +
    '</sheetData></worksheet>';
  const parts = { ...workbookParts(), 'xl/sharedStrings.xml': sst, 'xl/worksheets/sheet1.xml': sheet };
  return zipSync(Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(xml)])));
}

/** An LViT folder holding the given samples; every other mask gets the `mask_` prefix. */
export function lvitFolder(chosen: Sample[], reports: 'csv' | 'xlsx'): string {
  const root = tempDir('lvit');
  mkdirSync(path.join(root, 'images'));
  mkdirSync(path.join(root, 'masks'));
  chosen.forEach((s, i) => {
    copyFileSync(path.join(SAMPLES_DIR, s.image), path.join(root, 'images', `${s.id}.png`));
    copyFileSync(path.join(SAMPLES_DIR, s.mask), path.join(root, 'masks', `${i % 2 === 1 ? 'mask_' : ''}${s.id}.png`));
  });
  const rows: [string, string][] = chosen.map((s) => [`${s.id}.png`, s.report]);
  if (reports === 'csv') writeReportsCsv(root, rows);
  else writeFileSync(path.join(root, 'Test_text.xlsx'), xlsxBytes(rows));
  return root;
}
