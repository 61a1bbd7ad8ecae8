"""Tests of locus.config: the Top-k defaults come from constants, never from a config."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.config import load_config

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.json")), ids=lambda p: p.name)
def test_shipped_configs_load(path):
    assert "k" not in load_config(path).get("prompts", {})


def test_a_config_with_its_own_topk_defaults_is_refused(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"prompts": {"k": 3, "theta": 0.9, "dropout": 0.2}}))
    with pytest.raises(SystemExit, match="prompts.k, prompts.theta: the Top-k defaults are defined once"):
        load_config(path)
