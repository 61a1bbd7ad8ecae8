"""SAM2-style image encoder (frozen after phase 2).

A convolutional stem gives features at 1/2, 1/4 and 1/8 of the input; transformer blocks run on the
1/8 grid; a neck maps the grid to the decoder width. Like SAM2, the two finer stem levels are
returned as high-resolution features (projected to D/8 and D/4 channels here, once per image,
rather than inside the decoder) so the mask decoder can recover detail while re-running cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .blocks import ConvStem, TransformerBlock, sincos_2d


@dataclass
class ImageEmbedding:
    """embedding [B, D, g, g]; high_res_0 [B, D/8, 4g, 4g]; high_res_1 [B, D/4, 2g, 2g]."""

    embedding: torch.Tensor
    high_res_0: torch.Tensor
    high_res_1: torch.Tensor


class SamImageEncoder(nn.Module):
    def __init__(self, *, input_size: int, stem_widths: tuple[int, int, int], width: int,
                 heads: int, depth: int, out_dim: int) -> None:
        super().__init__()
        self.grid = input_size // 2 ** len(stem_widths)
        self.stem = ConvStem(in_channels=1, widths=stem_widths)
        self.to_tokens = nn.Linear(stem_widths[-1], width)
        self.register_buffer("pos", sincos_2d(self.grid, width)[None], persistent=False)
        self.blocks = nn.ModuleList(TransformerBlock(dim=width, heads=heads) for _ in range(depth))
        self.neck = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, out_dim))
        self.high_res_0 = nn.Conv2d(stem_widths[0], out_dim // 8, 1)
        self.high_res_1 = nn.Conv2d(stem_widths[1], out_dim // 4, 1)

    def forward(self, image: torch.Tensor) -> ImageEmbedding:
        """image [B, 1, S, S] -> ImageEmbedding."""
        level0, level1, level2 = self.stem(image)
        tokens = self.to_tokens(level2.flatten(2).transpose(1, 2)) + self.pos  # [B, g*g, C]
        for block in self.blocks:
            tokens = block(tokens)
        batch = tokens.shape[0]
        grid = self.neck(tokens).transpose(1, 2).reshape(batch, -1, self.grid, self.grid)
        return ImageEmbedding(embedding=grid, high_res_0=self.high_res_0(level0),
                              high_res_1=self.high_res_1(level1))
