import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvColumn } from '../../src/pipeline/csv';
import { labelString, parseReport, splitWords, withinOneEdit } from '../../src/pipeline/report';
import { ROOT } from './bundle';
import { vectors as mutated } from './vectors';

interface FileVector {
  row: number;
  sha1: string;
  labels: string | null;
}

const vectors = JSON.parse(readFileSync(join(ROOT, 'models/tests/vectors/report_labels.json'), 'utf8')) as {
  parser: string;
  files: Record<string, FileVector[]>;
  synthetic: { text: string; labels: string | null }[];
};

const SHARED_DATA = join(ROOT, '..', 'shared', 'data');
const hasShared = existsSync(SHARED_DATA);

describe('splitWords and withinOneEdit', () => {
  it('lowercases A-Z and keeps runs of letters and of digits apart', () => {
    expect(splitWords('Two-3rd LUNGS, é 10x')).toEqual(['two', '3', 'rd', 'lungs', '10', 'x']);
  });

  it('accepts one substitution, insertion, deletion or adjacent swap', () => {
    expect(withinOneEdit('lefy', 'left')).toBe(true);
    expect(withinOneEdit('lft', 'left')).toBe(true);
    expect(withinOneEdit('lefft', 'left')).toBe(true);
    expect(withinOneEdit('lfet', 'left')).toBe(true);
    expect(withinOneEdit('left', 'left')).toBe(false);
    expect(withinOneEdit('flet', 'left')).toBe(false);
  });
});

describe('parseReport', () => {
  it('reads the LViT grammar into REGIONS order with count and laterality', () => {
    const parsed = parseReport('Bilateral pulmonary infection, two infected areas, upper middle left lung and lower right lung.');
    expect(parsed).toEqual({
      labels: [0, 0, 1, 1, 1, 0],
      readable: true,
      reason: null,
      count: 2,
      laterality: 'bilateral',
      notes: [],
    });
  });

  it('reports why a text is unreadable instead of guessing', () => {
    const parsed = parseReport('Bilateral pneumonia, upper left.');
    expect(parsed.readable).toBe(false);
    expect(parsed.reason).toBe("location words not followed by 'lung'");
    expect(parsed.labels).toEqual([0, 0, 0, 0, 0, 0]);
    expect(labelString(parsed)).toBeNull();
    expect(parseReport('').reason).toBe('empty report');
  });

  it('notes splits and typos, and is safe against Object.prototype names', () => {
    expect(parseReport('upper lowerright lung').notes).toEqual(['split:lowerright']);
    expect(parseReport('midle left lung').notes).toEqual(['typo:midle=middle']);
    expect(parseReport('constructor toString lung').reason).toBe("unknown word 'constructor' in a location");
  });
});

describe(`parseReport matches the synthetic vectors (${vectors.parser})`, () => {
  it.each(vectors.synthetic.map((v, i) => [i, JSON.stringify(v.text).slice(0, 70), v] as const))(
    '%i %s',
    (_i, _t, vector) => {
      expect(labelString(parseReport(vector.text))).toBe(vector.labels);
    },
  );
});

describe('parseReport matches parse_report on mutated reports (reason, count, laterality, notes)', () => {
  it.each(mutated.reports.map((v, i) => [i, JSON.stringify(v.text).slice(0, 70), v] as const))('%i %s', (_i, _t, v) => {
    const { text, ...expected } = v;
    expect(parseReport(text)).toEqual(expected);
  });
});

describe('parseReport matches the vectors of the shared report files', () => {
  it.skipIf(!hasShared)(`all ${Object.keys(vectors.files).length} files (needs ../shared/data)`, () => {
    let checked = 0;
    for (const [file, rows] of Object.entries(vectors.files)) {
      const texts = readCsvColumn(readFileSync(join(SHARED_DATA, file), 'utf8'), 'Description');
      expect(texts.length, file).toBe(rows.length);
      for (const vector of rows) {
        const text = texts[vector.row]!;
        expect(createHash('sha1').update(text, 'utf8').digest('hex'), `${file} row ${vector.row} text`).toBe(vector.sha1);
        expect(labelString(parseReport(text)), `${file} row ${vector.row}: ${text}`).toBe(vector.labels);
        checked++;
      }
    }
    console.info(`[report] ${checked} shared report strings parsed identically`);
    expect(checked).toBeGreaterThan(4000);
  });
});
