"""Phase 1 for model v2: CLIP-style pretraining with the ImageNet image backbone locked (LiT).

With about two thousand slices, tuning a pretrained image backbone contrastively mostly forgets
ImageNet (Zhai et al., "LiT", 2022, lock the image tower for that reason), so the MobileNetV2
stages stay as ported and their stage-3/4 maps are computed once. What trains: the CLIP neck and
projection over those maps, the text encoder from scratch, and a phase-only head. Two losses:
- the contrastive loss of v1 on attention-pooled image embeddings (`phases.clip_loss`);
- a dense one: the coarse mask M = <F_t[EOS], F_v> of the same report, through a phase-only
  calibration, against the lesion mask (l_s of eq. 4), with reports swapped as in phase 3
  (`report_swap.py`), so the shared space is about lesions and places, not just whole slices.
"""
from __future__ import annotations

import numpy as np
import torch

from ..data.tokenizer import Tokenizer
from ..model.coarse_mask import CoarseMask
from ..model.locus import Locus
from .losses import clip_loss, seg_loss
from .phases import ClipHead
from .report_swap import swap_reports
from .tensors import CaseTensors


class LitHead(ClipHead):
    """ClipHead plus the dense loss's own calibration of M (phase 3 trains its own)."""

    def __init__(self, *, embed_dim: int) -> None:
        super().__init__(embed_dim=embed_dim)
        self.coarse = CoarseMask()


@torch.no_grad()
def locked_features(model: Locus, images: torch.Tensor, batch: int = 32) -> list[torch.Tensor]:
    """The locked backbone's stage-3 and stage-4 maps of every image: [N, 96, S/16, S/16] and
    [N, 320, S/32, S/32]."""
    backbone = model.prompt_generator.image_encoder.backbone.eval()
    parts = [backbone.features(images[i:i + batch])[2:] for i in range(0, len(images), batch)]
    return [torch.cat([p[j] for p in parts]) for j in range(2)]


def lit_parameters(model: Locus, head: LitHead) -> list[torch.nn.Parameter]:
    image = model.prompt_generator.image_encoder
    locked = {id(p) for p in image.backbone.parameters()}
    return ([p for p in image.parameters() if id(p) not in locked]
            + list(model.prompt_generator.text_encoder.parameters()) + list(head.parameters()))


def lit_step(model: Locus, head: LitHead, data: CaseTensors, feats: list[torch.Tensor], *,
             dense_weight: float, swap_p: float, tokenizer: Tokenizer, seed: int):
    pg = model.prompt_generator
    encoder = pg.image_encoder
    rng = np.random.default_rng(seed)

    def step(idx: torch.Tensor, _: int) -> dict:
        dense = encoder.project_stages([None, None, feats[0][idx], feats[1][idx]])  # [B, N, D]
        regions = data.regions[idx]
        text = pg.text_encoder(data.input_ids[idx], data.attention_mask[idx])  # [B, D]
        same = (regions[:, None, :] == regions[None, :, :]).all(-1).float()  # [B, B]
        contrastive = clip_loss(head.pool(dense), text, same, head.logit_scale)
        batch = swap_reports(input_ids=data.input_ids[idx], attention_mask=data.attention_mask[idx],
                             regions=regions, targets=data.targets[idx],
                             zones=None if data.zones is None else data.zones[idx], p=swap_p,
                             tokenizer=tokenizer, rng=rng)
        asked = pg.text_encoder(batch.input_ids, batch.attention_mask)
        dense_loss = seg_loss(head.coarse(dense, asked, encoder.grid), batch.targets)
        return {"loss": contrastive + dense_weight * dense_loss, "clip": contrastive.detach(),
                "dense": dense_loss.detach()}
    return step
