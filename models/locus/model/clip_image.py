"""CLIP-style image encoder split into 4 stages (frozen after phase 1).

A convolutional stem turns the [B, 1, S, S] image into a g x g grid of tokens (g = S / 2^levels);
each stage is a run of transformer blocks at that constant resolution, so QGAF can work on the
grid after every stage. `project` maps tokens into the shared CLIP space (per token: the coarse
mask needs dense features).
"""
from __future__ import annotations

import torch
from torch import nn

from .blocks import ConvStem, TransformerBlock, sincos_2d


class ClipImageEncoder(nn.Module):
    def __init__(self, *, input_size: int, stem_widths: tuple[int, ...], width: int, heads: int,
                 blocks_per_stage: int, stages: int, embed_dim: int) -> None:
        super().__init__()
        self.grid = input_size // 2 ** len(stem_widths)
        self.width = width
        self.stem = ConvStem(in_channels=1, widths=stem_widths)
        self.to_tokens = nn.Linear(stem_widths[-1], width)
        self.register_buffer("pos", sincos_2d(self.grid, width)[None], persistent=False)
        self.stages = nn.ModuleList(
            nn.ModuleList(TransformerBlock(dim=width, heads=heads) for _ in range(blocks_per_stage))
            for _ in range(stages))
        self.norm = nn.LayerNorm(width)
        self.proj = nn.Linear(width, embed_dim, bias=False)

    def embed(self, image: torch.Tensor) -> torch.Tensor:
        """image [B, 1, S, S] -> tokens [B, g*g, C] (row-major cells)."""
        feat = self.stem(image)[-1]  # [B, C_stem, g, g]
        tokens = feat.flatten(2).transpose(1, 2)  # [B, g*g, C_stem]
        return self.to_tokens(tokens) + self.pos

    def stage(self, index: int, tokens: torch.Tensor) -> torch.Tensor:
        for block in self.stages[index]:
            tokens = block(tokens)
        return tokens

    @staticmethod
    def tokens(tokens: torch.Tensor) -> torch.Tensor:
        """Stage outputs are already tokens [B, N, C]."""
        return tokens

    def project_stages(self, stages: list[torch.Tensor]) -> torch.Tensor:
        """The last stage's tokens -> per-token CLIP embeddings [B, N, D]."""
        return self.project(stages[-1])

    def project(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens [B, N, C] -> per-token CLIP embeddings [B, N, D]."""
        return self.proj(self.norm(tokens))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """Plain (bridge-free) pass -> per-token embeddings [B, g*g, D]."""
        tokens = self.embed(image)
        for index in range(len(self.stages)):
            tokens = self.stage(index, tokens)
        return self.project(tokens)
