import { describe, expect, it } from 'vitest';
import { disagrees, regionLabel, regionPlace, summarizeRegions } from '../../../src/ui/location/lung-regions';

describe('lung regions', () => {
  it('places regions by name, not by order', () => {
    expect(regionPlace('right_upper')).toEqual({ side: 'right', zone: 'upper' });
    expect(regionPlace('left_middle')).toEqual({ side: 'left', zone: 'middle' });
    expect(regionPlace('Left-Lower')).toEqual({ side: 'left', zone: 'lower' });
    expect(regionPlace('whole_lung')).toBeNull();
    expect(regionLabel('right_lower')).toBe('Right lower');
    expect(regionLabel('whole_lung')).toBe('whole_lung');
  });

  it('flags a stage on the other side of the threshold from the report', () => {
    expect(disagrees(0.7, 0, 0.5)).toBe(true);
    expect(disagrees(0.5, 1, 0.5)).toBe(false);
    expect(disagrees(0.49, 1, 0.5)).toBe(true);
    expect(disagrees(0.9, null, 0.5)).toBe(false);
  });

  it('summarises each region across the stages', () => {
    const rows = summarizeRegions(['left_upper', 'right_upper'], [1, 0], [[0.2, 0.1], [0.8, 0.6]], 0.5);
    expect(rows[0]).toMatchObject({ label: 'Left upper', parsed: 1, probabilities: [0.2, 0.8], disagreements: [true, false] });
    expect(rows[1]).toMatchObject({ parsed: 0, probabilities: [0.1, 0.6], disagreements: [false, true] });
    const unread = summarizeRegions(['left_upper'], null, null, 0.5);
    expect(unread[0]).toMatchObject({ parsed: null, probabilities: [], disagreements: [] });
  });
});
