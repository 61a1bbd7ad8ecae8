"""SAM's two-way transformer: prompt tokens and image cells attend to each other.

Each layer: token self-attention, token -> image cross-attention, token MLP, image -> token
cross-attention; a final token -> image attention. Positional encodings are re-added to queries
and keys at every attention (tokens use their own initial embedding as their encoding). Masked
(switched-off) tokens are removed from every attention as keys.
"""
from __future__ import annotations

import torch
from torch import nn

from .blocks import MLP, Attention, key_padding_bias


class TwoWayLayer(nn.Module):
    def __init__(self, *, dim: int, heads: int, mlp_dim: int, downsample: int,
                 skip_first_pe: bool) -> None:
        super().__init__()
        self.skip_first_pe = skip_first_pe
        self.self_attn = Attention(dim=dim, heads=heads)
        self.norm1 = nn.LayerNorm(dim)
        self.to_image = Attention(dim=dim, heads=heads, inner_dim=dim // downsample)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim=dim, hidden=mlp_dim)
        self.norm3 = nn.LayerNorm(dim)
        self.to_tokens = Attention(dim=dim, heads=heads, inner_dim=dim // downsample)
        self.norm4 = nn.LayerNorm(dim)

    def forward(self, tokens: torch.Tensor, image: torch.Tensor, token_pe: torch.Tensor,
                image_pe: torch.Tensor, token_bias: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """tokens [B, T, D], image [B, HW, D], token_bias [B, 1, 1, T]."""
        if self.skip_first_pe:
            tokens = self.self_attn(tokens, tokens, tokens, token_bias)
        else:
            q = tokens + token_pe
            tokens = tokens + self.self_attn(q, q, tokens, token_bias)
        tokens = self.norm1(tokens)
        q, k = tokens + token_pe, image + image_pe
        tokens = self.norm2(tokens + self.to_image(q, k, image))
        tokens = self.norm3(tokens + self.mlp(tokens))
        q, k = tokens + token_pe, image + image_pe
        image = self.norm4(image + self.to_tokens(k, q, tokens, token_bias))
        return tokens, image


class TwoWayTransformer(nn.Module):
    def __init__(self, *, dim: int, heads: int, depth: int, mlp_dim: int,
                 downsample: int = 2) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TwoWayLayer(dim=dim, heads=heads, mlp_dim=mlp_dim, downsample=downsample,
                        skip_first_pe=(i == 0)) for i in range(depth))
        self.final = Attention(dim=dim, heads=heads, inner_dim=dim // downsample)
        self.norm = nn.LayerNorm(dim)

    def forward(self, image: torch.Tensor, image_pe: torch.Tensor, tokens: torch.Tensor,
                valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """image/image_pe [B, D, g, g], tokens [B, T, D], valid [B, T] -> (tokens, image [B, g*g, D])."""
        image = image.flatten(2).transpose(1, 2)
        image_pe = image_pe.flatten(2).transpose(1, 2)
        bias = key_padding_bias(valid)
        token_pe = tokens
        for layer in self.layers:
            tokens, image = layer(tokens, image, token_pe, image_pe, bias)
        q, k = tokens + token_pe, image + image_pe
        return self.norm(tokens + self.final(q, k, image)), image
