"""Reading a training config (`configs/*.json`).

The Top-k defaults are not config: `constants.TOPK_DEFAULT` and `THETA_DEFAULT` are their one
definition, training uses them and the exporter writes them into the manifest, where the runtime
reads them. A config that still sets `prompts.k` or `prompts.theta` is refused rather than
silently ignored.
"""
from __future__ import annotations

import json
from pathlib import Path


def load_config(path: Path) -> dict:
    cfg = json.loads(path.read_text(encoding="utf-8"))
    stray = [f"prompts.{key}" for key in ("k", "theta") if key in cfg.get("prompts", {})]
    if stray:
        raise SystemExit(f"{path}: {', '.join(stray)}: the Top-k defaults are defined once, in "
                         "locus/constants.py (TOPK_DEFAULT, THETA_DEFAULT), and reach the runtime "
                         "through the manifest; remove them from the config")
    return cfg
