"""Coarse mask M = <F_t[EOS], F_v(p)> in the shared CLIP space (paper Sec. 3.3).

Both sides are L2-normalised as in CLIP; a learnable logit scale and bias (2 scalars, trained in
phase 3) calibrate the cosine into logits so that sigmoid(M) > theta is meaningful.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


class CoarseMask(nn.Module):
    def __init__(self, *, init_scale: float = 10.0, init_bias: float = -2.0) -> None:
        super().__init__()
        self.log_scale = nn.Parameter(torch.tensor(math.log(init_scale)))
        self.bias = nn.Parameter(torch.tensor(init_bias))

    def forward(self, image_embed: torch.Tensor, text_embed: torch.Tensor, grid: int) -> torch.Tensor:
        """image_embed [B, g*g, D], text_embed [B, D] -> logits [B, 1, g, g]."""
        v = F.normalize(image_embed, dim=-1)
        t = F.normalize(text_embed, dim=-1)
        cosine = (v @ t[:, :, None])[:, :, 0]  # [B, g*g]
        logits = cosine * self.log_scale.exp() + self.bias
        return logits.reshape(-1, 1, grid, grid)
