"""Tests of locus.data.folds: seeded, disjoint, covering folds; id lists round-trip."""
from __future__ import annotations

import pytest

from locus.data.folds import make_folds, read_ids, write_ids

STEMS = [str(i) for i in range(50)]


def test_folds_partition_the_stems_evenly():
    folds = make_folds(STEMS, k=5, seed=2026)
    assert [len(f) for f in folds] == [10] * 5
    assert sorted(s for f in folds for s in f) == sorted(STEMS)


def test_folds_are_fixed_by_the_seed_not_the_input_order():
    assert make_folds(STEMS, k=5, seed=1) == make_folds(STEMS[::-1], k=5, seed=1)
    assert make_folds(STEMS, k=5, seed=1) != make_folds(STEMS, k=5, seed=2)


def test_bad_fold_count():
    with pytest.raises(ValueError):
        make_folds(STEMS[:3], k=4, seed=0)


def test_id_lists_round_trip(tmp_path):
    path = tmp_path / "ids.txt"
    write_ids(path, ["3", "case10"])
    path.write_text(path.read_text() + "\n# a comment\n")
    assert read_ids(path) == ["3", "case10"]
