"""Report-conditioned targets: teach the model to segment what the report says, where it says it.

Our addition to the paper's training (like prompt dropout). With probability `p` a training case
gets a report naming a random non-empty set of regions instead of its own, and its target becomes
the ground truth restricted to those regions (the zone map of `tensors.zone_map`, the same rule
that wrote the reports). The true report names every region holding >= 2% of the lesion, so for
it the restricted target is the ground truth up to slivers; a report naming other regions asks
for (almost) nothing. Without this the model can ignore the words: a report derived from the mask
is nearly always consistent with the image, so location never has to be read.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..constants import NUM_REGIONS
from ..data.zones import report_from_zones
from ..data.tokenizer import Tokenizer
from .tensors import NO_ZONE


@dataclass
class ReportBatch:
    """input_ids/attention_mask [B, L]; regions [B, 6]; targets [B, 1, m, m]; swapped [B] bool."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    regions: torch.Tensor
    targets: torch.Tensor
    swapped: torch.Tensor


def restrict(target: torch.Tensor, zones: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """target [1, m, m], zones [m, m] uint8, labels [6] -> the target inside the named regions."""
    named = torch.zeros(NO_ZONE + 1, dtype=target.dtype, device=target.device)
    named[:NUM_REGIONS] = labels.to(target.dtype)
    return target * named[zones.long()][None]


def random_labels(rng: np.random.Generator) -> tuple[int, ...]:
    """A uniformly chosen non-empty subset of the six regions."""
    code = int(rng.integers(1, 2 ** NUM_REGIONS))
    return tuple((code >> i) & 1 for i in range(NUM_REGIONS))


def swap_reports(*, input_ids: torch.Tensor, attention_mask: torch.Tensor, regions: torch.Tensor,
                 targets: torch.Tensor, zones: torch.Tensor | None, p: float,
                 tokenizer: Tokenizer, rng: np.random.Generator) -> ReportBatch:
    """Replaces each case's report with probability p (cases with a zone map only)."""
    swapped = torch.zeros(input_ids.shape[0], dtype=torch.bool)
    if zones is None or p <= 0:
        return ReportBatch(input_ids, attention_mask, regions, targets, swapped)
    ids, mask, regs, tgts = (input_ids.clone(), attention_mask.clone(), regions.clone(),
                             targets.clone())
    for b in range(ids.shape[0]):
        if rng.random() >= p or bool((zones[b] == NO_ZONE).all()):
            continue
        labels = random_labels(rng)
        text = report_from_zones(labels, int(rng.integers(1, 6)), rng, typo_rate=0.03)
        enc = tokenizer.encode(text)
        ids[b] = torch.tensor(enc.input_ids, dtype=ids.dtype)
        mask[b] = torch.tensor(enc.attention_mask, dtype=mask.dtype)
        regs[b] = torch.tensor(labels, dtype=regs.dtype)
        tgts[b] = restrict(targets[b], zones[b], regs[b])
        swapped[b] = True
    return ReportBatch(ids, mask, regs, tgts, swapped)
