"""SAM-style prompt encoder: points, the coarse mask and the text prompt -> decoder tokens.

Branch-free so the exported decoder has one fixed graph: a prompt is switched off by its flag
(points by label -1), never by a different graph. Switched-off sparse tokens are masked out of
attention by `valid`, so the output does not depend on the padding.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class Prompts:
    """sparse [B, N+1, D] (points then text); valid [B, N+1]; dense [B, D, g, g]."""

    sparse: torch.Tensor
    valid: torch.Tensor
    dense: torch.Tensor


class RandomFourierPE(nn.Module):
    """Positional encoding of normalised (x, y) in [0, 1] by a fixed random Gaussian matrix."""

    def __init__(self, *, dim: int, seed: int = 0) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.register_buffer("gaussian", torch.randn(2, dim // 2, generator=gen))

    def forward(self, xy: torch.Tensor) -> torch.Tensor:
        """xy [..., 2] in [0, 1] -> [..., dim]."""
        proj = (2.0 * xy - 1.0) @ self.gaussian * (2.0 * math.pi)
        return torch.cat([proj.sin(), proj.cos()], dim=-1)

    def grid(self, size: int) -> torch.Tensor:
        """Dense encoding of a size x size grid of cell centres -> [1, dim, size, size]."""
        centres = (torch.arange(size, dtype=torch.float32) + 0.5) / size
        ys, xs = torch.meshgrid(centres, centres, indexing="ij")
        return self(torch.stack([xs, ys], dim=-1)).permute(2, 0, 1)[None]


class PromptEncoder(nn.Module):
    def __init__(self, *, dim: int, input_size: int, grid: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.grid = grid
        self.mask_size = grid * 4
        self.pe = RandomFourierPE(dim=dim)
        self.positive = nn.Parameter(torch.randn(dim) * 0.02)
        self.negative = nn.Parameter(torch.randn(dim) * 0.02)
        self.not_a_point = nn.Parameter(torch.randn(dim) * 0.02)
        self.text_type = nn.Parameter(torch.randn(dim) * 0.02)
        self.no_mask = nn.Parameter(torch.randn(dim) * 0.02)
        quarter = max(dim // 4, 4)
        self.mask_down = nn.Sequential(
            nn.Conv2d(1, quarter, 2, stride=2), nn.GroupNorm(1, quarter), nn.GELU(),
            nn.Conv2d(quarter, dim, 2, stride=2), nn.GroupNorm(1, dim), nn.GELU(),
            nn.Conv2d(dim, dim, 1))

    def image_pe(self) -> torch.Tensor:
        return self.pe.grid(self.grid)  # [1, D, g, g]

    def points(self, coords: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """coords [B, N, 2] (frame pixels), labels [B, N] in {-1, 0, 1} -> [B, N, D]."""
        is_pos = (labels == 1).float()[..., None]
        is_neg = (labels == 0).float()[..., None]
        is_none = (labels < 0).float()[..., None]
        pe = self.pe(coords / self.input_size) * (1.0 - is_none)
        return pe + is_pos * self.positive + is_neg * self.negative + is_none * self.not_a_point

    def dense(self, coarse_logits: torch.Tensor, has_mask: torch.Tensor) -> torch.Tensor:
        """coarse_logits [B, 1, gc, gc] (any grid), has_mask [B] -> [B, D, g, g]."""
        up = F.interpolate(coarse_logits, size=(self.mask_size, self.mask_size), mode="bilinear",
                           align_corners=False)
        embedded = self.mask_down(up)
        flag = has_mask.float()[:, None, None, None]
        return flag * embedded + (1.0 - flag) * self.no_mask[None, :, None, None]

    def forward(self, coords: torch.Tensor, labels: torch.Tensor, coarse_logits: torch.Tensor,
                has_mask: torch.Tensor, text: torch.Tensor, has_text: torch.Tensor) -> Prompts:
        """text [B, D], has_text [B] -> Prompts."""
        point_tokens = self.points(coords, labels)
        text_token = (text + self.text_type)[:, None]  # [B, 1, D]
        sparse = torch.cat([point_tokens, text_token], dim=1)
        valid = torch.cat([(labels >= 0).float(), has_text.float()[:, None]], dim=1)
        return Prompts(sparse=sparse, valid=valid, dense=self.dense(coarse_logits, has_mask))
