"""Text prompt: FFN(F_t[EOS]) -> one sparse token of the SAM decoder's width."""
from __future__ import annotations

import torch
from torch import nn

from .blocks import MLP


class TextPrompt(nn.Module):
    def __init__(self, *, embed_dim: int, decoder_dim: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(embed_dim)
        self.ffn = MLP(dim=embed_dim, hidden=decoder_dim * 2, out_dim=decoder_dim)

    def forward(self, text_embed: torch.Tensor) -> torch.Tensor:
        """text_embed [B, D] -> text prompt [B, D_dec]."""
        return self.ffn(self.norm(text_embed))
