"""The shared training loop: AdamW, cosine schedule with warm-up, progress bar, resumable
checkpoints (one file per phase, written after every epoch)."""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class PhaseConfig:
    epochs: int
    batch: int
    lr: float
    weight_decay: float = 1e-3
    warmup_fraction: float = 0.05
    max_steps: int | None = None  # caps the steps of each epoch (smoke runs)

    @staticmethod
    def from_dict(raw: dict) -> "PhaseConfig":
        return PhaseConfig(**raw)


class ProgressBar:
    """One line, rewritten in place on a TTY; a line per 10% otherwise (logs stay short)."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.start = label, max(total, 1), time.time()
        self.tty = sys.stderr.isatty()
        self.last_decile = -1

    def update(self, done: int, info: str) -> None:
        frac = done / self.total
        elapsed = time.time() - self.start
        eta = elapsed / frac - elapsed if frac > 0 else 0.0
        bar = "#" * int(frac * 24)
        line = f"{self.label} [{bar:<24}] {done}/{self.total} {info} {elapsed:.0f}s eta {eta:.0f}s"
        if self.tty:
            sys.stderr.write("\r" + line)
            if done >= self.total:
                sys.stderr.write("\n")
        elif int(frac * 10) != self.last_decile:
            self.last_decile = int(frac * 10)
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def cosine_with_warmup(total: int, warmup: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
    return factor


StepFn = Callable[[torch.Tensor, int], dict]  # (batch indices, global step) -> losses (floats + "loss" tensor)


def run_phase(*, name: str, modules: dict[str, nn.Module], params: list, size: int,
              cfg: PhaseConfig, step: StepFn, checkpoint: Path, seed: int) -> dict:
    """Train `params` (parameters, or AdamW parameter groups with their own "lr") for
    cfg.epochs over `size` samples; resumes from `checkpoint` if present.

    Returns the phase record: steps, wall-clock and process CPU seconds, first and last epoch's
    mean losses.
    """
    flat = [p for g in params for p in g["params"]] if params and isinstance(params[0], dict) \
        else params
    steps_per_epoch = math.ceil(size / cfg.batch)
    if cfg.max_steps:
        steps_per_epoch = min(steps_per_epoch, cfg.max_steps)
    total = steps_per_epoch * cfg.epochs
    optim = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, cosine_with_warmup(total, max(1, int(total * cfg.warmup_fraction))))
    state = {"epoch": 0, "seconds": 0.0, "cpu_seconds": 0.0, "history": []}
    if checkpoint.exists():
        saved = torch.load(checkpoint, map_location="cpu")
        for key, module in modules.items():
            module.load_state_dict(saved["modules"][key])
        optim.load_state_dict(saved["optim"])
        sched.load_state_dict(saved["sched"])
        state = saved["state"]
        print(f"{name}: resuming after epoch {state['epoch']}/{cfg.epochs}", file=sys.stderr)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(state["epoch"]):
        torch.randperm(size, generator=gen)  # keep the shuffles of a resumed run identical
    for epoch in range(state["epoch"], cfg.epochs):
        started, cpu_started = time.time(), time.process_time()
        order = torch.randperm(size, generator=gen)
        bar = ProgressBar(f"{name} {epoch + 1}/{cfg.epochs}", steps_per_epoch)
        sums: dict[str, float] = {}
        skipped = 0
        for i in range(steps_per_epoch):
            losses = step(order[i * cfg.batch:(i + 1) * cfg.batch], epoch * steps_per_epoch + i)
            optim.zero_grad()
            losses["loss"].backward()
            norm = torch.nn.utils.clip_grad_norm_(flat, 1.0)
            if torch.isfinite(norm):
                optim.step()
            else:  # an overflowed step is skipped (and counted), never applied
                skipped += 1
            sched.step()
            for key, value in losses.items():
                sums[key] = sums.get(key, 0.0) + float(value)
            bar.update(i + 1, f"loss {sums['loss'] / (i + 1):.4f}")
        means = {k: v / steps_per_epoch for k, v in sums.items()}
        means["skipped_steps"] = skipped
        state = {"epoch": epoch + 1, "seconds": state["seconds"] + time.time() - started,
                 "cpu_seconds": state.get("cpu_seconds", 0.0) + time.process_time() - cpu_started,
                 "history": state["history"] + [means]}
        torch.save({"modules": {k: m.state_dict() for k, m in modules.items()},
                    "optim": optim.state_dict(), "sched": sched.state_dict(), "state": state},
                   checkpoint)
    return {"epochs": cfg.epochs, "steps": total, "seconds": round(state["seconds"], 1),
            "cpu_seconds": round(state.get("cpu_seconds", 0.0), 1),
            "final_losses": state["history"][-1] if state["history"] else {},
            "first_losses": state["history"][0] if state["history"] else {}}
