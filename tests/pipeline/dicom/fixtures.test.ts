/** The committed DICOM files are exactly what tests/fixtures/dicom/make-dicom.ts makes (fixed seeds, UIDs and dates). */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DESTINATIONS, makeAll } from '../../fixtures/dicom/make-dicom';

const out = mkdtempSync(path.join(tmpdir(), 'locus-dicom-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('regenerating the DICOM fixtures and samples gives the same bytes', async () => {
  const to = { samples: path.join(out, 'samples'), fixtures: path.join(out, 'fixtures') };
  await makeAll(to);
  for (const kind of ['samples', 'fixtures'] as const) {
    for (const name of readdirSync(to[kind])) {
      expect(readFileSync(path.join(to[kind], name)).equals(readFileSync(path.join(DESTINATIONS[kind], name))), `${kind}/${name}`).toBe(true);
    }
  }
  expect(readdirSync(to.fixtures).sort()).toEqual(readdirSync(DESTINATIONS.fixtures).filter((n) => n.endsWith('.dcm')).sort());
}, 60_000);
