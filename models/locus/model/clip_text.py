"""CLIP-style text encoder split into 4 stages (frozen after phase 1).

Causal self-attention with key padding, as in CLIP: the EOS token ([SEP], the last real token) is
the only one that has seen the whole report, and its projected vector is the report embedding.
"""
from __future__ import annotations

import torch
from torch import nn

from .blocks import MASK_NEG, TransformerBlock


def eos_index(attention_mask: torch.Tensor) -> torch.Tensor:
    """attention_mask [B, L] (1 = token) -> index of the last real token [B] (int64)."""
    return attention_mask.long().sum(dim=1) - 1


def gather_tokens(tokens: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """tokens [B, L, C], index [B] -> [B, C]."""
    picked = index[:, None, None].expand(-1, 1, tokens.shape[2])
    return torch.gather(tokens, 1, picked)[:, 0]


def causal_padding_bias(attention_mask: torch.Tensor) -> torch.Tensor:
    """attention_mask [B, L] -> additive bias [B, 1, L, L]: no look-ahead, no padding keys."""
    length = attention_mask.shape[1]
    future = torch.triu(torch.ones(length, length, device=attention_mask.device), diagonal=1)
    keys = 1.0 - attention_mask.float()[:, None, None, :]
    return torch.clamp(future[None, None] + keys, max=1.0) * MASK_NEG


class ClipTextEncoder(nn.Module):
    def __init__(self, *, vocab_size: int, max_length: int, width: int, heads: int,
                 blocks_per_stage: int, stages: int, embed_dim: int) -> None:
        super().__init__()
        self.width = width
        self.token = nn.Embedding(vocab_size, width)
        self.pos = nn.Parameter(torch.randn(1, max_length, width) * 0.02)
        self.stages = nn.ModuleList(
            nn.ModuleList(TransformerBlock(dim=width, heads=heads) for _ in range(blocks_per_stage))
            for _ in range(stages))
        self.norm = nn.LayerNorm(width)
        self.proj = nn.Linear(width, embed_dim, bias=False)

    def embed(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids [B, L] -> tokens [B, L, C]."""
        return self.token(input_ids) + self.pos[:, : input_ids.shape[1]]

    def stage(self, index: int, tokens: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        for block in self.stages[index]:
            tokens = block(tokens, bias)
        return tokens

    def project_eos(self, tokens: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """tokens [B, L, C] -> EOS embedding in CLIP space [B, D]."""
        return self.proj(self.norm(gather_tokens(tokens, eos_index(attention_mask))))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Plain (bridge-free) pass -> report embeddings [B, D]."""
        bias = causal_padding_bias(attention_mask)
        tokens = self.embed(input_ids)
        for index in range(len(self.stages)):
            tokens = self.stage(index, tokens, bias)
        return self.project_eos(tokens, attention_mask)
