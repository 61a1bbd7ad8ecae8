"""Command-line paths: relative ones are taken from the `models/` folder, wherever the command runs."""
from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1]


def resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else MODELS_DIR / p
