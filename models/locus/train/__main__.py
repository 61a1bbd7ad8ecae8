"""`python3 -m locus.train --config configs/demo-cxr.json --out runs/demo-cxr [--device cpu]`

Generates the synthetic data a config asks for, builds the vocabulary, runs the three phases
(plus the Table-2 ablation variants of phase 3) and writes one checkpoint per variant. Every
phase checkpoints after each epoch; re-running the same command resumes.

Optional config keys: `init` (a trained checkpoint, e.g. `runs/demo-cxr/full.pt`: its weights
and vocabulary start the run; phases with 0 epochs are skipped), `data.augment` (an
`AugmentConfig`: the one `data.train` folder is read as 8-bit CT slices and extended with
report-preserving augmented copies). `--cases FILE` trains on the listed stems only.
"""
from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import time
from pathlib import Path

import torch

from ..checkpoint import Trained, load_trained, save_trained
from ..config import load_config
from ..constants import THETA_DEFAULT, TOPK_DEFAULT
from ..data.augment import AugmentConfig
from ..data.dataset import read_cases
from ..data.folds import read_ids
from ..data.preprocess import PreprocessSpec
from ..data.tokenizer import Tokenizer, build_vocab, load_vocab, save_vocab
from ..model.build import ModelConfig, build_locus, model_config
from ..model.locus import Locus
from ..paths import MODELS_DIR, resolve
from .loop import PhaseConfig, run_phase
from .phases import ClipHead, cache_embeddings, clip_step, freeze_for_phase3, locus_step, sam_step
from .tensors import CaseTensors, load_augmented, load_cached

VARIANTS = {"full": {"use_qgaf": True, "gpfc_weight": 0.1},
            "no_gpfc": {"use_qgaf": True, "gpfc_weight": 0.0},
            "no_qgaf": {"use_qgaf": False, "gpfc_weight": 0.1}}


def generate_synthetic(spec: dict) -> None:
    root = resolve(spec["root"])
    for split in ("train", "val", "test"):
        if spec.get(split) and not (root / split / "reports.csv").exists():
            subprocess.run([sys.executable, "-m", "locus.synth", "--out", str(root / split),
                            "--split", split, "--n", str(spec[split]), "--seed", str(spec["seed"])],
                           check=True, cwd=MODELS_DIR)


def vocabulary(cfg: dict, run: Path, cases: list[str] | None = None) -> list[str]:
    """The run's vocabulary: the `init` checkpoint's, else built from the training reports
    (only those of `cases` when given, so a held-out fold's texts stay unseen)."""
    path = run / "vocab.txt"
    if not path.exists() and cfg.get("init"):
        save_vocab(list(load_trained(resolve(cfg["init"])).tokenizer.vocab), path)
    elif not path.exists():
        wanted = None if cases is None else set(cases)
        texts = [c.report for root in cfg["data"]["train"] for c in read_cases(resolve(root))[0]
                 if wanted is None or c.stem in wanted]
        save_vocab(build_vocab(texts, cfg["vocab_size"]), path)
    return load_vocab(path)


def training_data(cfg: dict, spec: PreprocessSpec, mask_size: int, tokenizer: Tokenizer,
                  cache: Path, cases: list[str] | None) -> CaseTensors:
    roots = [resolve(r) for r in cfg["data"]["train"]]
    if "augment" in cfg["data"]:
        if len(roots) != 1:
            raise SystemExit("data.augment needs exactly one data.train folder")
        return load_augmented(roots[0], cases, AugmentConfig.from_dict(cfg["data"]["augment"]),
                              spec, mask_size, tokenizer, cache)
    if cases is not None:
        raise SystemExit("--cases needs data.augment (one CT folder)")
    return load_cached(roots, spec, mask_size, tokenizer, cache)


def pretrain(model: Locus, data: CaseTensors, *, cfg: dict, mcfg: ModelConfig, run: Path,
             device: str) -> dict:
    """Phase 1 (CLIP contrastive) and phase 2 (SAM with simulated prompts); a phase with 0
    epochs is skipped. Returns their records under "clip" and "sam"."""
    phases = cfg["phases"]
    head = ClipHead(embed_dim=mcfg.embed_dim).to(device)
    pg = model.prompt_generator
    clip = run_phase(
        name="phase1-clip", modules={"pg": pg, "head": head},
        params=list(pg.image_encoder.parameters()) + list(pg.text_encoder.parameters())
        + list(head.parameters()),
        size=len(data), cfg=PhaseConfig.from_dict(phases["clip"]),
        step=clip_step(model, head, data), checkpoint=run / "phase1-clip.pt", seed=cfg["seed"])
    sam = run_phase(
        name="phase2-sam", modules={"sam": model.sam}, params=list(model.sam.parameters()),
        size=len(data), cfg=PhaseConfig.from_dict(phases["sam"]),
        step=sam_step(model, data, grid=mcfg.grid, input_size=mcfg.input_size, seed=cfg["seed"]),
        checkpoint=run / "phase2-sam.pt", seed=cfg["seed"] + 1)
    return {"clip": clip, "sam": sam}


def train(cfg: dict, run: Path, device: str, cases: list[str] | None = None) -> dict:
    started = time.time()
    run.mkdir(parents=True, exist_ok=True)
    if "synthetic" in cfg["data"]:
        generate_synthetic(cfg["data"]["synthetic"])
    torch.manual_seed(cfg["seed"])
    mcfg = model_config(cfg["model"])
    spec = PreprocessSpec(input_size=mcfg.input_size, **cfg.get("preprocess", {}))
    tokenizer = Tokenizer(vocabulary(cfg, run, cases), max_length=mcfg.max_length)
    data = training_data(cfg, spec, mcfg.mask_logits_size, tokenizer, run / "cache",
                         cases).to(device)
    prepared = time.time() - started
    model = build_locus(mcfg, vocab_size=len(tokenizer.vocab)).to(device)
    if cfg.get("init"):
        model.load_state_dict(load_trained(resolve(cfg["init"])).model.state_dict())
    phases = cfg["phases"]
    record = {"prepare_seconds": round(prepared, 1)}
    record |= pretrain(model, data, cfg=cfg, mcfg=mcfg, run=run, device=device)
    base_state = copy.deepcopy(model.state_dict())
    embeddings = cache_embeddings(model, data.images)
    for variant in ["full"] + list(cfg.get("ablations", [])):
        opts = VARIANTS[variant]
        vcfg = model_config(cfg["model"], use_qgaf=opts["use_qgaf"])
        vmodel = build_locus(vcfg, vocab_size=len(tokenizer.vocab)).to(device)
        # the bridges come from `init` when given, else fresh; the no-QGAF model has none
        vmodel.load_state_dict(base_state, strict=False)
        params = freeze_for_phase3(vmodel)
        record[f"locus_{variant}"] = run_phase(
            name=f"phase3-{variant}", modules={"model": vmodel}, params=params, size=len(data),
            cfg=PhaseConfig.from_dict(phases["locus"]),
            step=locus_step(vmodel, data, embeddings, k=TOPK_DEFAULT,
                            theta=THETA_DEFAULT, dropout=cfg["prompts"]["dropout"],
                            gpfc_weight=opts["gpfc_weight"], input_size=mcfg.input_size,
                            seed=cfg["seed"] + 2),
            checkpoint=run / f"phase3-{variant}.pt", seed=cfg["seed"] + 2)
        trainable = sum(p.numel() for p in params)
        training = {"variant": variant, "trainable_parameters": trainable,
                    "total_parameters": sum(p.numel() for p in vmodel.parameters()),
                    "train_cases": len(data), "device": device, "torch": torch.__version__}
        save_trained(run / f"{variant}.pt",
                     Trained(vmodel.cpu().eval(), vcfg, tokenizer, spec, training))
    record["seconds"] = round(time.time() - started, 1)
    return record


def carry_over_times(record: dict, previous: Path) -> dict:
    """Adds the wall-clock seconds of earlier completed invocations of the same run.

    Phases resume from their checkpoints and keep their own seconds, but `seconds` and
    `prepare_seconds` are this invocation's; re-running a finished run must not replace the
    real command time with the few seconds a no-op resume takes.
    """
    if not previous.exists():
        return record
    old = json.loads(previous.read_text())
    merged = dict(record)
    for key in ("seconds", "prepare_seconds"):
        merged[key] = round(old.get(key, 0.0) + record.get(key, 0.0), 1)
    merged["invocations"] = old.get("invocations", 1) + 1
    return merged


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.train", description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True, help="run folder (checkpoints, vocab, cache)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--cases", help="file of stems to train on, one a line (data.augment)")
    args = parser.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA device is visible to torch")
    cfg = load_config(resolve(args.config))
    run = resolve(args.out)
    cases = read_ids(resolve(args.cases)) if args.cases else None
    record = train(cfg, run, args.device, cases)
    record["command"] = "python3 -m locus.train " + " ".join(argv or sys.argv[1:])
    record["config"] = cfg
    record = carry_over_times(record, run / "training.json")
    (run / "training.json").write_text(json.dumps(record, indent=2))
    print(json.dumps({k: v for k, v in record.items() if k != "config"}, indent=2))


if __name__ == "__main__":
    main()
