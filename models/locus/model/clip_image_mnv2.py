"""CLIP image encoder on MobileNetV2 (model v2): the backbone's four stages are the paper's four.

Stage i is MobileNetV2's run of blocks ending at stride 4, 8, 16 and 32 (24, 32, 96 and 320
channels); QGAF works on each stage's output map. The dense CLIP features F_v come from a small
neck over the last two stages (stage 4 upsampled onto stage 3's grid, both projected and added,
plus a learned position map so that tokens know where in the chest they are), normalised and
projected into the shared space per token: the coarse mask lives on that stride-16 grid.

The input is one gray channel: the ImageNet stem's RGB kernels are summed when the weights are
ported (a gray image fed as three equal channels gives the same result).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .mobilenet_v2 import STAGE_CHANNELS, MobileNetV2, map_to_tokens

#: Stride of the dense CLIP grid (and so of the coarse mask).
COARSE_STRIDE = 16


class MobileNetImageEncoder(nn.Module):
    stage_channels = STAGE_CHANNELS

    def __init__(self, *, input_size: int, neck_width: int, embed_dim: int) -> None:
        super().__init__()
        self.grid = input_size // COARSE_STRIDE
        self.backbone = MobileNetV2(in_channels=1)
        self.lateral3 = nn.Conv2d(STAGE_CHANNELS[2], neck_width, 1)
        self.lateral4 = nn.Conv2d(STAGE_CHANNELS[3], neck_width, 1)
        self.pos = nn.Parameter(torch.zeros(1, neck_width, self.grid, self.grid))
        self.smooth = nn.Sequential(nn.Conv2d(neck_width, neck_width, 3, padding=1), nn.GELU(),
                                    nn.Conv2d(neck_width, neck_width, 3, padding=1))
        self.norm = nn.LayerNorm(neck_width)
        self.proj = nn.Linear(neck_width, embed_dim, bias=False)

    def backbone_modules(self) -> list[nn.Module]:
        """The ImageNet-initialised part (kept as ported in phase 1, LiT style)."""
        return [self.backbone]

    def embed(self, image: torch.Tensor) -> torch.Tensor:
        """The stages consume the image itself: [B, 1, S, S]."""
        return image

    def stage(self, index: int, x: torch.Tensor) -> torch.Tensor:
        """[B, C_in, H, W] -> stage `index`'s output map [B, STAGE_CHANNELS[index], H', W']."""
        return self.backbone.run_stage(index, x)

    @staticmethod
    def tokens(x: torch.Tensor) -> torch.Tensor:
        """Map [B, C, H, W] -> tokens [B, H*W, C] (row-major cells)."""
        return map_to_tokens(x)

    def project_stages(self, stages: list[torch.Tensor]) -> torch.Tensor:
        """The four stage maps -> per-token CLIP embeddings [B, g*g, D] on the stride-16 grid."""
        s3, s4 = stages[2], stages[3]
        top = F.interpolate(self.lateral4(s4), size=s3.shape[-2:], mode="bilinear",
                            align_corners=False)
        neck = self.lateral3(s3) + top + self.pos
        neck = neck + self.smooth(neck)  # [B, C_n, g, g]
        return self.proj(self.norm(self.tokens(neck)))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """Plain (bridge-free) pass -> per-token embeddings [B, g*g, D]."""
        return self.project_stages(self.backbone.features(image))
