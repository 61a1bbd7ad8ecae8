/**
 * Sweeps on an encoded case: every setting re-runs only the decoder on the case's encoding; the
 * location test's two other reports each run the prompt generator once more (the graph reads the
 * image and the text together) but never the SAM image encoder. Settings that decode alike (all
 * prompts at the defaults appear in every sweep) are decoded once.
 */
import { locationTexts, settingIdentity, type LocationReport, type SweepSetting } from '../pipeline/index';
import type { CaseEncoding } from './case-encoding';
import type { Engine } from './engine';
import { scoreDecode, type CaseScores } from './scores';
import type { PromptSettings } from './results';

/** A case ready for the decoder: its encoding (of its own report) and binary ground truth. */
export interface SweepCase {
  /** The case's stem: it seeds the location test's reports. */
  id: string;
  report: string;
  encoding: CaseEncoding;
  truth: Uint8Array;
}

/** The engine's prompt settings for a sweep setting (no user points). */
export function promptSettingsOf(setting: SweepSetting, base: PromptSettings): PromptSettings {
  return { ...base, ...setting.prompts, userPoints: [] };
}

/**
 * Scores of `settings` on one case, by setting key. A location setting is scored only on a case
 * eligible for the location test (a readable report naming some but not all regions).
 */
export async function sweepEncoded(
  engine: Engine,
  c: SweepCase,
  settings: readonly SweepSetting[],
  base: PromptSettings,
): Promise<Record<string, CaseScores>> {
  const texts = settings.some((s) => s.sweep === 'location') ? locationTexts(c.report, c.id) : null;
  const reports: Partial<Record<LocationReport, { text: string; encoding: CaseEncoding }>> = {
    true_report: { text: c.report, encoding: c.encoding },
  };
  const byIdentity = new Map<string, CaseScores>();
  const out: Record<string, CaseScores> = {};
  for (const setting of settings) {
    if (setting.sweep === 'location' && texts === null) continue;
    if (setting.report !== 'true_report' && reports[setting.report] === undefined) {
      const text = texts![setting.report];
      reports[setting.report] = { text, encoding: await engine.encodeReport(c.encoding, text) };
    }
    const identity = settingIdentity(setting);
    let scores = byIdentity.get(identity);
    if (scores === undefined) {
      const { text, encoding } = reports[setting.report]!;
      scores = scoreDecode(await engine.decodeCase(encoding, promptSettingsOf(setting, base)), encoding, text, c.truth);
      byIdentity.set(identity, scores);
    }
    out[setting.key] = scores;
  }
  return out;
}
