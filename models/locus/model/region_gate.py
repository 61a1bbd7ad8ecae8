"""Location gate (model v2; our addition to the paper): the report decides where the masks may be.

Measured on v2 without it (fold 0 of the CT cross-validation): the coarse mask M = F_t[EOS]·F_v
moved by a mean |Δp| of 0.007-0.018 between the true report and one naming the other regions, and
the decoder kept 93-97% of its mask where the coarse mask was blanked: the words did not reach the
result (true, other and generic reports all scored Dice 0.804-0.805 on the 8 slices that name
some regions). The gate gives location a structural path:

- a zone head says which of the six regions each coarse cell lies in (softmax over REGIONS),
  learned from the image tokens and supervised by the zone maps of the rule that writes the
  reports (`data/zones.py`);
- a report reader says which regions the report allows (sigmoid per region), supervised by the
  parsed labels (a report naming no region allows all six). It reads the frozen text tower's token
  embeddings with two transformer blocks of its own and one query per region: F_t[EOS] of our
  text tower hardly tells reports apart (cosine 0.98-0.99 between "upper left", "upper right",
  "lower left" and "all left and all right" reports), and a linear head on it stayed at the label
  prior (every region 0.93-0.95 for every report) after phase 3 of fold 0;
- gate(p) = sum_k zone_k(p) * region_k, in [0, 1]; the coarse logits, first kept softly within
  [COARSE_FLOOR, COARSE_CEIL], are lowered by GATE_SHIFT * (1 - gate). Where the report allows
  lesions nothing changes; where it does not, M falls below the floor however sure the image side
  was, so Top-k points never land there;
- the decoder takes M as its dense prompt and, in the same graph, vetoes the cells M rules out:
  mask logits += VETO_SCALE * min(0, up(M) - VETO_LEVEL) when the coarse-mask prompt is on. Kept
  logits never reach VETO_LEVEL, so the veto only acts where the gate closed: a user who switches
  the coarse-mask prompt off gets the ungated decoder.

Both heads and the veto live inside the exported graphs; the ONNX contract is unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from ..constants import NUM_REGIONS
from .blocks import Attention, TransformerBlock, key_padding_bias

#: The ungated coarse logits are kept softly within [COARSE_FLOOR, COARSE_CEIL] (probabilities
#: 0.0003 to 0.9997: far beyond the Top-k threshold either way).
COARSE_FLOOR = -8.0
COARSE_CEIL = 8.0
#: A closed gate lowers the coarse logits by this much: even a ceiling logit ends below VETO_LEVEL.
GATE_SHIFT = 20.0
#: Coarse logits (upsampled) below this veto the final mask; above it they leave it alone.
VETO_LEVEL = COARSE_FLOOR - 1.0
#: Final-mask logits lost per unit of coarse logit below VETO_LEVEL.
VETO_SCALE = 2.0
#: Initial bias of the region head.
REGION_BIAS_INIT = 4.0


def soft_clamp(logits: torch.Tensor) -> torch.Tensor:
    """Ungated coarse logits kept within [COARSE_FLOOR, COARSE_CEIL], smoothly (about the
    identity between -5 and 5)."""
    floored = COARSE_FLOOR + F.softplus(logits - COARSE_FLOOR)
    return COARSE_CEIL - F.softplus(COARSE_CEIL - floored)


def gate_shift(gate: torch.Tensor) -> torch.Tensor:
    """gate in [0, 1] -> what it adds to the kept coarse logits (0 open, -GATE_SHIFT closed)."""
    return GATE_SHIFT * (gate - 1.0)


def apply_veto(mask_logits: torch.Tensor, coarse_logits: torch.Tensor,
               has_mask: torch.Tensor) -> torch.Tensor:
    """mask_logits [B, 1, H, W], coarse_logits [B, 1, g, g], has_mask [B] -> vetoed logits."""
    up = F.interpolate(coarse_logits, size=mask_logits.shape[-2:], mode="bilinear",
                       align_corners=False)
    flag = has_mask.float()[:, None, None, None]
    return mask_logits + VETO_SCALE * flag * torch.clamp(up - VETO_LEVEL, max=0.0)


@dataclass
class GateOutputs:
    """zone_logits [B, 6, g, g]; region_logits [B, 6]; gate [B, 1, g, g] in [0, 1]."""

    zone_logits: torch.Tensor
    region_logits: torch.Tensor
    gate: torch.Tensor


class ReportReader(nn.Module):
    """Token embeddings [B, L, C] and attention mask [B, L] -> region logits [B, 6]."""

    def __init__(self, *, text_width: int, max_length: int, width: int, heads: int,
                 depth: int = 2) -> None:
        super().__init__()
        self.proj = nn.Linear(text_width, width)
        # its own word order: binding "upper middle" to "left" needs it, and the text tower's
        # learned positions are small beside its token embeddings
        self.position = nn.Parameter(torch.randn(1, max_length, width))
        self.blocks = nn.ModuleList(TransformerBlock(dim=width, heads=heads) for _ in range(depth))
        self.queries = nn.Parameter(torch.randn(1, NUM_REGIONS, width) * 0.02)
        self.attend = Attention(dim=width, heads=heads)
        self.norm = nn.LayerNorm(width)
        self.out = nn.Linear(width, 1)
        # a fresh reader allows every region (sigmoid(4) = 0.98), so a model the gate is added to
        # starts as it was and learns to close it; a half-open gate would veto everything
        nn.init.zeros_(self.out.weight)
        nn.init.constant_(self.out.bias, REGION_BIAS_INIT)

    def forward(self, tokens: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        bias = key_padding_bias(attention_mask)  # bidirectional: the whole report is read
        x = self.proj(tokens) + self.position[:, : tokens.shape[1]]
        for block in self.blocks:
            x = block(x, bias)
        queries = self.queries.expand(x.shape[0], -1, -1)
        pooled = queries + self.attend(queries, x, x, bias)  # [B, 6, W]
        return self.out(self.norm(pooled))[..., 0]


class RegionGate(nn.Module):
    def __init__(self, *, embed_dim: int, text_width: int, max_length: int, grid: int,
                 hidden: int = 64, heads: int = 4) -> None:
        super().__init__()
        self.zone = nn.Sequential(nn.Conv2d(embed_dim, hidden, 3, padding=1), nn.GELU(),
                                  nn.Conv2d(hidden, NUM_REGIONS, 1))
        # where in the frame each region usually lies (the slices are centred on the body)
        self.zone_position = nn.Parameter(torch.zeros(1, NUM_REGIONS, grid, grid))
        self.reader = ReportReader(text_width=text_width, max_length=max_length, width=hidden,
                                   heads=heads)

    def forward(self, image_embed: torch.Tensor, text_tokens: torch.Tensor,
                attention_mask: torch.Tensor, grid: int) -> GateOutputs:
        """image_embed [B, g*g, D] (row-major cells), text_tokens [B, L, C] (the text tower's
        token embeddings), attention_mask [B, L] -> GateOutputs."""
        b, _, d = image_embed.shape
        cells = image_embed.transpose(1, 2).reshape(b, d, grid, grid)
        zone_logits = self.zone(cells) + self.zone_position
        region_logits = self.reader(text_tokens, attention_mask)
        zones = torch.softmax(zone_logits, dim=1)
        allowed = torch.sigmoid(region_logits)[:, :, None, None]
        gate = (zones * allowed).sum(dim=1, keepdim=True)
        return GateOutputs(zone_logits=zone_logits, region_logits=region_logits, gate=gate)
