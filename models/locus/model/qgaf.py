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

import torch
from torch import nn

from .blocks import MLP, Attention, key_padding_bias


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
