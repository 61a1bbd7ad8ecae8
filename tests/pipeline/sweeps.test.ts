/** The workbench's sweep definitions and the location test's texts, against models/locus. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NumpyGenerator } from '../../src/pipeline/numpy-random';
import {
  locationTexts,
  settingIdentity,
  sweepSettings,
  sweepTable,
  unitHistogram,
  type LocationTexts,
} from '../../src/pipeline/sweeps';
import { parseReport } from '../../src/pipeline/report';
import { DATA_DIR } from './vectors';

interface LocationVector {
  stem: string;
  seed: number;
  report: string;
  other_regions: string | null;
  all_regions: string | null;
}

const location = JSON.parse(readFileSync(join(DATA_DIR, 'location_reports.json'), 'utf8')) as LocationVector[];

describe('NumpyGenerator', () => {
  it('draws what np.random.default_rng draws (values printed by numpy 1.24 and 2.4)', () => {
    const g = new NumpyGenerator([0, ...Array.from('case12', (c) => c.codePointAt(0)!)]);
    expect([g.random(), g.random(), g.random()]).toEqual([0.5805486043752153, 0.19521139942890353, 0.6444675483923658]);
    expect(new NumpyGenerator([0]).random()).toBe(0.6369616873214543);
    expect(new NumpyGenerator([5, 7, 9, 11, 13, 15]).random()).toBe(0.3751227461185518);
    expect(() => new NumpyGenerator([-1])).toThrow(RangeError);
  });
});

describe('locationTexts', () => {
  it('writes the very texts models/locus/evaluate.py writes for each case and seed', () => {
    expect(location.filter((v) => v.other_regions !== null).length).toBeGreaterThan(500);
    for (const v of location) {
      const expected: LocationTexts | null =
        v.other_regions === null ? null : { other_regions: v.other_regions, all_regions: v.all_regions! };
      expect(locationTexts(v.report, v.stem, v.seed), `${v.stem}: ${v.report}`).toEqual(expected);
    }
  });

  it('names exactly the complement, and all six regions, with the true count', () => {
    const report = 'Unilateral pulmonary infection, three infected areas, upper middle left lung.';
    const texts = locationTexts(report, 'case1')!;
    const labels = parseReport(report).labels;
    expect(parseReport(texts.other_regions)).toMatchObject({ readable: true, count: 3, labels: labels.map((v) => 1 - v) });
    expect(parseReport(texts.all_regions)).toMatchObject({ readable: true, count: 3, labels: [1, 1, 1, 1, 1, 1] });
  });

  it('leaves out unreadable reports and reports naming no or all regions', () => {
    expect(locationTexts('No pulmonary infection.', 'a')).toBeNull();
    expect(locationTexts('Bilateral pulmonary infection, all left lung and all right lung.', 'a')).toBeNull();
    expect(locationTexts('upper left', 'a')).toBeNull();
  });
});

describe('sweepSettings', () => {
  const base = { k: 3, theta: 0.9, kMax: 8 };

  it('lists the 8 prompt subsets of evaluate.py, k = 0..5 and the thresholds', () => {
    expect(sweepSettings('prompts', base).map((s) => s.label)).toEqual([
      'none', 'coarse', 'points', 'text', 'coarse+points', 'coarse+text', 'points+text', 'all',
    ]);
    expect(sweepSettings('k', base).map((s) => [s.key, s.prompts.k, s.prompts.theta])).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => [`k/${k}`, k, 0.9]),
    );
    expect(sweepSettings('k', { ...base, kMax: 2 }).map((s) => s.prompts.k)).toEqual([0, 1, 2]);
    expect(sweepSettings('theta', { ...base, theta: 0.85 }).map((s) => s.prompts.theta)).toEqual([
      0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95,
    ]);
    expect(sweepSettings('location', base).map((s) => [s.label, s.report])).toEqual([
      ['true_report', 'true_report'],
      ['other_regions', 'other_regions'],
      ['all_regions', 'all_regions'],
    ]);
  });

  it('gives settings that decode alike one identity (all prompts at the defaults, points off at any k)', () => {
    const all = [...sweepSettings('prompts', base), ...sweepSettings('k', base), ...sweepSettings('location', base)];
    const same = (key: string) => settingIdentity(all.find((s) => s.key === key)!);
    expect(same('prompts/all')).toBe(same('k/3'));
    expect(same('prompts/all')).toBe(same('location/true_report'));
    expect(same('prompts/all')).not.toBe(same('location/other_regions'));
    expect(same('prompts/all')).not.toBe(same('k/2'));
    const noPoints = sweepSettings('prompts', base).find((s) => s.label === 'coarse+text')!;
    expect(settingIdentity({ ...noPoints, prompts: { ...noPoints.prompts, k: 5 } })).toBe(settingIdentity(noPoints));
  });
});

describe('sweepTable and unitHistogram', () => {
  it('averages each setting over the cases it scored (population std)', () => {
    const settings = sweepSettings('location', { k: 3, theta: 0.9, kMax: 8 });
    const rows = sweepTable(settings, [
      { 'location/true_report': { dice: 0.8, iou: 0.6, points: 2 }, 'location/other_regions': { dice: 0.4, iou: 0.2, points: 0 } },
      { 'location/true_report': { dice: 0.6, iou: 0.4, points: 1 } },
    ]);
    expect(rows[0]).toMatchObject({ n: 2, points: 1.5 });
    expect(rows[0]!.dice!.mean).toBeCloseTo(0.7, 12);
    expect(rows[0]!.dice!.std).toBeCloseTo(0.1, 12);
    expect(rows[1]).toMatchObject({ n: 1, dice: { mean: 0.4, std: 0 } });
    expect(rows[2]).toMatchObject({ n: 0, dice: null, iou: null, points: null });
  });

  it('bins [0, 1] with the last bin closed and ignores NaN', () => {
    const bins = unitHistogram([0, 0.05, 0.5, 0.999, 1, NaN], 20);
    expect(bins).toHaveLength(20);
    expect(bins[0]).toEqual({ from: 0, to: 0.05, count: 1 });
    expect(bins[1]!.count).toBe(1);
    expect(bins[10]!.count).toBe(1);
    expect(bins[19]!.count).toBe(2);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(5);
  });
});
