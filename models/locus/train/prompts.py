"""Prompts during training: simulated from ground truth (phase 2) or from the coarse mask with
prompt dropout (phase 3). Both produce the decoder's fixed slots (label -1 = none)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from ..constants import MAX_POINTS
from ..model.points import topk_slots


@dataclass
class DecoderPrompts:
    """coords [B, N, 2]; labels [B, N]; coarse_logits [B, 1, g, g]; has_mask/has_text [B]."""

    coords: torch.Tensor
    labels: torch.Tensor
    coarse_logits: torch.Tensor
    has_mask: torch.Tensor
    has_text: torch.Tensor


def _sample_cells(weights: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    flat = weights.reshape(-1)
    if count == 0 or flat.sum() <= 0:
        return np.zeros((0,), dtype=np.int64)
    return rng.choice(flat.size, size=min(count, int((flat > 0).sum())), replace=False,
                      p=flat / flat.sum())


def simulate_prompts(targets: torch.Tensor, *, grid: int, input_size: int,
                     rng: np.random.Generator) -> DecoderPrompts:
    """targets [B, 1, m, m] soft masks -> random positive/negative points and a noisy coarse mask."""
    batch, size = targets.shape[0], targets.shape[-1]
    coords = np.zeros((batch, MAX_POINTS, 2), dtype=np.float32)
    labels = np.full((batch, MAX_POINTS), -1.0, dtype=np.float32)
    cell = input_size / size
    for b in range(batch):
        mask = targets[b, 0].cpu().numpy() > 0.5
        pos = _sample_cells(mask.astype(np.float64), int(rng.integers(0, 4)), rng)
        neg = _sample_cells((~mask).astype(np.float64), int(rng.integers(0, 3)) * (rng.random() < 0.5), rng)
        for slot, (flat, label) in enumerate([(p, 1.0) for p in pos] + [(n, 0.0) for n in neg]):
            row, col = divmod(int(flat), size)
            coords[b, slot] = ((col + rng.random()) * cell, (row + rng.random()) * cell)
            labels[b, slot] = label
    pooled = F.adaptive_avg_pool2d(targets.cpu(), grid)  # [B, 1, g, g]
    sharpness = torch.from_numpy(rng.uniform(3.0, 10.0, size=(batch, 1, 1, 1)).astype(np.float32))
    noise = torch.from_numpy(rng.normal(0.0, 1.5, size=pooled.shape).astype(np.float32))
    coarse = (pooled - 0.5) * 2.0 * sharpness + noise
    has_mask = torch.from_numpy((rng.random(batch) < 0.6).astype(np.float32))
    return DecoderPrompts(torch.from_numpy(coords), torch.from_numpy(labels), coarse, has_mask,
                          torch.zeros(batch))


def no_prompts(prompts: DecoderPrompts) -> DecoderPrompts:
    """The same batch with every prompt switched off (labels -1, both flags 0)."""
    return DecoderPrompts(prompts.coords, torch.full_like(prompts.labels, -1.0),
                          prompts.coarse_logits, torch.zeros_like(prompts.has_mask),
                          torch.zeros_like(prompts.has_text))


def to_device(prompts: DecoderPrompts, device: torch.device) -> DecoderPrompts:
    return DecoderPrompts(*(getattr(prompts, f).to(device) for f in
                            ("coords", "labels", "coarse_logits", "has_mask", "has_text")))


def model_prompts(coarse_logits: torch.Tensor, *, k: int, theta: float, input_size: int,
                  dropout: float, rng: np.random.Generator) -> DecoderPrompts:
    """Top-k points from the (detached) coarse mask; each prompt dropped with p = dropout."""
    batch = coarse_logits.shape[0]
    logits = coarse_logits.detach().cpu().numpy()
    coords = np.zeros((batch, MAX_POINTS, 2), dtype=np.float32)
    labels = np.full((batch, MAX_POINTS), -1.0, dtype=np.float32)
    for b in range(batch):
        if rng.random() >= dropout:
            slots = topk_slots(logits[b, 0], k=k, theta=theta, input_size=input_size)
            coords[b], labels[b] = slots.coords, slots.labels
    keep = (rng.random((2, batch)) >= dropout).astype(np.float32)
    device = coarse_logits.device
    return DecoderPrompts(torch.from_numpy(coords).to(device), torch.from_numpy(labels).to(device),
                          coarse_logits, torch.from_numpy(keep[0]).to(device),
                          torch.from_numpy(keep[1]).to(device))
