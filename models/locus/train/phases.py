"""The three training phases as step functions for `loop.run_phase`.

1. CLIP: contrastive image-report pretraining of both encoders.
2. SAM: promptable segmentation with prompts simulated from ground truth (no text yet).
3. Locus: encoders frozen; QGAF, GPFC, coarse-mask calibration, text FFN, prompt encoder and mask
   decoder trained with eq. 4, points from the coarse mask, prompt dropout.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..model.locus import Locus
from ..model.sam_image_encoder import ImageEmbedding
from ..data.tokenizer import Tokenizer
from ..constants import NUM_REGIONS
from ..model.region_gate import gate_shift, soft_clamp
from ..data.zones import report_from_zones
from .losses import (GATE_WEIGHT, IOU_WEIGHT, allowed_regions, clip_loss, gate_loss, locus_loss,
                     mask_iou, point_confidence_loss, seg_loss)
from .prompts import model_prompts, no_prompts, simulate_prompts, to_device
from .report_swap import random_labels, restrict, swap_reports
from .tensors import NO_ZONE, CaseTensors, encode_reports


class ClipHead(nn.Module):
    """Phase-1-only parts: the contrastive temperature (CLIP's init 1/0.07) and an attention pool
    (one learned query over the projected image tokens, as CLIP's ResNet pools). A plain mean over
    the tokens is dominated by the anatomy every chest image shares, and training collapses."""

    def __init__(self, *, embed_dim: int) -> None:
        super().__init__()
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.pool_query = nn.Parameter(torch.randn(embed_dim) * embed_dim ** -0.5)

    def pool(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens [B, N, D] -> [B, D]."""
        weights = torch.softmax(tokens @ self.pool_query / tokens.shape[-1] ** 0.5, dim=1)
        return (weights[..., None] * tokens).sum(dim=1)


def clip_step(model: Locus, head: ClipHead, data: CaseTensors):
    pg = model.prompt_generator

    def step(idx: torch.Tensor, _: int) -> dict:
        image_embed = head.pool(pg.image_encoder(data.images[idx]))  # [B, D]
        text_embed = pg.text_encoder(data.input_ids[idx], data.attention_mask[idx])
        regions = data.regions[idx]
        same = (regions[:, None, :] == regions[None, :, :]).all(-1).float()  # [B, B]
        return {"loss": clip_loss(image_embed, text_embed, same, head.logit_scale)}
    return step


def restrict_to_regions(targets: torch.Tensor, zones: torch.Tensor | None, p: float,
                        rng: np.random.Generator
                        ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """With probability p per case (cases with a zone map only), the target restricted to a
    random non-empty set of regions (`report_swap.restrict`). Returns the targets, which cases
    were restricted [B] bool and the regions each case keeps [B, 6] (all six when unrestricted)."""
    restricted = torch.zeros(targets.shape[0], dtype=torch.bool)
    kept = torch.ones(targets.shape[0], NUM_REGIONS, dtype=targets.dtype)
    if zones is None or p <= 0:
        return targets, restricted, kept
    out = targets.clone()
    for b in range(targets.shape[0]):
        if rng.random() >= p or bool((zones[b] == NO_ZONE).all()):
            continue
        kept[b] = torch.tensor(random_labels(rng), dtype=targets.dtype)
        out[b] = restrict(targets[b], zones[b], kept[b])
        restricted[b] = True
    return out, restricted, kept


def simulated_gate(coarse: torch.Tensor, zones: torch.Tensor | None,
                   kept: torch.Tensor) -> torch.Tensor:
    """Phase 2's coarse prompts in the gated convention of phase 3 (`model/region_gate.py`):
    floored, and lowered by log(gate) where the gate is the share of each coarse cell lying in
    the regions the case keeps (padding counts as kept: phase 3 never learns a gate there)."""
    coarse = soft_clamp(coarse)
    if zones is None:
        return coarse
    allowed = torch.ones(NO_ZONE + 1, zones.shape[0], dtype=coarse.dtype)
    allowed[:NUM_REGIONS] = kept.t().to(coarse.dtype)
    cases = torch.arange(zones.shape[0])[:, None, None]
    open_share = allowed[zones.long().cpu(), cases]  # [B, m, m]
    gate = F.adaptive_avg_pool2d(open_share[:, None], coarse.shape[-2:])
    return coarse + gate_shift(gate.to(coarse.device))


def sam_step(model: Locus, data: CaseTensors, *, grid: int, input_size: int, seed: int,
             prompt_free: bool = False, restrict_p: float = 0.0):
    """Phase 2 step; `grid` is the coarse grid the simulated coarse masks are made on.
    `prompt_free` switches every prompt off (the image-only reference model). `restrict_p`: the
    share of cases whose target is the ground truth in a random set of regions, with the coarse
    mask prompt (made from that target) always on, so the decoder learns to segment what its
    prompts point at rather than every lesion the image shows (phase 3's location awareness
    reaches the mask only through the prompts)."""
    rng = np.random.default_rng(seed)
    sam = model.sam

    def step(idx: torch.Tensor, _: int) -> dict:
        target = data.targets[idx]
        zones = None if data.zones is None else data.zones[idx]
        if not prompt_free:
            target, restricted, kept = restrict_to_regions(target, zones, restrict_p, rng)
        prompts = to_device(simulate_prompts(target, grid=grid, input_size=input_size, rng=rng),
                            target.device)
        if sam.veto and not prompt_free:
            prompts.coarse_logits = simulated_gate(prompts.coarse_logits, zones, kept)
        if prompt_free:
            prompts = no_prompts(prompts)
        else:
            prompts.has_mask = torch.maximum(prompts.has_mask, restricted.to(prompts.has_mask))
        out = sam.decode(sam.encode(data.images[idx]), coords=prompts.coords,
                         labels=prompts.labels, coarse_logits=prompts.coarse_logits,
                         has_mask=prompts.has_mask,
                         text=torch.zeros(len(idx), sam.decoder.iou_token.shape[-1], device=target.device),
                         has_text=prompts.has_text)
        seg = seg_loss(out.mask_logits, target)
        iou = F.mse_loss(out.iou[:, 0], mask_iou(out.mask_logits.detach(), target))
        return {"loss": seg + IOU_WEIGHT * iou, "seg": seg.detach()}
    return step


#: Phase 3 keeps the frozen encoders' outputs in memory up to this many bytes (else recomputes).
CACHE_BUDGET_BYTES = 3 * 1024 ** 3


@torch.no_grad()
def cache_embeddings(model: Locus, images: torch.Tensor, batch: int = 32) -> ImageEmbedding | None:
    """The frozen SAM image encoder run once over every training image (None when the cache
    would pass CACHE_BUDGET_BYTES: phase 3 then encodes each batch again)."""
    model.sam.image_encoder.eval()
    probe = model.sam.encode(images[:1])
    per_case = sum(t.numel() * t.element_size() for t in
                   (probe.embedding, probe.high_res_0, probe.high_res_1))
    if per_case * images.shape[0] > CACHE_BUDGET_BYTES:
        return None
    parts = [model.sam.encode(images[i:i + batch]) for i in range(0, images.shape[0], batch)]
    return ImageEmbedding(*(torch.cat([getattr(p, f) for p in parts]).contiguous() for f in
                            ("embedding", "high_res_0", "high_res_1")))


@torch.no_grad()
def cache_first_stage(model: Locus, images: torch.Tensor, batch: int = 32) -> torch.Tensor | None:
    """The frozen CLIP image encoder's stage-1 output for every training image (nothing before
    the first QGAF learns in phase 3), or None past CACHE_BUDGET_BYTES."""
    encoder = model.prompt_generator.image_encoder
    encoder.eval()
    probe = encoder.stage(0, encoder.embed(images[:1]))
    if probe.numel() * probe.element_size() * images.shape[0] > CACHE_BUDGET_BYTES:
        return None
    return torch.cat([encoder.stage(0, encoder.embed(images[i:i + batch]))
                      for i in range(0, images.shape[0], batch)])


def generated_reports(rng: np.random.Generator, n: int) -> tuple[list[str], torch.Tensor]:
    """n reports of the rule that wrote the datasets' (`report_from_zones`, 3% typos) over random
    non-empty region sets, one in ten a normal report; and their region labels [n, 6]."""
    texts, labels = [], []
    for _ in range(n):
        regions = random_labels(rng) if rng.random() >= 0.1 else (0,) * NUM_REGIONS
        texts.append(report_from_zones(regions, int(rng.integers(1, 8)), rng, typo_rate=0.03))
        labels.append(regions)
    return texts, torch.tensor(labels, dtype=torch.float32)


def warm_up_reader(model: Locus, tokenizer: Tokenizer, *, steps: int, seed: int,
                   batch: int = 64, lr: float = 3.0e-3) -> dict:
    """Our addition: before phase 3, the location gate's report reader (`region_gate.py`) learns
    to read reports on generated ones, text only (seconds on a CPU), so that phase 3 starts with a
    gate that follows the words. Returns the share of fresh generated reports whose six regions it
    reads right, before and after."""
    reader = model.prompt_generator.gate.reader
    embed = model.prompt_generator.text_encoder.embed
    rng = np.random.default_rng(seed)
    device = next(reader.parameters()).device

    def batch_of(n: int):
        texts, labels = generated_reports(rng, n)
        ids, mask = encode_reports(texts, tokenizer)
        with torch.no_grad():
            tokens = embed(ids.to(device))
        return tokens, mask.to(device), allowed_regions(labels).to(device)

    @torch.no_grad()
    def accuracy() -> float:
        tokens, mask, target = batch_of(512)
        right = ((reader(tokens, mask) > 0).float() == target).all(dim=1)
        return round(float(right.float().mean()), 4)

    before = accuracy()
    optimizer = torch.optim.Adam(reader.parameters(), lr=lr)
    reader.train()
    for _ in range(steps):
        tokens, mask, target = batch_of(batch)
        loss = F.binary_cross_entropy_with_logits(reader(tokens, mask), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"steps": steps, "batch": batch, "accuracy_before": before, "accuracy": accuracy(),
            "final_loss": round(float(loss), 4) if steps else None}


@dataclass(frozen=True)
class LocusOptions:
    """Phase-3 settings: Top-k, prompt dropout, GPFC weight (eq. 4), and our additions: report
    swapping (`report_swap.py`) and the point-confidence hinge (`losses.point_confidence_loss`)."""

    k: int
    theta: float
    dropout: float
    gpfc_weight: float
    input_size: int
    swap_p: float = 0.0
    confidence_weight: float = 0.0


def _embedding(model: Locus, data: CaseTensors, embeddings: ImageEmbedding | None,
               idx: torch.Tensor) -> ImageEmbedding:
    """The frozen SAM encoder's output for a batch: cached, or computed now without gradients."""
    if embeddings is not None:
        return ImageEmbedding(embeddings.embedding[idx], embeddings.high_res_0[idx],
                              embeddings.high_res_1[idx])
    with torch.no_grad():
        return model.sam.encode(data.images[idx])


def locus_step(model: Locus, data: CaseTensors, embeddings: ImageEmbedding | None,
               opts: LocusOptions, *, tokenizer: Tokenizer, seed: int,
               first_stage: torch.Tensor | None = None):
    """Phase 3 step; `embeddings` / `first_stage` are the frozen encoders' cached outputs
    (`cache_embeddings`, `cache_first_stage`) or None to compute them per batch."""
    rng = np.random.default_rng(seed)

    def step(idx: torch.Tensor, _: int) -> dict:
        batch = swap_reports(input_ids=data.input_ids[idx], attention_mask=data.attention_mask[idx],
                             regions=data.regions[idx], targets=data.targets[idx],
                             zones=None if data.zones is None else data.zones[idx],
                             p=opts.swap_p, tokenizer=tokenizer, rng=rng)
        out = model.prompt_generator(data.images[idx], batch.input_ids, batch.attention_mask,
                                     first_stage=None if first_stage is None else first_stage[idx])
        prompts = model_prompts(out.coarse_logits, k=opts.k, theta=opts.theta,
                                input_size=opts.input_size, dropout=opts.dropout, rng=rng)
        dec = model.sam.decode(_embedding(model, data, embeddings, idx), coords=prompts.coords,
                               labels=prompts.labels, coarse_logits=prompts.coarse_logits,
                               has_mask=prompts.has_mask, text=out.text_prompt,
                               has_text=prompts.has_text)
        loss = locus_loss(coarse_logits=out.coarse_logits, mask_logits=dec.mask_logits,
                          iou_pred=dec.iou, gpfc_logits=out.gpfc_logits,
                          target=batch.targets, regions=batch.regions,
                          gpfc_weight=opts.gpfc_weight)
        total = loss.total
        record = {"coarse": loss.coarse.detach(), "final": loss.final.detach(),
                  "gpfc": loss.gpfc.detach()}
        if out.zone_logits is not None and out.region_logits is not None:
            gate = gate_loss(out.zone_logits, out.region_logits,
                             None if data.zones is None else data.zones[idx], batch.regions)
            total = total + GATE_WEIGHT * gate
            record["gate"] = gate.detach()
        if opts.confidence_weight > 0:
            conf = point_confidence_loss(out.coarse_logits, batch.targets, theta=opts.theta)
            total = total + opts.confidence_weight * conf
            record["confidence"] = conf.detach()
        return {"loss": total, **record}
    return step


def freeze_for_phase3(model: Locus) -> list[nn.Parameter]:
    """Freeze CLIP encoders and the SAM image encoder; return the trainable parameters."""
    frozen = [model.prompt_generator.image_encoder, model.prompt_generator.text_encoder,
              model.sam.image_encoder]
    for module in frozen:
        module.requires_grad_(False)
        module.eval()
    return [p for p in model.parameters() if p.requires_grad]
