/**
 * LViT-style report parser: free text -> six region labels. An exact port of
 * models/locus/data/report.py (`locus-report v1`); the numbered steps below are the steps of that
 * module's docstring, which is the spec. Lookups use Maps so no word can hit Object.prototype.
 */

export const PARSER_VERSION = 'locus-report v1';

/** Region order of the labels (the patient's sides), as in the manifest's `regions`. */
export const REGIONS = ['right_upper', 'right_middle', 'right_lower', 'left_upper', 'left_middle', 'left_lower'] as const;

type WordClass = 'zone' | 'all' | 'side' | 'lung' | 'and' | 'neg' | 'lat' | 'num' | 'filler' | 'unknown';
type Zone = 'upper' | 'middle' | 'lower';
type Side = 'right' | 'left';

const ZONES: readonly Zone[] = ['upper', 'middle', 'lower'];
const LOCATION_CLASSES: ReadonlySet<WordClass> = new Set<WordClass>(['zone', 'all', 'side', 'and', 'unknown']);

interface LexEntry {
  cls: WordClass;
  value: string | number;
}

interface Word extends LexEntry {
  raw: string;
}

interface Item {
  side: Side | null;
  zones: ReadonlySet<Zone>;
}

export interface ParsedReport {
  /** 0/1 per region in REGIONS order; all 0 when unreadable. */
  labels: number[];
  readable: boolean;
  /** Why the report is unreadable (the first failing check); null when readable. */
  reason: string | null;
  /** The first count word (a number word or digits); null when absent or unreadable. */
  count: number | null;
  /** 'bilateral' | 'unilateral' from the first laterality word; null when absent or unreadable. */
  laterality: string | null;
  /** How the text was read: split:, typo:, ignored:, all-with-zone, side-inferred:, laterality-conflict. */
  notes: string[];
}

const NUMBER_WORDS = (
  'zero one two three four five six seven eight nine ten eleven twelve thirteen ' +
  'fourteen fifteen sixteen seventeen eighteen nineteen twenty'
).split(' ');
const FILLERS = 'pulmonary infection infections infected area areas in the of with'.split(' ');

/** Canonical word -> (class, value). */
const LEXICON: ReadonlyMap<string, LexEntry> = new Map<string, LexEntry>([
  ...ZONES.map((z): [string, LexEntry] => [z, { cls: 'zone', value: z }]),
  ['all', { cls: 'all', value: 'all' }],
  ['left', { cls: 'side', value: 'left' }],
  ['right', { cls: 'side', value: 'right' }],
  ['lung', { cls: 'lung', value: 'lung' }],
  ['lungs', { cls: 'lung', value: 'lung' }],
  ['and', { cls: 'and', value: 'and' }],
  ['no', { cls: 'neg', value: 'no' }],
  ['bilateral', { cls: 'lat', value: 'bilateral' }],
  ['unilateral', { cls: 'lat', value: 'unilateral' }],
  ...FILLERS.map((w): [string, LexEntry] => [w, { cls: 'filler', value: w }]),
  ...NUMBER_WORDS.map((w, i): [string, LexEntry] => [w, { cls: 'num', value: i }]),
]);

/** Words a typo may be corrected to (fixed order; number words and short words excluded on purpose). */
const FUZZY_TARGETS = [
  'upper', 'middle', 'lower', 'all', 'left', 'right', 'lung', 'lungs', 'and',
  'bilateral', 'unilateral', 'pulmonary', 'infection', 'infected', 'area', 'areas',
] as const;

class Unreadable extends Error {}

function lexicon(word: string): LexEntry {
  const entry = LEXICON.get(word);
  if (entry === undefined) throw new Error(`'${word}' is not in the lexicon`);
  return entry;
}

/** Step 1: lowercase A-Z, return maximal runs of a-z and of 0-9. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let kind = '';
  for (let ch of text) {
    if (ch >= 'A' && ch <= 'Z') ch = String.fromCharCode(ch.charCodeAt(0) + 32);
    const k = ch >= 'a' && ch <= 'z' ? 'a' : ch >= '0' && ch <= '9' ? '0' : '';
    if (k !== kind && current) {
      words.push(current);
      current = '';
    }
    kind = k;
    if (k) current += ch;
  }
  if (current) words.push(current);
  return words;
}

/** True if a !== b and one substitution, insertion/deletion or adjacent swap turns a into b. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    const i = diff[0]!;
    return diff.length === 2 && diff[1] === i + 1 && a[i] === b[i + 1] && a[i + 1] === b[i];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

function sameEntry(a: LexEntry, b: LexEntry): boolean {
  return a.cls === b.cls && a.value === b.value;
}

/** Step 2: exact, split, fuzzy, else UNKNOWN (words are ASCII, so string indices are code points). */
function normalise(raw: string, notes: string[]): Word[] {
  const exact = LEXICON.get(raw);
  if (exact !== undefined) return [{ ...exact, raw }];
  if (raw[0]! >= '0' && raw[0]! <= '9') return [{ cls: 'num', value: Number(raw), raw }];
  const cuts: number[] = [];
  for (let i = 1; i < raw.length; i++) {
    if (LEXICON.has(raw.slice(0, i)) && LEXICON.has(raw.slice(i))) cuts.push(i);
  }
  if (cuts.length === 1) {
    notes.push(`split:${raw}`);
    const cut = cuts[0]!;
    return [
      { ...lexicon(raw.slice(0, cut)), raw },
      { ...lexicon(raw.slice(cut)), raw },
    ];
  }
  const targets = raw.length >= 2 ? FUZZY_TARGETS.filter((t) => withinOneEdit(raw, t)) : [];
  const first = targets[0];
  if (first !== undefined && targets.every((t) => sameEntry(lexicon(t), lexicon(first)))) {
    notes.push(`typo:${raw}=${first}`);
    return [{ ...lexicon(first), raw }];
  }
  return [{ cls: 'unknown', value: raw, raw }];
}

function isPlace(word: Word): boolean {
  return word.cls === 'zone' || word.cls === 'all' || word.cls === 'side';
}

/** Step 3: the runs of location words closed by LUNG; checks dangling runs. */
function findPhrases(words: readonly Word[], notes: string[]): Word[][] {
  const phrases: Word[][] = [];
  let run: Word[] = [];
  for (const word of [...words, { cls: 'filler', value: '<end>', raw: '' } satisfies Word]) {
    if (LOCATION_CLASSES.has(word.cls)) {
      run.push(word);
    } else if (word.cls === 'lung') {
      phrases.push(run);
      run = [];
    } else {
      if (run.some(isPlace)) throw new Unreadable("location words not followed by 'lung'");
      notes.push(...run.filter((w) => w.cls === 'unknown').map((w) => `ignored:${w.raw}`));
      run = [];
    }
  }
  return phrases;
}

/** Split a phrase at AND, dropping empty items. */
function splitItems(phrase: readonly Word[]): Word[][] {
  const items: Word[][] = [[]];
  for (const word of phrase) {
    if (word.cls === 'and') items.push([]);
    else items[items.length - 1]!.push(word);
  }
  return items.filter((item) => item.length > 0);
}

function sidesOf(item: readonly Word[]): Set<Side> {
  return new Set(item.filter((w) => w.cls === 'side').map((w) => w.value as Side));
}

/** Step 4: one phrase -> its items (side may be null). */
function phraseItems(phrase: readonly Word[], notes: string[]): Item[] {
  const unknown = phrase.find((w) => w.cls === 'unknown');
  if (unknown !== undefined) throw new Unreadable(`unknown word '${unknown.raw}' in a location`);
  let items = splitItems(phrase);
  let sides = items.map(sidesOf);
  if (sides.some((s) => s.size > 1)) throw new Unreadable('two sides in one location phrase');
  if (items.length > 1 && !sides.every((s) => s.size > 0)) {
    const onlyLast = sides.slice(0, -1).every((s) => s.size === 0) && sides[sides.length - 1]!.size > 0;
    const allPlaced = items.every((item) => item.some((w) => w.cls === 'zone' || w.cls === 'all'));
    if (!(onlyLast && allPlaced)) throw new Unreadable("'and' joins location words without a side");
    items = [items.flat()];
    sides = [sides[sides.length - 1]!];
  }
  return items.map((item, i) => itemZones(item, [...sides[i]!][0] ?? null, notes));
}

/** Zones of one item: all three for ALL or no zone word, else the named zones. */
function itemZones(item: readonly Word[], side: Side | null, notes: string[]): Item {
  const named = new Set(item.filter((w) => w.cls === 'zone').map((w) => w.value as Zone));
  const hasAll = item.some((w) => w.cls === 'all');
  if (hasAll && named.size > 0) notes.push('all-with-zone');
  return { side, zones: hasAll || named.size === 0 ? new Set(ZONES) : named };
}

/** Step 6: give a single side-less item the missing side of a bilateral report. */
function resolveSides(items: Item[], laterality: string | null, notes: string[]): Item[] {
  const sideless = items.filter((i) => i.side === null);
  if (sideless.length === 0) return items;
  const named = new Set(items.flatMap((i) => (i.side === null ? [] : [i.side])));
  if (sideless.length > 1 || laterality !== 'bilateral' || named.size !== 1) {
    throw new Unreadable('location words without a side');
  }
  const other: Side = named.has('right') ? 'left' : 'right';
  notes.push(`side-inferred:${other}`);
  return items.map((i) => (i.side === null ? { side: other, zones: i.zones } : i));
}

/** Step 7: union of (side, zones) in REGIONS order. */
function toLabels(items: readonly Item[]): number[] {
  const hits = new Set(items.flatMap((item) => [...item.zones].map((zone) => `${item.side}_${zone}`)));
  return REGIONS.map((region) => (hits.has(region) ? 1 : 0));
}

function firstValue(words: readonly Word[], cls: WordClass): string | number | null {
  return words.find((w) => w.cls === cls)?.value ?? null;
}

interface Reading {
  labels: number[];
  count: number | null;
  laterality: string | null;
}

/** Steps 1-7; throws Unreadable. */
function parse(text: string, notes: string[]): Reading {
  const words = splitWords(text).flatMap((raw) => normalise(raw, notes));
  if (words.length === 0) throw new Unreadable('empty report');
  const count = firstValue(words, 'num') as number | null;
  const laterality = firstValue(words, 'lat') as string | null;
  const phrases = findPhrases(words, notes);
  let items = phrases.flatMap((phrase) => phraseItems(phrase, notes));
  if (firstValue(words, 'neg') !== null || count === 0) {
    if (items.length > 0) throw new Unreadable('negation together with locations');
    if (laterality !== null || (count ?? 0) > 0) {
      throw new Unreadable('negation together with laterality or a count');
    }
    return { labels: REGIONS.map(() => 0), count, laterality };
  }
  if (items.length === 0) throw new Unreadable('no location');
  items = resolveSides(items, laterality, notes);
  const nSides = new Set(items.map((i) => i.side)).size;
  if ((laterality === 'bilateral' && nSides === 1) || (laterality === 'unilateral' && nSides === 2)) {
    notes.push('laterality-conflict');
  }
  return { labels: toLabels(items), count, laterality };
}

/** Parse one report into region labels (models/locus/data/report.py gives the exact rules). */
export function parseReport(text: string): ParsedReport {
  const notes: string[] = [];
  try {
    const { labels, count, laterality } = parse(text, notes);
    return { labels, readable: true, reason: null, count, laterality, notes };
  } catch (err) {
    if (!(err instanceof Unreadable)) throw err;
    return { labels: REGIONS.map(() => 0), readable: false, reason: err.message, count: null, laterality: null, notes };
  }
}

/** Labels as a "110011"-style string, or null when unreadable (the test-vector format). */
export function labelString(parsed: ParsedReport): string | null {
  return parsed.readable ? parsed.labels.join('') : null;
}
