"""Tests of locus.data.tokenizer and its shared vectors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.constants import CLS_ID, PAD_ID, SEP_ID, SPECIAL_TOKENS, UNK_ID
from locus.data.tokenizer import (
    MAX_WORD_CHARS, Tokenizer, basic_tokenize, build_vocab, load_vocab, save_vocab, wordpiece,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CASES = json.loads((VECTORS / "tokenizer_cases.json").read_text(encoding="utf-8"))
TRAIN_TEXTS = [c["text"] for c in CASES["cases"] if c["train"]]
TOY = [*SPECIAL_TOKENS, "a", "b", "l", "u", "n", "g", "##a", "##b", "##u", "##n", "##g", "lung",
       "##ung", "lu", ",", "."]


def test_basic_tokenize() -> None:
    assert basic_tokenize("Upper-LEFT lung,10x.") == ["upper", "-", "left", "lung", ",", "10x", "."]
    assert basic_tokenize(" a\tb\nc\x7fd ") == ["a", "b", "c", "d"]
    assert basic_tokenize("caf\u00e9\u00a0\u0130") == ["caf", "\u00e9", "\u00a0", "\u0130"]
    assert basic_tokenize("\U0001F637x") == ["\U0001F637", "x"]
    assert basic_tokenize("") == []


def test_greedy_longest_match_first() -> None:
    vocab = set(TOY)
    assert wordpiece("lung", vocab) == ["lung"]
    assert wordpiece("lunga", vocab) == ["lung", "##a"]
    assert wordpiece("lbung", vocab) == ["l", "##b", "##ung"]
    assert wordpiece("lux", vocab) == ["[UNK]"]
    assert wordpiece("a" * MAX_WORD_CHARS, vocab) == ["a"] + ["##a"] * (MAX_WORD_CHARS - 1)
    assert wordpiece("a" * (MAX_WORD_CHARS + 1), vocab) == ["[UNK]"]


def test_encode_pads_and_truncates_keeping_sep() -> None:
    tok = Tokenizer(TOY, max_length=6)
    ids = {t: i for i, t in enumerate(TOY)}
    enc = tok.encode("lung.")
    assert enc.input_ids == [CLS_ID, ids["lung"], ids["."], SEP_ID, PAD_ID, PAD_ID]
    assert enc.attention_mask == [1, 1, 1, 1, 0, 0]
    enc = tok.encode("lung lung lung lung lung")
    assert enc.input_ids == [CLS_ID] + [ids["lung"]] * 4 + [SEP_ID]
    assert enc.attention_mask == [1] * 6
    assert tok.encode("").input_ids == [CLS_ID, SEP_ID, 0, 0, 0, 0]
    assert tok.encode("lux ?").input_ids[:4] == [CLS_ID, UNK_ID, UNK_ID, SEP_ID]
    assert Tokenizer(TOY, max_length=2).encode("lung").input_ids == [CLS_ID, SEP_ID]


def test_vocab_checks() -> None:
    with pytest.raises(ValueError):
        Tokenizer(["a", *SPECIAL_TOKENS], max_length=8)
    with pytest.raises(ValueError):
        Tokenizer([*SPECIAL_TOKENS, "a", "a"], max_length=8)
    with pytest.raises(ValueError):
        Tokenizer(TOY, max_length=1)


def test_build_vocab_is_deterministic_and_complete() -> None:
    vocab = build_vocab(TRAIN_TEXTS, 128)
    assert vocab == build_vocab(list(reversed(TRAIN_TEXTS)), 128)
    assert tuple(vocab[:4]) == SPECIAL_TOKENS and len(vocab) == 128 == len(set(vocab))
    tok = Tokenizer(vocab, max_length=512)
    assert all(UNK_ID not in tok.encode(t).input_ids for t in TRAIN_TEXTS)
    assert build_vocab(TRAIN_TEXTS, 100000)[:128] == vocab


def test_build_vocab_merges_until_words_are_whole() -> None:
    vocab = build_vocab(["lung lung lungs", "left"], 1000)
    assert {"lung", "lungs", "left"} <= set(vocab)
    assert Tokenizer(vocab, max_length=8).tokenize("lungs left") == ["lungs", "left"]


def test_save_load_round_trip(tmp_path: Path) -> None:
    vocab = build_vocab(TRAIN_TEXTS, 128)
    save_vocab(vocab, tmp_path / "vocab.txt")
    assert load_vocab(tmp_path / "vocab.txt") == vocab


def test_small_vocab_is_built_from_train_cases() -> None:
    assert load_vocab(VECTORS / "vocab_small.txt") == build_vocab(TRAIN_TEXTS, CASES["vocab_size"])


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: repr(c["text"][:24]))
def test_case_vectors(case: dict) -> None:
    tok = Tokenizer(load_vocab(VECTORS / "vocab_small.txt"), max_length=CASES["max_length"])
    enc = tok.encode(case["text"])
    assert enc.input_ids == case["input_ids"]
    assert enc.attention_mask == case["attention_mask"]


def test_case_vectors_cover_the_edges() -> None:
    cases = CASES["cases"]
    assert len(cases) >= 40
    assert any(c["attention_mask"][-1] == 1 and c["input_ids"][-1] == SEP_ID for c in cases)
    assert any(UNK_ID in c["input_ids"] for c in cases)
    assert any(c["text"] == "" for c in cases)
    assert any(any(ord(ch) > 0xFFFF for ch in c["text"]) for c in cases)
