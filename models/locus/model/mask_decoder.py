"""SAM2-style mask decoder: one mask token and one IoU token, upscaling with high-res features."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .blocks import MLP
from .prompt_encoder import Prompts
from .sam_image_encoder import ImageEmbedding
from .transformer import TwoWayTransformer


@dataclass
class DecoderOutputs:
    """mask_logits [B, 1, 4g, 4g]; iou [B, 1]."""

    mask_logits: torch.Tensor
    iou: torch.Tensor


class MaskDecoder(nn.Module):
    def __init__(self, *, dim: int, transformer: TwoWayTransformer) -> None:
        super().__init__()
        self.transformer = transformer
        self.iou_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.mask_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.up1 = nn.ConvTranspose2d(dim, dim // 4, 2, stride=2)
        self.up1_norm = nn.GroupNorm(1, dim // 4)
        self.up2 = nn.ConvTranspose2d(dim // 4, dim // 8, 2, stride=2)
        self.act = nn.GELU()
        self.hyper = MLP(dim=dim, hidden=dim, out_dim=dim // 8)
        self.iou_head = MLP(dim=dim, hidden=dim, out_dim=1)

    def forward(self, image: ImageEmbedding, image_pe: torch.Tensor,
                prompts: Prompts) -> DecoderOutputs:
        batch = prompts.sparse.shape[0]
        out_tokens = torch.cat([self.iou_token, self.mask_token], dim=1).expand(batch, -1, -1)
        tokens = torch.cat([out_tokens, prompts.sparse], dim=1)  # [B, 2 + N + 1, D]
        valid = torch.cat([torch.ones_like(prompts.valid[:, :2]), prompts.valid], dim=1)
        src = image.embedding + prompts.dense  # [B, D, g, g]
        tokens, cells = self.transformer(src, image_pe, tokens, valid)
        b, d, g, _ = src.shape
        grid = cells.transpose(1, 2).reshape(b, d, g, g)
        up = self.act(self.up1_norm(self.up1(grid) + image.high_res_1))  # [B, D/4, 2g, 2g]
        up = self.act(self.up2(up) + image.high_res_0)  # [B, D/8, 4g, 4g]
        weights = self.hyper(tokens[:, 1])  # [B, D/8]
        masks = (weights[:, None, :] @ up.flatten(2)).reshape(b, 1, 4 * g, 4 * g)
        return DecoderOutputs(mask_logits=masks, iou=self.iou_head(tokens[:, 0]))
