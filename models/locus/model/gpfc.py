"""GPFC: global-pooled location classifier, one head per stage.

An adapter (Linear -> GELU -> Linear) on the image tokens, a per-token score, softmax over tokens
and a weighted sum give V_g; T_g is the text EOS token of the same stage. Linear([V_g; T_g]) gives
6 region logits (REGIONS order), trained with BCE against the labels parsed from the report.
"""
from __future__ import annotations

import torch
from torch import nn

from ..constants import NUM_REGIONS
from .blocks import MLP


class GPFC(nn.Module):
    def __init__(self, *, image_width: int, text_width: int, hidden: int) -> None:
        super().__init__()
        self.adapter = MLP(dim=image_width, hidden=hidden)
        self.score = nn.Linear(image_width, 1)
        self.classify = nn.Linear(image_width + text_width, NUM_REGIONS)

    def forward(self, image_tokens: torch.Tensor, text_eos: torch.Tensor) -> torch.Tensor:
        """image_tokens [B, N, Cv], text_eos [B, Ct] -> region logits [B, 6]."""
        adapted = self.adapter(image_tokens)  # [B, N, Cv]
        weights = torch.softmax(self.score(adapted), dim=1)  # [B, N, 1]
        pooled = (weights * adapted).sum(dim=1)  # [B, Cv]
        return self.classify(torch.cat([pooled, text_eos], dim=1))
