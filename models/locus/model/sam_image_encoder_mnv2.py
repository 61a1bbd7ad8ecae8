"""SAM2-style image encoder on MobileNetV2 with an FPN (model v2; frozen after phase 2).

The backbone gives maps at strides 2, 4, 8, 16 and 32. A top-down FPN (1x1 laterals, upsample and
add, as in SAM2's neck) brings strides 32 -> 16 -> 8; the stride-8 level is the image embedding
[B, D, g, g] (g = S / 8). As in SAM2, two finer levels are handed to the decoder as
high-resolution features, computed once per image: stride 4 (D/4 channels) and stride 2 (D/8),
each its backbone map plus the upsampled coarser level, so the decoder's mask logits (4g = S/2)
see detail the embedding cannot hold.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .mobilenet_v2 import MobileNetV2
from .sam_image_encoder import ImageEmbedding

#: Backbone channels at strides 2, 4, 8, 16, 32.
PYRAMID_CHANNELS = (16, 24, 32, 96, 320)


def _up(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=False)


class MobileNetSamEncoder(nn.Module):
    def __init__(self, *, input_size: int, out_dim: int) -> None:
        super().__init__()
        self.grid = input_size // 8
        c2, c4, c8, c16, c32 = PYRAMID_CHANNELS
        self.backbone = MobileNetV2(in_channels=1)
        self.lateral32 = nn.Conv2d(c32, out_dim, 1)
        self.lateral16 = nn.Conv2d(c16, out_dim, 1)
        self.lateral8 = nn.Conv2d(c8, out_dim, 1)
        self.smooth8 = nn.Sequential(nn.Conv2d(out_dim, out_dim, 3, padding=1),
                                     nn.GroupNorm(1, out_dim), nn.GELU(),
                                     nn.Conv2d(out_dim, out_dim, 1))
        self.lateral4 = nn.Conv2d(c4, out_dim // 4, 1)
        self.down4 = nn.Conv2d(out_dim, out_dim // 4, 1)
        self.smooth4 = nn.Conv2d(out_dim // 4, out_dim // 4, 3, padding=1)
        self.lateral2 = nn.Conv2d(c2, out_dim // 8, 1)
        self.down2 = nn.Conv2d(out_dim // 4, out_dim // 8, 1)
        self.smooth2 = nn.Conv2d(out_dim // 8, out_dim // 8, 3, padding=1)

    def backbone_modules(self) -> list[nn.Module]:
        return [self.backbone]

    def forward(self, image: torch.Tensor) -> ImageEmbedding:
        """image [B, 1, S, S] -> ImageEmbedding (embedding [B, D, S/8, S/8], high_res_1
        [B, D/4, S/4, S/4], high_res_0 [B, D/8, S/2, S/2])."""
        f2, f4, f8, f16, f32 = self.backbone.pyramid(image)
        p16 = self.lateral16(f16) + _up(self.lateral32(f32), f16)
        p8 = self.lateral8(f8) + _up(p16, f8)
        embedding = p8 + self.smooth8(p8)  # [B, D, g, g]
        p4 = self.lateral4(f4) + _up(self.down4(embedding), f4)
        p4 = p4 + self.smooth4(F.gelu(p4))  # [B, D/4, 2g, 2g]
        p2 = self.lateral2(f2) + _up(self.down2(p4), f2)
        p2 = p2 + self.smooth2(F.gelu(p2))  # [B, D/8, 4g, 4g]
        return ImageEmbedding(embedding=embedding, high_res_0=p2, high_res_1=p4)
