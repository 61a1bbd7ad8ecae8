/**
 * Encoded cases on the host (the workbench's cache and the CLI's sweeps): a decoder run on an
 * encoding gives the mask `analyze`/`redecode` give, another report re-runs only the prompt
 * generator, and a sweep decodes each distinct setting once. On onnxruntime-node (CPU) and
 * onnxruntime-web's WASM build in node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationTexts, sweepSettings } from '../../src/pipeline/index';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { encodingBytes } from '../../src/runtime/case-encoding';
import { Engine } from '../../src/runtime/engine';
import { createNodeBackend } from '../../src/runtime/ort-node';
import { promptSettingsOf, sweepEncoded } from '../../src/runtime/sweep';
import { BUNDLE_DIR, fixtureRuns } from './fixture-cases';

// A default-prompt fixture whose report names some but not all regions (the location test's kind).
const run = fixtureRuns().find((r) => r.isDefault && locationTexts(r.report, r.id) !== null)!;

describe.each(['cpu', 'wasm'] as const)('encoded cases on %s', (ep) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.open(fsBundleSource(BUNDLE_DIR), await createNodeBackend(ep));
  }, 60_000);
  afterAll(async () => engine?.dispose());

  it('decodes to the masks analyze and redecode give, for several settings', async () => {
    const encoding = await engine.encodeCase(run.image, run.report);
    const analysed = await engine.analyze(run.image, run.report);
    const first = await engine.decodeCase(encoding, engine.defaultSettings());
    expect(first.mask).toEqual(analysed.mask);
    expect(first.iou).toBe(analysed.iou);
    for (const settings of [
      { ...engine.defaultSettings(), useText: false },
      { ...engine.defaultSettings(), k: 5, theta: 0.3 },
      { ...engine.defaultSettings(), useCoarse: false, usePoints: false },
    ]) {
      const [redecoded, decoded] = [await engine.redecode(settings), await engine.decodeCase(encoding, settings)];
      expect(decoded.mask).toEqual(redecoded.mask);
      expect(decoded.points).toEqual(redecoded.points);
    }
    expect(encodingBytes(encoding)).toBeGreaterThan(encoding.image.image_embedding.byteLength);
  }, 60_000);

  it('re-runs the prompt generator alone for another report, as a fresh analysis of that report does', async () => {
    const other = 'Bilateral pulmonary infection, two infected areas, all left lung and upper right lung.';
    const encoding = await engine.encodeCase(run.image, run.report);
    const reported = await engine.encodeReport(encoding, other);
    expect(reported.image.image_embedding).toBe(encoding.image.image_embedding);
    expect(reported.report.text_prompt).not.toEqual(encoding.report.text_prompt);
    const fresh = await engine.analyze(run.image, other);
    expect(reported.coarse.logits).toEqual(fresh.coarse.logits);
    expect(reported.gpfc).toEqual(fresh.gpfc);
    expect((await engine.decodeCase(reported, engine.defaultSettings())).mask).toEqual(fresh.mask);
  }, 60_000);

  it('scores every setting of a sweep, the location test only on an eligible report', async () => {
    const encoding = await engine.encodeCase(run.image, run.report);
    const truth = (await engine.decodeCase(encoding, engine.defaultSettings())).mask;
    const base = engine.defaultSettings();
    const plan = ['prompts', 'k', 'location'].flatMap((kind) =>
      sweepSettings(kind as 'prompts', { k: base.k, theta: base.theta, kMax: engine.manifest.prompts.k_max }),
    );
    const scores = await sweepEncoded(engine, { id: run.id, report: run.report, encoding, truth }, plan, base);
    expect(Object.keys(scores)).toEqual(plan.map((s) => s.key));
    // The truth is the default mask itself, so every setting equal to the defaults scores exactly 1.
    expect(scores['prompts/all']).toMatchObject({ dice: 1, iou: 1 });
    expect(scores[`k/${base.k}`]).toBe(scores['prompts/all']);
    for (const setting of plan.filter((s) => s.sweep === 'prompts')) {
      const decoded = await engine.decodeCase(encoding, promptSettingsOf(setting, base));
      expect(scores[setting.key]!.points).toBe(decoded.points.length);
    }
    const other = scores['location/other_regions']!;
    expect(other).toMatchObject({ readable: true, gpfcAgreement: expect.any(Number) });
    expect(other.dice).not.toBe(1);
    const unreadable = 'Bilateral pulmonary infection, two infected areas, upper left.';
    const ineligible = await sweepEncoded(engine, { id: run.id, report: unreadable, encoding, truth }, plan, base);
    expect(Object.keys(ineligible)).toEqual(plan.filter((s) => s.sweep !== 'location').map((s) => s.key));
    expect(ineligible['prompts/all']).toMatchObject({ readable: false, gpfcAgreement: null });
  }, 60_000);
});
