"""Cross-validation folds fixed by a seed, and case-id lists (one stem per line).

Folds are written as id lists, never as copies of the data: a fold is the stems it holds.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np


def natural_key(stem: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", stem)]


def make_folds(stems: list[str], *, k: int, seed: int) -> list[list[str]]:
    """Split `stems` into k folds of (almost) equal size, by a seeded permutation of the stems
    in natural order; each fold is returned in natural order."""
    if not 1 < k <= len(stems):
        raise ValueError(f"need 1 < k <= {len(stems)} folds, got {k}")
    ordered = sorted(stems, key=natural_key)
    order = np.random.default_rng(seed).permutation(len(ordered))
    return [sorted((ordered[i] for i in order[f::k]), key=natural_key) for f in range(k)]


def write_ids(path: Path, stems: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{s}\n" for s in stems))


def read_ids(path: Path) -> list[str]:
    """Stems from a file, one a line; blank lines and `#` comments are ignored."""
    lines = (line.split("#", 1)[0].strip() for line in Path(path).read_text().splitlines())
    return [line for line in lines if line]
