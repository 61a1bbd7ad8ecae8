/** The shared evaluation loop: scores, per-case errors that name files, cancelling between cases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { Engine } from '../../src/runtime/engine';
import { evaluateCases, type EvalCaseInput } from '../../src/runtime/evaluate';
import { createNodeBackend } from '../../src/runtime/ort-node';
import { BUNDLE_DIR, fixtureRuns } from './fixture-cases';

const runs = fixtureRuns().filter((r) => r.isDefault);

/** Each default fixture case scored against its own final mask: Dice and IoU are exactly 1. */
function cases(): EvalCaseInput[] {
  return runs.map((r) => ({
    id: r.id,
    image: new Uint8Array(readFileSync(r.imageFile)),
    mask: { width: r.image.width, height: r.image.height, channels: 1, bitDepth: 8, data: r.finalMask },
    report: r.report,
    imageName: r.imageFile,
  }));
}

describe('evaluateCases', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.open(fsBundleSource(BUNDLE_DIR), await createNodeBackend('cpu'));
  }, 60_000);
  afterAll(async () => engine?.dispose());

  it('scores every case and streams each result', async () => {
    const streamed: string[] = [];
    const { rows, summary } = await evaluateCases(engine, cases(), engine.defaultSettings(), {
      onCase: (row) => void streamed.push(row.id),
    });
    expect(streamed).toEqual(runs.map((r) => r.id));
    expect(rows.every((r) => r.error === null && r.dice === 1 && r.iou === 1)).toBe(true);
    expect(summary).toMatchObject({ cases: runs.length, meanDice: 1, meanIou: 1, errors: [], cancelled: false });
  }, 60_000);

  it('turns bad cases into one-line errors naming the file and goes on', async () => {
    const [good] = cases();
    const bad: EvalCaseInput[] = [
      { ...good!, id: 'cut', imageName: 'images/cut.png', image: (good!.image as Uint8Array).subarray(0, 100) },
      {
        ...good!,
        id: 'small',
        maskName: 'masks/small.png',
        mask: { width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array(4) },
      },
      { ...good!, id: 'quiet', report: ' ' },
      { ...good!, id: 'known', problem: 'images/known.png: no such file' },
      good!,
    ];
    const { rows, summary } = await evaluateCases(engine, bad, engine.defaultSettings());
    expect(rows.map((r) => r.error)).toEqual([
      expect.stringMatching(/^images\/cut\.png: corrupt PNG/),
      expect.stringMatching(/^masks\/small\.png: mask is 2x2, .* is \d+x\d+$/),
      expect.stringMatching(/: empty report$/),
      'images/known.png: no such file',
      null,
    ]);
    expect(rows.every((r) => r.error === null || !r.error.includes('\n'))).toBe(true);
    expect(summary.cases).toBe(1);
    expect(summary.errors).toHaveLength(4);
  }, 60_000);

  it('stops between cases when asked', async () => {
    let seen = 0;
    const { rows, summary } = await evaluateCases(engine, cases(), engine.defaultSettings(), {
      onCase: () => void seen++,
      shouldStop: () => seen >= 1,
    });
    expect(rows).toHaveLength(1);
    expect(summary.cancelled).toBe(runs.length > 1);
  }, 60_000);
});
