"""BERT-style WordPiece tokenizer; `src/pipeline/tokenizer.ts` ports `Tokenizer.encode` exactly.

Spec of encoding (the TS port needs only this and the vocab file):
1. Basic tokenisation, one Unicode code point at a time (TS: iterate with `for...of`, not UTF-16
   units): A-Z map to a-z (nothing else changes case; no Unicode normalisation). ASCII letters and
   digits accumulate into the current word. A code point <= U+0020 or U+007F (space, tab, newline,
   other controls) ends the current word. Any other code point (ASCII punctuation, i.e.
   `string.punctuation`, and every non-ASCII code point, including non-ASCII spaces) ends the
   current word and is a token of its own.
2. WordPiece per token: more than MAX_WORD_CHARS (100) code points -> [UNK]. Else greedy
   longest-match-first from the left: at each position take the longest vocab entry equal to the
   rest's prefix, written "##" + piece after the first position; if none matches, the whole token
   becomes a single [UNK].
3. encode: [CLS] + pieces[: max_length - 2] + [SEP], then [PAD] up to max_length; attention_mask is
   1 on [CLS], pieces and [SEP], 0 on padding. So [SEP] is always the last real token.
4. Vocab file: UTF-8, one token per line separated by "\\n", id = 0-based line number; ids 0..3 are
   SPECIAL_TOKENS ([PAD], [UNK], [CLS], [SEP]). Tokens never contain code points <= U+0020.

`build_vocab` (Python only; the vocab ships as a file): special tokens; then the alphabet sorted
by code point: every character seen in a basic token, plus "##c" for every ASCII letter or digit c
seen; then WordPiece merges until vocab_size. Each word (weighted by its corpus count) is split into
symbols (first char, then "##" + each next char). Each round scores every adjacent symbol pair
(a, b) by freq(ab) / (freq(a) * freq(b)) (exact rationals), takes the highest score, ties to the
smallest (a, b) by code point, merges it everywhere left to right into a + b[2:], and appends that
token unless already present. It stops at vocab_size or when no pair is left. Tokens longer than
MAX_WORD_CHARS are left out (they always encode as [UNK]).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Sequence

from ..constants import CLS_ID, PAD_ID, SEP_ID, SPECIAL_TOKENS, UNK_ID

MAX_WORD_CHARS = 100
UNK = SPECIAL_TOKENS[UNK_ID]


def is_word_char(ch: str) -> bool:
    """ASCII lowercase letter or digit (after A-Z lowering)."""
    return "a" <= ch <= "z" or "0" <= ch <= "9"


def basic_tokenize(text: str) -> list[str]:
    """Step 1: lowercase A-Z, words of ASCII letters/digits, every other visible char alone."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if "A" <= ch <= "Z":
            ch = chr(ord(ch) + 32)
        if is_word_char(ch):
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        if ord(ch) > 0x20 and ch != "\x7f":
            tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens


def wordpiece(token: str, vocab: set[str] | dict[str, int]) -> list[str]:
    """Step 2: greedy longest-match-first pieces of one basic token, or [UNK]."""
    if len(token) > MAX_WORD_CHARS:
        return [UNK]
    pieces: list[str] = []
    start = 0
    while start < len(token):
        end = len(token)
        while end > start:
            piece = token[start:end] if start == 0 else "##" + token[start:end]
            if piece in vocab:
                break
            end -= 1
        if end == start:
            return [UNK]
        pieces.append(piece)
        start = end
    return pieces


@dataclass(frozen=True)
class Encoded:
    """One encoded text; both lists have length max_length."""

    input_ids: list[int]
    attention_mask: list[int]


class Tokenizer:
    """WordPiece encoder over a fixed vocab (ids = list positions)."""

    def __init__(self, vocab: Sequence[str], *, max_length: int) -> None:
        check_vocab(vocab)
        if max_length < 2:
            raise ValueError("max_length must leave room for [CLS] and [SEP]")
        self.vocab = list(vocab)
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.max_length = max_length

    def tokenize(self, text: str) -> list[str]:
        """Pieces of a text, without special tokens or truncation."""
        return [p for token in basic_tokenize(text) for p in wordpiece(token, self.ids)]

    def encode(self, text: str) -> Encoded:
        """Step 3: [CLS] pieces [SEP] [PAD]..., length max_length."""
        pieces = self.tokenize(text)[: self.max_length - 2]
        ids = [CLS_ID, *(self.ids[p] for p in pieces), SEP_ID]
        pad = self.max_length - len(ids)
        return Encoded(ids + [PAD_ID] * pad, [1] * len(ids) + [0] * pad)


def check_vocab(vocab: Sequence[str]) -> None:
    """Raise ValueError unless specials come first and tokens are unique and whitespace-free."""
    if tuple(vocab[: len(SPECIAL_TOKENS)]) != SPECIAL_TOKENS:
        raise ValueError(f"vocab must start with {SPECIAL_TOKENS}")
    if len(set(vocab)) != len(vocab):
        raise ValueError("vocab has duplicate tokens")
    if any(not t or any(ord(c) <= 0x20 or c == "\x7f" for c in t) for t in vocab):
        raise ValueError("vocab tokens must be non-empty without spaces or control characters")


def alphabet(words: Iterable[str]) -> list[str]:
    """Every char seen, plus ##c for ASCII letters/digits, sorted by code point."""
    chars = {c for w in words for c in w}
    return sorted(chars | {"##" + c for c in chars if is_word_char(c)})


def best_pair(splits: dict[str, list[str]], counts: Counter) -> tuple[str, str] | None:
    """The pair with the highest freq(ab) / (freq(a) freq(b)); ties to the smallest (a, b)."""
    pair_freq: Counter = Counter()
    sym_freq: Counter = Counter()
    for word, symbols in splits.items():
        for s in symbols:
            sym_freq[s] += counts[word]
        for a, b in zip(symbols, symbols[1:]):
            pair_freq[a, b] += counts[word]
    if not pair_freq:
        return None
    return min(pair_freq, key=lambda p: (-Fraction(pair_freq[p], sym_freq[p[0]] * sym_freq[p[1]]),
                                          p))


def merge(symbols: list[str], a: str, b: str) -> list[str]:
    """Replace each adjacent (a, b), left to right, by a + b[2:]."""
    out: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(a + b[2:])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def build_vocab(texts: Iterable[str], vocab_size: int) -> list[str]:
    """Deterministic WordPiece vocab (see the module docstring); at least specials + alphabet."""
    tokens = (t for text in texts for t in basic_tokenize(text))
    counts = Counter(t for t in tokens if len(t) <= MAX_WORD_CHARS)
    words = sorted(counts)
    vocab = [*SPECIAL_TOKENS, *alphabet(words)]
    known = set(vocab)
    splits = {w: [w[0], *("##" + c for c in w[1:])] for w in words if len(w) > 1}
    while len(vocab) < vocab_size:
        pair = best_pair(splits, counts)
        if pair is None:
            break
        for w, symbols in splits.items():
            splits[w] = merge(symbols, *pair)
        token = pair[0] + pair[1][2:]
        if token not in known:
            vocab.append(token)
            known.add(token)
    return vocab


def save_vocab(vocab: Sequence[str], path: str | Path) -> None:
    """Write one token per line (id = line number), UTF-8, "\\n" endings."""
    check_vocab(vocab)
    Path(path).write_text("".join(t + "\n" for t in vocab), encoding="utf-8")


def load_vocab(path: str | Path) -> list[str]:
    """Read a vocab written by save_vocab (split on "\\n" only)."""
    text = Path(path).read_text(encoding="utf-8")
    vocab = text.split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    check_vocab(vocab)
    return vocab


def write_case_vectors(cases_path: Path, vocab_path: Path) -> None:
    """Rebuild the small vocab from the cases marked train and store every case's encoding."""
    doc = json.loads(cases_path.read_text(encoding="utf-8"))
    vocab = build_vocab([c["text"] for c in doc["cases"] if c["train"]], doc["vocab_size"])
    save_vocab(vocab, vocab_path)
    tok = Tokenizer(vocab, max_length=doc["max_length"])
    for case in doc["cases"]:
        enc = tok.encode(case["text"])
        case["input_ids"], case["attention_mask"] = enc.input_ids, enc.attention_mask
    cases = ",\n".join("  " + json.dumps(c) for c in doc["cases"])
    head = {k: v for k, v in doc.items() if k != "cases"}
    body = "".join(f" {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items())
    cases_path.write_text("{\n" + body + ' "cases": [\n' + cases + "\n ]\n}\n", encoding="utf-8")


def main(argv: Sequence[str]) -> int:
    """CLI: `build --out vocab.txt --size N CSV...` or `vectors --cases J --vocab V`."""
    from locus.data.report import read_descriptions

    ap = argparse.ArgumentParser(description="WordPiece vocab tools")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build a vocab from the Description column of CSVs")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--size", type=int, required=True)
    b.add_argument("csvs", nargs="+", type=Path)
    v = sub.add_parser("vectors", help="regenerate the tokenizer test vectors")
    v.add_argument("--cases", type=Path, required=True)
    v.add_argument("--vocab", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "vectors":
        write_case_vectors(args.cases, args.vocab)
        print(f"wrote {args.cases} and {args.vocab}")
        return 0
    vocab = build_vocab([t for p in args.csvs for t in read_descriptions(p)], args.size)
    save_vocab(vocab, args.out)
    print(f"{args.out}: {len(vocab)} tokens")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
