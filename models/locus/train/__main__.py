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
import csv
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
from ..data.zones import count_words
from ..data.tokenizer import Tokenizer, build_vocab, load_vocab, save_vocab
from ..model.build import ModelConfig, build_locus, model_config
from ..model.locus import Locus
from ..paths import MODELS_DIR, resolve
from ..pretrained.port import init_backbones
from .loop import PhaseConfig, run_phase
from .phase_lit import LitHead, lit_parameters, lit_step, locked_features
from .phases import (ClipHead, LocusOptions, cache_embeddings, cache_first_stage, clip_step,
                     freeze_for_phase3, locus_step, sam_step, warm_up_reader)
from .tensors import CaseTensors, load_augmented, load_cached

VARIANTS = {"full": {"use_qgaf": True, "gpfc_weight": 0.1},
            "no_gpfc": {"use_qgaf": True, "gpfc_weight": 0.0},
            "no_qgaf": {"use_qgaf": False, "gpfc_weight": 0.1}}


def generate_synthetic(spec: dict) -> None:
    root = resolve(spec["root"])
    for split in ("train", "val", "test"):
        # data written before the generator saved lung fields are written again (same bytes)
        if spec.get(split) and not ((root / split / "reports.csv").exists()
                                    and (root / split / "lungs").is_dir()):
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
        texts += extra_vocab_texts(cfg.get("vocab_texts", []))
        save_vocab(build_vocab(texts, cfg["vocab_size"]), path)
    return load_vocab(path)


def extra_vocab_texts(tables: list[str]) -> list[str]:
    """Report strings of other tables (CSV with a Description column) and every lesion count
    the reports' rule can write (words to nine, digits after), so no count is [UNK]."""
    texts = [f"{count_words(n)} infected areas" for n in range(0, 100)]
    for table in tables:
        with open(resolve(table), newline="", encoding="utf-8") as fh:
            texts += [row["Description"] for row in csv.DictReader(fh) if row.get("Description")]
    return texts


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


def _options(cfg: dict) -> dict:
    """`training_options` (model v2 additions), with their defaults."""
    return {"backbone_lr_scale": 0.5, "dense_weight": 1.0, "swap_p": 0.0,
            "confidence_weight": 0.0, "prompt_free": False, "restrict_p": 0.0} | cfg.get("training_options", {})


def clip_phase(model: Locus, data: CaseTensors, *, cfg: dict, mcfg: ModelConfig, run: Path,
               device: str, tokenizer: Tokenizer) -> dict:
    """Phase 1: v1 trains both towers contrastively; v2 locks the ImageNet backbone (LiT)."""
    pcfg = PhaseConfig.from_dict(cfg["phases"]["clip"])
    pg = model.prompt_generator
    if mcfg.backbone != "mobilenet_v2":
        head = ClipHead(embed_dim=mcfg.embed_dim).to(device)
        return run_phase(
            name="phase1-clip", modules={"pg": pg, "head": head},
            params=list(pg.image_encoder.parameters()) + list(pg.text_encoder.parameters())
            + list(head.parameters()),
            size=len(data), cfg=pcfg, step=clip_step(model, head, data),
            checkpoint=run / "phase1-clip.pt", seed=cfg["seed"])
    head = LitHead(embed_dim=mcfg.embed_dim).to(device)
    opts = _options(cfg)
    feats = locked_features(model, data.images) if pcfg.epochs else []
    return run_phase(
        name="phase1-clip", modules={"pg": pg, "head": head}, params=lit_parameters(model, head),
        size=len(data), cfg=pcfg,
        step=lit_step(model, head, data, feats, dense_weight=opts["dense_weight"],
                      swap_p=opts["swap_p"], tokenizer=tokenizer, seed=cfg["seed"]),
        checkpoint=run / "phase1-clip.pt", seed=cfg["seed"])


def sam_parameters(model: Locus, backbone_lr_scale: float, lr: float) -> list:
    """All SAM parameters; a pretrained backbone learns at `backbone_lr_scale` x lr."""
    encoder = model.sam.image_encoder
    if not hasattr(encoder, "backbone_modules"):
        return list(model.sam.parameters())
    backbone = [p for m in encoder.backbone_modules() for p in m.parameters()]
    ids = {id(p) for p in backbone}
    rest = [p for p in model.sam.parameters() if id(p) not in ids]
    return [{"params": backbone, "lr": lr * backbone_lr_scale}, {"params": rest, "lr": lr}]


def pretrain(model: Locus, data: CaseTensors, *, cfg: dict, mcfg: ModelConfig, run: Path,
             device: str, tokenizer: Tokenizer) -> dict:
    """Phase 1 (CLIP) and phase 2 (SAM with simulated prompts); a phase with 0 epochs is
    skipped. Returns their records under "clip" and "sam"."""
    phases = cfg["phases"]
    opts = _options(cfg)
    clip = clip_phase(model, data, cfg=cfg, mcfg=mcfg, run=run, device=device, tokenizer=tokenizer)
    sam_cfg = PhaseConfig.from_dict(phases["sam"])
    sam = run_phase(
        name="phase2-sam", modules={"sam": model.sam},
        params=sam_parameters(model, opts["backbone_lr_scale"], sam_cfg.lr),
        size=len(data), cfg=sam_cfg,
        step=sam_step(model, data, grid=mcfg.coarse_grid, input_size=mcfg.input_size,
                      seed=cfg["seed"], prompt_free=opts["prompt_free"],
                      restrict_p=opts["restrict_p"]),
        checkpoint=run / "phase2-sam.pt", seed=cfg["seed"] + 1)
    return {"clip": clip, "sam": sam}


#: Parameters an `init` checkpoint may lack: modules it predates (v2's location gate), which
#: start fresh; anything else missing or unexpected is an error.
NEW_MODULES = ("prompt_generator.gate.",)
#: Steps of the report reader's warm-up before phase 3 (`phases.warm_up_reader`).
READER_STEPS = 600


def load_init(model: Locus, state: dict) -> None:
    """Loads an `init` checkpoint's weights; says which new modules start fresh."""
    result = model.load_state_dict(state, strict=False)
    fresh = [k for k in result.missing_keys if k.startswith(NEW_MODULES)]
    wrong = [k for k in result.missing_keys if k not in fresh] + list(result.unexpected_keys)
    if wrong:
        raise SystemExit(f"init checkpoint does not fit the model: {', '.join(wrong[:8])}")
    if fresh:
        modules = sorted({next(m.rstrip(".") for m in NEW_MODULES if k.startswith(m)) for k in fresh})
        print(f"init: {len(fresh)} tensors of new modules start fresh ({', '.join(modules)})")


def train(cfg: dict, run: Path, device: str, cases: list[str] | None = None) -> dict:
    started, cpu_started = time.time(), time.process_time()
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
        load_init(model, load_trained(resolve(cfg["init"])).model.state_dict())
    elif mcfg.backbone == "mobilenet_v2":
        init_backbones([model.prompt_generator.image_encoder.backbone,
                        model.sam.image_encoder.backbone])
    # channels-last convolutions run on oneDNN: about 5x faster for MobileNetV2 on CPU
    model = model.to(memory_format=torch.channels_last)
    phases = cfg["phases"]
    opts = _options(cfg)
    record = {"prepare_seconds": round(prepared, 1)}
    record |= pretrain(model, data, cfg=cfg, mcfg=mcfg, run=run, device=device,
                       tokenizer=tokenizer)
    base_state = copy.deepcopy(model.state_dict())
    # the frozen SAM encoder's outputs (v2: 2 MB a case) and, for v2, the CLIP image encoder's
    # stage 1 are computed once when they fit in memory (phase 3 trains nothing before them)
    caching = phases["locus"]["epochs"] > 0
    started = time.monotonic()
    embeddings = cache_embeddings(model, data.images) if caching else None
    first_stage = (cache_first_stage(model, data.images)
                   if caching and mcfg.backbone == "mobilenet_v2" else None)
    record["cache_seconds"] = round(time.monotonic() - started, 1)
    for variant in ["full"] + list(cfg.get("ablations", [])):
        vopts = VARIANTS[variant]
        vcfg = model_config(cfg["model"], use_qgaf=vopts["use_qgaf"])
        vmodel = build_locus(vcfg, vocab_size=len(tokenizer.vocab)).to(device)
        # the bridges come from `init` when given, else fresh; the no-QGAF model has none
        vmodel.load_state_dict(base_state, strict=False)
        vmodel = vmodel.to(memory_format=torch.channels_last)
        params = freeze_for_phase3(vmodel)
        if vmodel.prompt_generator.gate is not None:
            started = time.monotonic()
            record[f"reader_{variant}"] = warm_up_reader(vmodel, tokenizer, steps=READER_STEPS,
                                                         seed=cfg["seed"] + 3)
            record[f"reader_{variant}"]["seconds"] = round(time.monotonic() - started, 1)
            print(f"report reader: {json.dumps(record[f'reader_{variant}'])}")
        options = LocusOptions(k=TOPK_DEFAULT, theta=THETA_DEFAULT,
                               dropout=cfg["prompts"]["dropout"],
                               gpfc_weight=vopts["gpfc_weight"], input_size=mcfg.input_size,
                               swap_p=opts["swap_p"],
                               confidence_weight=opts["confidence_weight"])
        record[f"locus_{variant}"] = run_phase(
            name=f"phase3-{variant}", modules={"model": vmodel}, params=params, size=len(data),
            cfg=PhaseConfig.from_dict(phases["locus"]),
            step=locus_step(vmodel, data, embeddings, options, tokenizer=tokenizer,
                            seed=cfg["seed"] + 2, first_stage=first_stage),
            checkpoint=run / f"phase3-{variant}.pt", seed=cfg["seed"] + 2)
        trainable = sum(p.numel() for p in params)
        training = {"variant": variant, "trainable_parameters": trainable,
                    "total_parameters": sum(p.numel() for p in vmodel.parameters()),
                    "train_cases": len(data), "device": device, "torch": torch.__version__}
        save_trained(run / f"{variant}.pt",
                     Trained(vmodel.cpu().eval(), vcfg, tokenizer, spec, training))
    record["seconds"] = round(time.time() - started, 1)
    record["cpu_seconds"] = round(time.process_time() - cpu_started, 1)
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
    for key in ("seconds", "prepare_seconds", "cpu_seconds"):
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
