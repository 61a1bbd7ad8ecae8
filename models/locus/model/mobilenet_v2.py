"""MobileNetV2 (Sandler et al. 2018) with TensorFlow's "SAME" padding, and DeepLabV3 on top of it.

The layer layout follows the TFLite graphs in shared/pretrained (BatchNorm folded into every
convolution's bias, ReLU6 after expand and depthwise, linear projection), so the ported weights of
`locus.pretrained` load one to one. TF pads "SAME" convolutions asymmetrically (for a stride-2 3x3
conv on an even input: 0 before, 1 after), which a PyTorch `padding=` cannot express; `SameConv2d`
pads explicitly so the ported weights see exactly the pixels they were trained on.

`features(x)` returns the outputs at strides 4, 8, 16 and 32 (24, 32, 96 and 320 channels): the
natural four stages of an image encoder.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

#: (expansion t, output channels c, repeats n, first stride s) of MobileNetV2 1.0.
BLOCKS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
          (6, 160, 3, 2), (6, 320, 1, 1))
#: Index of the last block of each stage (outputs at strides 4, 8, 16, 32).
STAGE_ENDS = (2, 5, 12, 16)
STAGE_CHANNELS = (24, 32, 96, 320)


def _same_pads(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TF "SAME": output = ceil(size / stride); the odd pixel of padding goes after."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """Conv2d with TF "SAME" padding (asymmetric where TF's is)."""

    def __init__(self, cin: int, cout: int, kernel: int, *, stride: int = 1, dilation: int = 1,
                 groups: int = 1) -> None:
        super().__init__(cin, cout, kernel, stride=stride, dilation=dilation, groups=groups,
                         padding=0, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k, s, d = self.kernel_size[0], self.stride[0], self.dilation[0]
        if k == 1 and s == 1:
            return super().forward(x)
        top, bottom = _same_pads(int(x.shape[-2]), k, s, d)
        left, right = _same_pads(int(x.shape[-1]), k, s, d)
        if top == bottom and left == right:  # symmetric: let the convolution pad
            return F.conv2d(x, self.weight, self.bias, self.stride, (top, left), self.dilation,
                            self.groups)
        if torch.jit.is_tracing():
            # ONNX export: torch's Pad export hides the output shape from shape inference, so
            # pad symmetrically by the larger amount, convolve at stride 1 and keep the windows
            # TF's asymmetric padding would have used (same values, fixed shapes in the graph)
            full = F.conv2d(x, self.weight, self.bias, 1, (bottom, right), self.dilation,
                            self.groups)
            return full[..., bottom - top::s, right - left::s]
        return super().forward(F.pad(x, (left, right, top, bottom)))


class ConvAct(nn.Module):
    def __init__(self, cin: int, cout: int, kernel: int, *, stride: int = 1, dilation: int = 1,
                 groups: int = 1, act: str | None = "relu6") -> None:
        super().__init__()
        self.conv = SameConv2d(cin, cout, kernel, stride=stride, dilation=dilation, groups=groups)
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        if self.act == "relu6":
            return F.relu6(x)
        return F.relu(x) if self.act == "relu" else x


class InvertedResidual(nn.Module):
    def __init__(self, cin: int, cout: int, *, expand: int, stride: int, dilation: int) -> None:
        super().__init__()
        hidden = cin * expand
        self.expand = ConvAct(cin, hidden, 1) if expand != 1 else None
        self.depthwise = ConvAct(hidden, hidden, 3, stride=stride, dilation=dilation, groups=hidden)
        self.project = ConvAct(hidden, cout, 1, act=None)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.expand(x) if self.expand is not None else x
        h = self.project(self.depthwise(h))
        return x + h if self.residual else h


@dataclass(frozen=True)
class BlockSpec:
    cin: int
    cout: int
    expand: int
    stride: int
    dilation: int


def map_to_tokens(x: torch.Tensor) -> torch.Tensor:
    """[B, C, H, W] -> [B, H*W, C] (row-major cells); a view for channels-last maps."""
    b, c = x.shape[0], x.shape[1]
    return x.permute(0, 2, 3, 1).reshape(b, -1, c)


def tokens_to_map(tokens: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """[B, H*W, C] -> [B, C, H, W] (a channels-last view)."""
    b, _, c = tokens.shape
    return tokens.reshape(b, height, width, c).permute(0, 3, 1, 2)


def block_specs(output_stride: int = 32) -> list[BlockSpec]:
    """The 17 inverted-residual blocks; with output_stride 16 the stride-32 step becomes
    stride 1 and the blocks after it dilate by 2 (DeepLab's atrous MobileNetV2)."""
    specs, cin, stride_so_far, rate = [], 32, 2, 1
    for t, c, n, s in BLOCKS:
        for i in range(n):
            stride = s if i == 0 else 1
            dilation = rate
            if stride > 1 and stride_so_far * stride > output_stride:
                stride, rate = 1, rate * s
            else:
                stride_so_far *= stride
            specs.append(BlockSpec(cin, c, t, stride, dilation))
            cin = c
    return specs


class MobileNetV2(nn.Module):
    """MobileNetV2 1.0 features; `classifier` (1280 -> 1001 ImageNet logits) when asked for."""

    def __init__(self, *, in_channels: int = 3, output_stride: int = 32,
                 classifier: bool = False) -> None:
        super().__init__()
        self.stem = ConvAct(in_channels, 32, 3, stride=2)
        self.blocks = nn.ModuleList(
            InvertedResidual(b.cin, b.cout, expand=b.expand, stride=b.stride, dilation=b.dilation)
            for b in block_specs(output_stride))
        self.head = ConvAct(320, 1280, 1) if classifier else None
        self.logits = SameConv2d(1280, 1001, 1) if classifier else None

    def stage_ranges(self) -> list[range]:
        """Block indices of the four stages (stem belongs to stage 1)."""
        starts = (0,) + tuple(e + 1 for e in STAGE_ENDS[:-1])
        return [range(s, e + 1) for s, e in zip(starts, STAGE_ENDS)]

    def run_stage(self, index: int, x: torch.Tensor) -> torch.Tensor:
        """Stage `index` (0-3): [B, C_in, H, W] -> [B, STAGE_CHANNELS[index], H/s, W/s]."""
        if index == 0:
            x = self.stem(x)
        for i in self.stage_ranges()[index]:
            x = self.blocks[i](x)
        return x

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x [B, C_in, H, W] in [-1, 1] -> the four stage outputs (strides 4, 8, 16, 32)."""
        return self.pyramid(x)[1:]

    def pyramid(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x [B, C_in, H, W] -> outputs at strides 2 (block 0, 16 channels), 4, 8, 16 and 32."""
        x = self.stem(x)
        feats = []
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == 0 or i in STAGE_ENDS:
                feats.append(x)
        return feats

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """ImageNet logits [B, 1001] (index 0 = background), classifier models only."""
        if self.head is None or self.logits is None:
            raise RuntimeError("built without the classifier")
        feat = self.head(self.features(x)[-1]).mean(dim=(2, 3), keepdim=True)
        return self.logits(feat).flatten(1)


class DeepLabV3(nn.Module):
    """DeepLabV3 on MobileNetV2 at output stride 16: image pooling + 1x1 branch, projection,
    21 PASCAL VOC logits at stride 16 (upsample to the input for a label map)."""

    def __init__(self, *, classes: int = 21) -> None:
        super().__init__()
        self.backbone = MobileNetV2(output_stride=16)
        self.image_pool = ConvAct(320, 256, 1, act="relu")
        self.aspp0 = ConvAct(320, 256, 1, act="relu")
        self.project = ConvAct(512, 256, 1, act="relu")
        self.classify = SameConv2d(256, classes, 1)

    def decode_features(self, feat: torch.Tensor) -> torch.Tensor:
        """Stride-16 backbone output [B, 320, h, w] -> projected ASPP features [B, 256, h, w]."""
        pooled = self.image_pool(feat.mean(dim=(2, 3), keepdim=True))
        pooled = pooled.expand(-1, -1, feat.shape[2], feat.shape[3])
        return self.project(torch.cat([pooled, self.aspp0(feat)], dim=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [B, 3, H, W] in [-1, 1] -> logits [B, classes, H/16, W/16] (rounded up)."""
        return self.classify(self.decode_features(self.backbone.features(x)[-1]))
