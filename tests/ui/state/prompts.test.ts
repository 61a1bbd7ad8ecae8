import { beforeEach, describe, expect, it } from 'vitest';
import { imagePoint } from '../../../src/pipeline/types';
import { settingsKey, usePrompts } from '../../../src/ui/state/prompts';

const defaults = { k: 3, theta: 0.9, useCoarse: true, usePoints: true, useText: true, userPoints: [] };
const state = () => usePrompts.getState();

beforeEach(() => state().setDefaults(defaults));

describe('prompt settings history', () => {
  it('undoes and redoes toggles and points one step at a time', () => {
    state().toggle('useText', false);
    state().addPoint(imagePoint(10, 20), 1);
    state().addPoint(imagePoint(30, 40), 0);
    expect(state().settings.userPoints.map((p) => p.label)).toEqual([1, 0]);
    state().undo();
    expect(state().settings.userPoints).toHaveLength(1);
    state().undo();
    expect(state().settings).toMatchObject({ useText: false, userPoints: [] });
    state().undo();
    expect(state().settings.useText).toBe(true);
    state().undo();
    expect(state().settings).toEqual(defaults);
    state().redo();
    state().redo();
    expect(state().settings.userPoints).toHaveLength(1);
    state().toggle('useCoarse', false);
    expect(state().future).toEqual([]);
  });

  it('merges a slider drag into one step but not two different sliders', () => {
    state().slide('theta', 0.8);
    state().slide('theta', 0.7);
    state().slide('theta', 0.5);
    state().slide('k', 8);
    expect(state().past).toHaveLength(2);
    state().undo();
    expect(state().settings).toMatchObject({ k: 3, theta: 0.5 });
    state().undo();
    expect(state().settings.theta).toBe(0.9);
  });

  it('moves a point as one step and resets to the model points undoably', () => {
    state().addPoint(imagePoint(1, 1), 1);
    state().movePoint(0, imagePoint(5, 6));
    expect(state().settings.userPoints[0]?.point).toEqual({ x: 5, y: 6 });
    state().slide('k', 5);
    state().reset();
    expect(state().settings).toEqual(defaults);
    state().undo();
    expect(state().settings).toMatchObject({ k: 5, userPoints: [{ label: 1 }] });
  });

  it('ignores changes that change nothing and clears points for a new image', () => {
    state().toggle('usePoints', true);
    expect(state().past).toEqual([]);
    state().addPoint(imagePoint(1, 1), 1);
    state().clearPoints();
    expect(state()).toMatchObject({ past: [], future: [], settings: defaults });
  });

  it('keys settings by value', () => {
    expect(settingsKey(defaults)).toBe(settingsKey({ ...defaults, userPoints: [] }));
    expect(settingsKey(defaults)).not.toBe(settingsKey({ ...defaults, theta: 0.5 }));
  });
});
