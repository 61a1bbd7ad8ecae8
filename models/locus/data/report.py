"""LViT-style report parser: free text -> 6 region labels; `src/pipeline/report.ts` ports it.

Grammar of the reports (LViT, QaTa-COV19 / MosMedData+):
    "Bilateral pulmonary infection, two infected areas, upper middle left lung and lower right
    lung."  /  "No pulmonary infection, zero infected areas."
A header (laterality, count, filler words) is followed by location phrases, each ending in "lung".

Spec (version `locus-report v1`; the TS port follows it step by step):
1. Words. Map A-Z to a-z (no other case mapping). A word is a maximal run of a-z, or a maximal
   run of 0-9; every other character (punctuation, space, non-ASCII) only separates words.
2. Normalise each word, first rule that applies:
   a. exact: the word is a key of LEXICON -> its (class, value).
   b. split: exactly one cut w = p + s with p and s both keys of LEXICON -> the two entries
      (note `split:w`), e.g. "lowerright" -> lower, right.
   c. fuzzy: the word has >= 2 letters and the entries of the FUZZY_TARGETS within one edit
      (one substitution, insertion, deletion, or swap of two adjacent letters) all share one
      (class, value) -> that entry (note `typo:w=target`, first target in FUZZY_TARGETS order).
   d. otherwise class UNKNOWN.
   Only FUZZY_TARGETS are typo targets: number words, digit runs and "no" match exactly only.
3. Runs. Scan the normalised words left to right, keeping a run of location words (ZONE, ALL,
   SIDE, AND, UNKNOWN). A LUNG word closes the run as a *phrase*; a header word (NEG, LAT, NUM,
   FILLER) or the end of text closes it as *dangling*. A dangling run with a ZONE, ALL or SIDE word
   -> unreadable ("location words not followed by 'lung'"); else its UNKNOWN words are ignored
   (note `ignored:w`).
4. Phrases. An UNKNOWN word in a phrase -> unreadable. Split the phrase at AND into items, dropping
   empty items; a phrase with no item is skipped. An item with two different SIDE words ->
   unreadable. If every item has a side, each item stands alone; else if only the last item has a
   side and every item has a ZONE or ALL word, the items merge into one ("upper and middle left
   lung"); else if there is one item it is side-less; else -> unreadable.
   An item's zones: all three if it has ALL or no ZONE word (a side named with no zone word means
   the whole side; ALL with ZONE words also gives all three, note `all-with-zone`), else its ZONEs.
5. Negation: a NEG word ("no") or count (step 7) == 0. With negation: any item -> unreadable; a
   laterality word or a count > 0 -> unreadable; else readable with all labels 0.
   Without negation and without items -> unreadable ("no location").
6. Side-less items. If exactly one, the report says "bilateral", and the sided items name exactly
   one side, it goes to the other side (note `side-inferred:<side>`); any other side-less item ->
   unreadable.
7. Labels: the union of the items' (side, zones), in REGIONS order. The location list is trusted
   over the laterality word; a mismatch (bilateral with one side, unilateral with two) only adds
   the note `laterality-conflict`. count = first NUM word (None if absent); laterality = first LAT
   word's value (None if absent). An unreadable report has labels all 0, a reason (the first
   failing check, in the order above), count and laterality None, and the notes made so far.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from ..constants import REGIONS

PARSER_VERSION = "locus-report v1"

ZONE, ALL, SIDE, LUNG, AND = "zone", "all", "side", "lung", "and"
NEG, LAT, NUM, FILLER, UNKNOWN = "neg", "lat", "num", "filler", "unknown"
LOCATION_CLASSES = (ZONE, ALL, SIDE, AND, UNKNOWN)
ZONES = ("upper", "middle", "lower")
SIDES = ("right", "left")  # REGIONS order: right zones first, then left

_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                 "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_FILLERS = "pulmonary infection infections infected area areas in the of with".split()

#: Canonical word -> (class, value).
LEXICON: dict[str, tuple[str, object]] = {
    **{z: (ZONE, z) for z in ZONES},
    "all": (ALL, "all"),
    "left": (SIDE, "left"), "right": (SIDE, "right"),
    "lung": (LUNG, "lung"), "lungs": (LUNG, "lung"),
    "and": (AND, "and"),
    "no": (NEG, "no"),
    "bilateral": (LAT, "bilateral"), "unilateral": (LAT, "unilateral"),
    **{w: (FILLER, w) for w in _FILLERS},
    **{w: (NUM, i) for i, w in enumerate(_NUMBER_WORDS)},
}
#: Words a typo may be corrected to (fixed order; NUM and short words excluded on purpose).
FUZZY_TARGETS = ("upper", "middle", "lower", "all", "left", "right", "lung", "lungs", "and",
                 "bilateral", "unilateral", "pulmonary", "infection", "infected", "area", "areas")


@dataclass(frozen=True)
class ParsedReport:
    """Region labels of one report, in REGIONS order, and how they were read."""

    labels: tuple[int, ...]
    readable: bool
    reason: str | None = None
    count: int | None = None
    laterality: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def label_string(self) -> str | None:
        """Labels as a "110011"-style string, or None when unreadable (the test-vector format)."""
        return "".join(map(str, self.labels)) if self.readable else None


class Word(NamedTuple):
    """One normalised word."""

    cls: str
    value: object
    raw: str


class Item(NamedTuple):
    """One location item: a side (None if not named) and the zones it covers."""

    side: str | None
    zones: frozenset[str]


class Unreadable(Exception):
    """Raised inside the parser; `parse_report` turns it into readable=False."""


class UnreadableRow(NamedTuple):
    """A CSV row whose Description the parser could not read."""

    path: str
    row: int
    text: str
    reason: str


def split_words(text: str) -> list[str]:
    """Step 1: lowercase A-Z, return maximal runs of a-z and of 0-9."""
    words: list[str] = []
    current, kind = "", ""
    for ch in text:
        if "A" <= ch <= "Z":
            ch = chr(ord(ch) + 32)
        k = "a" if "a" <= ch <= "z" else "0" if "0" <= ch <= "9" else ""
        if k != kind and current:
            words.append(current)
            current = ""
        kind = k
        if k:
            current += ch
    if current:
        words.append(current)
    return words


def within_one_edit(a: str, b: str) -> bool:
    """True if a != b and one substitution, insertion/deletion or adjacent swap turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def normalise(raw: str, notes: list[str]) -> list[Word]:
    """Step 2: exact, split, fuzzy, else UNKNOWN."""
    if raw in LEXICON:
        return [Word(*LEXICON[raw], raw)]
    if raw.isdigit():
        return [Word(NUM, int(raw), raw)]
    cuts = [i for i in range(1, len(raw)) if raw[:i] in LEXICON and raw[i:] in LEXICON]
    if len(cuts) == 1:
        notes.append(f"split:{raw}")
        return [Word(*LEXICON[raw[:cuts[0]]], raw), Word(*LEXICON[raw[cuts[0]:]], raw)]
    targets = [t for t in FUZZY_TARGETS if within_one_edit(raw, t)] if len(raw) >= 2 else []
    if targets and all(LEXICON[t] == LEXICON[targets[0]] for t in targets):
        notes.append(f"typo:{raw}={targets[0]}")
        return [Word(*LEXICON[targets[0]], raw)]
    return [Word(UNKNOWN, raw, raw)]


def find_phrases(words: Sequence[Word], notes: list[str]) -> list[list[Word]]:
    """Step 3: the runs of location words closed by LUNG; checks dangling runs."""
    phrases: list[list[Word]] = []
    run: list[Word] = []
    for word in [*words, Word(FILLER, "<end>", "")]:
        if word.cls in LOCATION_CLASSES:
            run.append(word)
        elif word.cls == LUNG:
            phrases.append(run)
            run = []
        else:
            if any(w.cls in (ZONE, ALL, SIDE) for w in run):
                raise Unreadable("location words not followed by 'lung'")
            notes.extend(f"ignored:{w.raw}" for w in run if w.cls == UNKNOWN)
            run = []
    return phrases


def split_items(phrase: Sequence[Word]) -> list[list[Word]]:
    """Split a phrase at AND, dropping empty items."""
    items: list[list[Word]] = [[]]
    for word in phrase:
        if word.cls == AND:
            items.append([])
        else:
            items[-1].append(word)
    return [item for item in items if item]


def phrase_items(phrase: Sequence[Word], notes: list[str]) -> list[Item]:
    """Step 4: one phrase -> its items (side may be None)."""
    unknown = [w.raw for w in phrase if w.cls == UNKNOWN]
    if unknown:
        raise Unreadable(f"unknown word '{unknown[0]}' in a location")
    items = split_items(phrase)
    sides = [{w.value for w in item if w.cls == SIDE} for item in items]
    if any(len(s) > 1 for s in sides):
        raise Unreadable("two sides in one location phrase")
    if len(items) > 1 and not all(sides):
        only_last = all(not s for s in sides[:-1]) and sides[-1]
        if not (only_last and all(any(w.cls in (ZONE, ALL) for w in i) for i in items)):
            raise Unreadable("'and' joins location words without a side")
        items, sides = [[w for item in items for w in item]], [sides[-1]]
    return [item_zones(item, next(iter(s), None), notes) for item, s in zip(items, sides)]


def item_zones(item: Sequence[Word], side: str | None, notes: list[str]) -> Item:
    """Zones of one item: all three for ALL or no zone word, else the named zones."""
    named = frozenset(str(w.value) for w in item if w.cls == ZONE)
    has_all = any(w.cls == ALL for w in item)
    if has_all and named:
        notes.append("all-with-zone")
    return Item(side, frozenset(ZONES) if has_all or not named else named)


def resolve_sides(items: list[Item], laterality: str | None, notes: list[str]) -> list[Item]:
    """Step 6: give a single side-less item the missing side of a bilateral report."""
    sideless = [i for i in items if i.side is None]
    if not sideless:
        return items
    named = {i.side for i in items if i.side is not None}
    if len(sideless) > 1 or laterality != "bilateral" or len(named) != 1:
        raise Unreadable("location words without a side")
    other = SIDES[1] if SIDES[0] in named else SIDES[0]
    notes.append(f"side-inferred:{other}")
    return [Item(other, i.zones) if i.side is None else i for i in items]


def to_labels(items: Iterable[Item]) -> tuple[int, ...]:
    """Step 7: union of (side, zones) in REGIONS order."""
    hits = {f"{item.side}_{zone}" for item in items for zone in item.zones}
    return tuple(int(region in hits) for region in REGIONS)


def first_value(words: Sequence[Word], cls: str) -> object:
    """Value of the first word of a class, or None."""
    return next((w.value for w in words if w.cls == cls), None)


def _parse(text: str, notes: list[str]) -> tuple[tuple[int, ...], int | None, str | None]:
    """Steps 1-7; raises Unreadable. Returns (labels, count, laterality)."""
    words = [w for raw in split_words(text) for w in normalise(raw, notes)]
    if not words:
        raise Unreadable("empty report")
    count = first_value(words, NUM)
    laterality = first_value(words, LAT)
    items = [i for phrase in find_phrases(words, notes) for i in phrase_items(phrase, notes)]
    negated = first_value(words, NEG) is not None or count == 0
    if negated:
        if items:
            raise Unreadable("negation together with locations")
        if laterality is not None or (count or 0) > 0:
            raise Unreadable("negation together with laterality or a count")
        return (0,) * len(REGIONS), count, laterality
    if not items:
        raise Unreadable("no location")
    items = resolve_sides(items, laterality, notes)
    n_sides = len({i.side for i in items})
    if (laterality, n_sides) in (("bilateral", 1), ("unilateral", 2)):
        notes.append("laterality-conflict")
    return to_labels(items), count, laterality


def parse_report(text: str) -> ParsedReport:
    """Parse one report into region labels (see the module docstring for the exact rules)."""
    notes: list[str] = []
    try:
        labels, count, laterality = _parse(text, notes)
    except Unreadable as err:
        return ParsedReport((0,) * len(REGIONS), False, str(err), notes=tuple(notes))
    return ParsedReport(labels, True, None, count, laterality, tuple(notes))


def read_descriptions(path: str | Path) -> list[str]:
    """The Description column of a CSV (utf-8, optional BOM), in row order."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [row["Description"] for row in csv.DictReader(f)]


def list_unreadable(paths: Iterable[str | Path]) -> list[UnreadableRow]:
    """Every row of the given CSVs whose Description is unreadable (row = 0-based data row)."""
    out: list[UnreadableRow] = []
    for path in paths:
        for row, text in enumerate(read_descriptions(path)):
            parsed = parse_report(text)
            if not parsed.readable:
                out.append(UnreadableRow(str(path), row, text, parsed.reason or ""))
    return out


def main(argv: Sequence[str]) -> int:
    """CLI: per-file counts, note counts and the unreadable strings."""
    if not argv:
        print("usage: python3 -m locus.data.report FILE.csv...", file=sys.stderr)
        return 2
    total, notes = Counter(), Counter()
    for path in argv:
        parsed = [parse_report(t) for t in read_descriptions(path)]
        bad = sum(not p.readable for p in parsed)
        print(f"{path}: {len(parsed)} rows, {len(parsed) - bad} readable, {bad} unreadable")
        total.update(rows=len(parsed), unreadable=bad)
        notes.update(n.split(":")[0] for p in parsed for n in p.notes)
    print(f"total: {total['rows']} rows, {total['unreadable']} unreadable")
    print("notes: " + ", ".join(f"{k} {v}" for k, v in sorted(notes.items())))
    for item in list_unreadable(argv):
        print(f"UNREADABLE {item.path}:{item.row}: {item.reason}: {item.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
