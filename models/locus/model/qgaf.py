"""QGAF: query-guided alignment fusion between the image and text streams (paper eq. 1-2).

After stage i of both encoders:
    t, v = zoom_in_t(F_t), zoom_in_v(F_v)                       # [B, L, C_f], [B, N, C_f]
    s_t  = MHSA([Q; t])          (T learnable queries + text, padding keys masked)
    s_v  = MHSA(v)
    F_t' = F_t + zoom_out_t( MHCA(q=s_t, kv=s_v) )[the L text positions]
    F_v' = F_v + zoom_out_v( MHCA(q=s_v, kv=s_t) )               (padding keys masked)
The T query outputs are not carried to the next stage: each stage owns its own queries, which act
as learned context. zoom_out is zero-initialised so a fresh bridge is the identity and the frozen
encoders start exactly where phase 1 left them.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from .blocks import MLP, Attention, key_padding_bias
from .mobilenet_v2 import map_to_tokens, tokens_to_map


class QGAF(nn.Module):
    def __init__(self, *, image_width: int, text_width: int, fused_width: int, queries: int,
                 heads: int) -> None:
        super().__init__()
        self.queries = nn.Parameter(torch.randn(1, queries, fused_width) * 0.02)
        self.zoom_in_v = nn.Sequential(nn.LayerNorm(image_width), nn.Linear(image_width, fused_width))
        self.zoom_in_t = nn.Sequential(nn.LayerNorm(text_width), nn.Linear(text_width, fused_width))
        self.self_v = Attention(dim=fused_width, heads=heads)
        self.self_t = Attention(dim=fused_width, heads=heads)
        self.norm_v = nn.LayerNorm(fused_width)
        self.norm_t = nn.LayerNorm(fused_width)
        self.cross_v = Attention(dim=fused_width, heads=heads)  # image queries, text keys
        self.cross_t = Attention(dim=fused_width, heads=heads)  # text queries, image keys
        self.zoom_out_v = MLP(dim=fused_width, hidden=fused_width * 2, out_dim=image_width)
        self.zoom_out_t = MLP(dim=fused_width, hidden=fused_width * 2, out_dim=text_width)
        for head in (self.zoom_out_v, self.zoom_out_t):
            nn.init.zeros_(head.fc2.weight)
            nn.init.zeros_(head.fc2.bias)

    def forward(self, image_tokens: torch.Tensor, text_tokens: torch.Tensor,
                attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """image_tokens [B, N, Cv], text_tokens [B, L, Ct], attention_mask [B, L] -> updated both."""
        batch, num_queries = image_tokens.shape[0], self.queries.shape[1]
        v = self.zoom_in_v(image_tokens)  # [B, N, C_f]
        t = torch.cat([self.queries.expand(batch, -1, -1), self.zoom_in_t(text_tokens)], dim=1)
        valid_t = torch.cat([torch.ones_like(attention_mask[:, :1]).expand(-1, num_queries),
                             attention_mask], dim=1)  # [B, T + L]
        bias_t = key_padding_bias(valid_t)  # [B, 1, 1, T + L]
        s_v = self.norm_v(v + self.self_v(v, v, v))
        s_t = self.norm_t(t + self.self_t(t, t, t, bias_t))
        fused_t = self.cross_t(s_t, s_v, s_v)[:, num_queries:]  # [B, L, C_f]
        fused_v = self.cross_v(s_v, s_t, s_t, bias_t)  # [B, N, C_f]
        return image_tokens + self.zoom_out_v(fused_v), text_tokens + self.zoom_out_t(fused_t)


def fourier_positions(size: int, dim: int) -> torch.Tensor:
    """Fixed encoding of a size x size grid's cell centres, in units of the whole map (so maps of
    different resolution agree on where a point is) -> [size * size, dim] (row-major cells)."""
    quarter = dim // 4
    freqs = math.pi * torch.arange(1, quarter + 1, dtype=torch.float32)
    centres = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    ys, xs = torch.meshgrid(centres, centres, indexing="ij")
    ang_y = ys.reshape(-1, 1) * freqs[None]
    ang_x = xs.reshape(-1, 1) * freqs[None]
    return torch.cat([ang_y.sin(), ang_y.cos(), ang_x.sin(), ang_x.cos()], dim=1)


class MapQGAF(QGAF):
    """QGAF on a convolutional stage's output map [B, C, H, W] (model v2).

    The same eq. 1-2 with two changes for large maps: the image self-attention and the text ->
    image cross-attention see the map average-pooled to at most `pool` x `pool` cells (4,096
    tokens at stride 4 would cost 16 M attention weights per head), and the pooled context is
    upsampled back onto every cell before the image -> text cross-attention, which runs at full
    resolution (its keys are only the T + L text tokens). Fixed position encodings are added to
    the zoomed image tokens, since convolutional features say little about where they are and
    the report names places.
    """

    def __init__(self, *, image_width: int, text_width: int, fused_width: int, queries: int,
                 heads: int, pool: int) -> None:
        super().__init__(image_width=image_width, text_width=text_width, fused_width=fused_width,
                         queries=queries, heads=heads)
        self.pool = pool
        self.norm_ctx = nn.LayerNorm(fused_width)

    def _zoom_in(self, image_map: torch.Tensor) -> torch.Tensor:
        """[B, C, h, w] (square) -> zoomed tokens with positions [B, h*w, C_f]."""
        size = int(image_map.shape[-1])
        tokens = map_to_tokens(image_map)
        zoomed = self.zoom_in_v(tokens)
        return zoomed + fourier_positions(size, zoomed.shape[-1]).to(zoomed.dtype)

    def forward(self, image_map: torch.Tensor, text_tokens: torch.Tensor,
                attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """image_map [B, Cv, H, W] (H = W), text_tokens [B, L, Ct], attention_mask [B, L]."""
        # plain ints: the pooling and the position table are fixed by the (static) map size
        batch, _, height, width = (int(v) for v in image_map.shape)
        num_queries = self.queries.shape[1]
        factor = max(height // self.pool, 1)
        pooled = F.avg_pool2d(image_map, factor) if factor > 1 else image_map
        v_full = self._zoom_in(image_map)  # [B, H*W, C_f]
        v_pool = self._zoom_in(pooled)  # [B, P, C_f]
        t = torch.cat([self.queries.expand(batch, -1, -1), self.zoom_in_t(text_tokens)], dim=1)
        valid_t = torch.cat([torch.ones_like(attention_mask[:, :1]).expand(-1, num_queries),
                             attention_mask], dim=1)
        bias_t = key_padding_bias(valid_t)  # [B, 1, 1, T + L]
        s_pool = self.norm_v(v_pool + self.self_v(v_pool, v_pool, v_pool))
        s_t = self.norm_t(t + self.self_t(t, t, t, bias_t))
        fused_t = self.cross_t(s_t, s_pool, s_pool)[:, num_queries:]  # [B, L, C_f]
        side = int(pooled.shape[-1])
        context = tokens_to_map(s_pool - v_pool, side, side)
        if factor > 1:
            context = F.interpolate(context, size=(height, width), mode="bilinear",
                                    align_corners=False)
        s_v = self.norm_ctx(v_full + map_to_tokens(context))
        fused_v = self.cross_v(s_v, s_t, s_t, bias_t)  # [B, H*W, C_f]
        update = tokens_to_map(self.zoom_out_v(fused_v), height, width)
        return image_map + update, text_tokens + self.zoom_out_t(fused_t)
