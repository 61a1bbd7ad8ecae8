"""A trained Locus checkpoint: model config, vocabulary, preprocessing and weights in one file.

Everything but the weights is one JSON string, so `torch.load(weights_only=True)` reads the file
on torch 1.13 (whose safe unpickler has no floats) and on 2.x alike.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from .data.preprocess import PreprocessSpec
from .data.tokenizer import Tokenizer
from .model.build import ModelConfig, build_locus
from .model.locus import Locus


@dataclass
class Trained:
    model: Locus
    config: ModelConfig
    tokenizer: Tokenizer
    spec: PreprocessSpec
    training: dict


def save_trained(path: Path, trained: Trained) -> None:
    spec = trained.spec
    meta = {
        "model_config": trained.config.to_dict(),
        "vocab": list(trained.tokenizer.vocab),
        "max_length": trained.tokenizer.max_length,
        "preprocess": {"input_size": spec.input_size, "mean": spec.mean, "std": spec.std,
                       "pad_value": spec.pad_value,
                       "window": list(spec.window) if spec.window else None},
        "training": trained.training,
    }
    torch.save({"meta": json.dumps(meta), "state_dict": trained.model.state_dict()}, path)


def load_trained(path: Path | str) -> Trained:
    saved = torch.load(path, map_location="cpu", weights_only=True)
    raw = json.loads(saved["meta"])
    cfg_raw = dict(raw["model_config"])
    cfg_raw["stem_widths"] = tuple(cfg_raw["stem_widths"])
    config = ModelConfig(**cfg_raw)
    tokenizer = Tokenizer(raw["vocab"], max_length=raw["max_length"])
    pre = dict(raw["preprocess"])
    pre["window"] = tuple(pre["window"]) if pre["window"] else None
    model = build_locus(config, vocab_size=len(raw["vocab"]))
    model.load_state_dict(saved["state_dict"])
    return Trained(model=model.eval(), config=config, tokenizer=tokenizer,
                   spec=PreprocessSpec(**pre), training=raw["training"])
