"""The two halves of Locus: the prompt generator (CLIP + QGAF + GPFC) and the SAM model."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .clip_image import ClipImageEncoder
from .clip_image_mnv2 import MobileNetImageEncoder
from .clip_text import ClipTextEncoder, causal_padding_bias, eos_index, gather_tokens
from .coarse_mask import CoarseMask
from .gpfc import GPFC
from .mask_decoder import DecoderOutputs, MaskDecoder
from .prompt_encoder import PromptEncoder
from .qgaf import QGAF, MapQGAF
from .region_gate import RegionGate, apply_veto, gate_shift, soft_clamp
from .sam_image_encoder import ImageEmbedding, SamImageEncoder
from .sam_image_encoder_mnv2 import MobileNetSamEncoder
from .text_prompt import TextPrompt


@dataclass
class PromptOutputs:
    """coarse_logits [B, 1, g, g]; text_prompt [B, D_dec]; gpfc_logits [B, 4, 6]; with the
    location gate (v2) also zone_logits [B, 6, g, g] and region_logits [B, 6] (training only)."""

    coarse_logits: torch.Tensor
    text_prompt: torch.Tensor
    gpfc_logits: torch.Tensor
    zone_logits: torch.Tensor | None = None
    region_logits: torch.Tensor | None = None


class PromptGenerator(nn.Module):
    """Frozen CLIP encoders bridged after each stage by QGAF (None = the no-QGAF ablation)."""

    def __init__(self, *, image_encoder: ClipImageEncoder | MobileNetImageEncoder,
                 text_encoder: ClipTextEncoder, bridges: list[QGAF | MapQGAF] | None, heads: list[GPFC], coarse: CoarseMask,
                 text_prompt: TextPrompt, gate: RegionGate | None = None) -> None:
        super().__init__()
        self.image_encoder = image_encoder
        self.text_encoder = text_encoder
        self.bridges = nn.ModuleList(bridges) if bridges is not None else None
        self.heads = nn.ModuleList(heads)
        self.coarse = coarse
        self.text_prompt = text_prompt
        self.gate = gate

    def clip_modules(self) -> list[nn.Module]:
        return [self.image_encoder, self.text_encoder]

    def forward(self, image: torch.Tensor, input_ids: torch.Tensor,
                attention_mask: torch.Tensor, *,
                first_stage: torch.Tensor | None = None) -> PromptOutputs:
        """image [B, 1, S, S], input_ids/attention_mask [B, L] -> PromptOutputs.

        `first_stage`: the frozen image encoder's stage-1 output for `image`, computed earlier
        (training caches it: nothing before the first bridge learns); `image` is then unused."""
        v = self.image_encoder.embed(image) if first_stage is None else first_stage
        t = self.text_encoder.embed(input_ids)
        token_embeddings = t
        bias = causal_padding_bias(attention_mask)
        eos = eos_index(attention_mask)
        stage_logits, stages = [], []
        for i, head in enumerate(self.heads):
            if i > 0 or first_stage is None:
                v = self.image_encoder.stage(i, v)
            t = self.text_encoder.stage(i, t, bias)
            if self.bridges is not None:
                v, t = self.bridges[i](v, t, attention_mask)
            stages.append(v)
            stage_logits.append(head(self.image_encoder.tokens(v), gather_tokens(t, eos)))
        text_embed = self.text_encoder.project_eos(t, attention_mask)
        image_embed = self.image_encoder.project_stages(stages)
        grid = self.image_encoder.grid
        coarse = self.coarse(image_embed, text_embed, grid)
        zone_logits = region_logits = None
        if self.gate is not None:  # `region_gate.py`
            gated = self.gate(image_embed, token_embeddings, attention_mask, grid)
            coarse = soft_clamp(coarse) + gate_shift(gated.gate)
            zone_logits, region_logits = gated.zone_logits, gated.region_logits
        return PromptOutputs(coarse_logits=coarse, text_prompt=self.text_prompt(text_embed),
                             gpfc_logits=torch.stack(stage_logits, dim=1),
                             zone_logits=zone_logits, region_logits=region_logits)


class LocusSam(nn.Module):
    """SAM2-style segmenter: image encoder (frozen in phase 3), prompt encoder, mask decoder."""

    def __init__(self, *, image_encoder: SamImageEncoder | MobileNetSamEncoder,
                 prompt_encoder: PromptEncoder,
                 decoder: MaskDecoder, veto: bool = False) -> None:
        super().__init__()
        self.image_encoder = image_encoder
        self.prompt_encoder = prompt_encoder
        self.decoder = decoder
        #: v2: the coarse-mask prompt vetoes the cells its location gate closed (`region_gate.py`)
        self.veto = veto

    def encode(self, image: torch.Tensor) -> ImageEmbedding:
        return self.image_encoder(image)

    def decode(self, image: ImageEmbedding, *, coords: torch.Tensor, labels: torch.Tensor,
               coarse_logits: torch.Tensor, has_mask: torch.Tensor, text: torch.Tensor,
               has_text: torch.Tensor) -> DecoderOutputs:
        """coords [B, N, 2], labels [B, N], coarse_logits [B, 1, gc, gc], text [B, D], flags [B]."""
        prompts = self.prompt_encoder(coords, labels, coarse_logits, has_mask, text, has_text)
        out = self.decoder(image, self.prompt_encoder.image_pe(), prompts)
        if self.veto:
            out = DecoderOutputs(mask_logits=apply_veto(out.mask_logits, coarse_logits, has_mask),
                                 iou=out.iou)
        return out


class Locus(nn.Module):
    """Everything one checkpoint holds."""

    def __init__(self, *, prompt_generator: PromptGenerator, sam: LocusSam) -> None:
        super().__init__()
        self.prompt_generator = prompt_generator
        self.sam = sam
