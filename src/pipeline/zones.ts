/**
 * LViT-style location reports from zone labels: models/locus/data/zones.py `report_from_zones`
 * with `typo_rate` 0, the way the location test writes its reports. Every draw the Python makes
 * is made here in the same order from the same numpy stream (./numpy-random.ts), the typo draw
 * included (it can never fire at rate 0 but still advances the stream), so both sides write the
 * same text for the same case. Zone labels that name no region (the "No pulmonary infection"
 * texts, drawn with `integers`) are never asked for by the location test and are refused.
 */
import type { NumpyGenerator } from './numpy-random';
import { REGIONS } from './report';

const LEVELS = ['upper', 'middle', 'lower'] as const;
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** "all left lung" / "upper middle lower left lung" / "left lung" for a whole side. */
const WHOLE_SIDE_FORMS = [0.75, 0.12, 0.13];

/** Words up to nine, digits from 10 (as in the shared MedSeg reports). */
export function countWords(count: number): string {
  return count >= 0 && count < NUMBER_WORDS.length ? NUMBER_WORDS[count]! : String(count);
}

function sidePhrase(levels: string[], side: string, rng: NumpyGenerator): string {
  if (levels.length === 3) {
    const form = rng.choice(WHOLE_SIDE_FORMS);
    return [`all ${side} lung`, `upper middle lower ${side} lung`, `${side} lung`][form]!;
  }
  // "middle upper", "lower middle" occur in the real strings.
  const ordered = levels.length === 2 && rng.random() < 0.15 ? [...levels].reverse() : levels;
  return `${ordered.join(' ')} ${side} lung`;
}

/** A report true to `zones` (6 labels, REGIONS order, at least one set) and `count`. */
export function reportFromZones(zones: readonly number[], count: number, rng: NumpyGenerator): string {
  if (zones.length !== REGIONS.length) throw new RangeError(`expected ${REGIONS.length} zone labels, got ${zones.length}`);
  const right = LEVELS.filter((_, i) => zones[i] !== 0);
  const left = LEVELS.filter((_, i) => zones[3 + i] !== 0);
  if (right.length === 0 && left.length === 0) throw new RangeError('a location report names at least one region');
  const laterality = right.length > 0 && left.length > 0 ? 'Bilateral' : 'Unilateral';
  const noun = count === 1 && rng.random() < 0.5 ? 'area' : 'areas';
  const sides: string[] = [];
  for (const [levels, name] of [[left, 'left'], [right, 'right']] as const) {
    if (levels.length > 0) sides.push(sidePhrase([...levels], name, rng));
  }
  const end = rng.random() < 0.05 ? '..' : '.';
  const text = `${laterality} pulmonary infection, ${countWords(count)} infected ${noun}, ${sides.join(' and ')}${end}`;
  rng.random(); // the typo draw (typo_rate 0: never a typo)
  return text;
}
