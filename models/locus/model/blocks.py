"""Attention and transformer building blocks shared by the encoders, QGAF and the mask decoder.

Attention is written out (no nn.MultiheadAttention) so that it exports to the same plain ONNX
ops (MatMul, Softmax) on torch 1.13 and 2.x, and so that key padding is an additive bias.
"""
from __future__ import annotations

import math

import torch
from torch import nn

#: Added to the logits of masked keys. Large but finite so fully masked rows stay finite.
MASK_NEG = -1.0e4


def key_padding_bias(valid: torch.Tensor) -> torch.Tensor:
    """valid [B, N] (1 = attend, 0 = ignore) -> additive bias [B, 1, 1, N]."""
    return (1.0 - valid.float())[:, None, None, :] * MASK_NEG


class Attention(nn.Module):
    """Multi-head attention with optional down-projection of the internal width (as in SAM)."""

    def __init__(self, *, dim: int, heads: int, kv_dim: int | None = None,
                 inner_dim: int | None = None) -> None:
        super().__init__()
        inner = inner_dim or dim
        if inner % heads:
            raise ValueError(f"inner width {inner} not divisible by {heads} heads")
        self.heads = heads
        self.q = nn.Linear(dim, inner)
        self.k = nn.Linear(kv_dim or dim, inner)
        self.v = nn.Linear(kv_dim or dim, inner)
        self.out = nn.Linear(inner, dim)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)  # [B, heads, N, c/h]

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                bias: torch.Tensor | None = None) -> torch.Tensor:
        """q [B, Nq, C], k/v [B, Nk, Ckv], bias broadcastable to [B, heads, Nq, Nk] -> [B, Nq, C]."""
        qh, kh, vh = self._split(self.q(q)), self._split(self.k(k)), self._split(self.v(v))
        logits = qh @ kh.transpose(-1, -2) / math.sqrt(qh.shape[-1])
        if bias is not None:
            logits = logits + bias
        out = torch.softmax(logits, dim=-1) @ vh  # [B, heads, Nq, c/h]
        b, h, n, c = out.shape
        return self.out(out.transpose(1, 2).reshape(b, n, h * c))


class MLP(nn.Module):
    def __init__(self, *, dim: int, hidden: int, out_dim: int | None = None) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, out_dim or dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class TransformerBlock(nn.Module):
    """Pre-norm self-attention block: x + SA(LN x), then x + MLP(LN x)."""

    def __init__(self, *, dim: int, heads: int, mlp_ratio: float = 4.0) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim=dim, heads=heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim=dim, hidden=int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
        """x [B, N, C]; bias [B, 1, N, N] or [B, 1, 1, N] -> [B, N, C]."""
        h = self.norm1(x)
        x = x + self.attn(h, h, h, bias)
        return x + self.mlp(self.norm2(x))


class ConvStem(nn.Module):
    """Strided 3x3 convolutions (each halves the resolution); returns every level's features."""

    def __init__(self, *, in_channels: int, widths: tuple[int, ...]) -> None:
        super().__init__()
        layers = []
        prev = in_channels
        for width in widths:
            layers.append(nn.Sequential(
                nn.Conv2d(prev, width, 3, stride=2, padding=1),
                nn.GroupNorm(1, width),
                nn.GELU(),
                nn.Conv2d(width, width, 3, padding=1),
                nn.GroupNorm(1, width),
                nn.GELU(),
            ))
            prev = width
        self.levels = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x [B, C_in, S, S] -> [[B, w0, S/2, S/2], [B, w1, S/4, S/4], ...]."""
        feats = []
        for level in self.levels:
            x = level(x)
            feats.append(x)
        return feats


def sincos_2d(grid: int, dim: int) -> torch.Tensor:
    """Fixed 2-D sine-cosine position table [grid * grid, dim] (row-major cells)."""
    if dim % 4:
        raise ValueError("dim must be divisible by 4")
    quarter = dim // 4
    freq = 1.0 / (10000 ** (torch.arange(quarter, dtype=torch.float32) / quarter))
    coords = torch.arange(grid, dtype=torch.float32)
    ys, xs = torch.meshgrid(coords, coords, indexing="ij")
    ang_y = ys.reshape(-1, 1) * freq[None]
    ang_x = xs.reshape(-1, 1) * freq[None]
    return torch.cat([ang_y.sin(), ang_y.cos(), ang_x.sin(), ang_x.cos()], dim=1)
