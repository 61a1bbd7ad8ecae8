"""The three exported graphs. Fixed shapes, no data-dependent branches: a switched-off prompt is a
flag (or label -1), never another graph. Names and shapes here are the ONNX contract; the
manifest is written from `graph_specs`, never by hand."""
from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from ..constants import MAX_POINTS, NUM_REGIONS, NUM_STAGES
from ..model.build import ModelConfig
from ..model.locus import Locus
from ..model.sam_image_encoder import ImageEmbedding


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str
    shape: tuple[int, ...]
    description: str

    def to_manifest(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "shape": list(self.shape),
                "description": self.description}


@dataclass(frozen=True)
class GraphSpec:
    name: str
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]


def graph_specs(cfg: ModelConfig) -> dict[str, GraphSpec]:
    s, g, d, m, length = cfg.input_size, cfg.grid, cfg.decoder_dim, cfg.mask_logits_size, cfg.max_length
    gc = cfg.coarse_grid
    image = TensorSpec("image", "float32", (1, 1, s, s), "preprocessed image (manifest preprocess)")
    coarse = TensorSpec("coarse_logits", "float32", (1, 1, gc, gc),
                        "coarse mask M = <F_t[EOS], F_v> logits on the CLIP token grid")
    text = TensorSpec("text_prompt", "float32", (1, d), "FFN(F_t[EOS]), one decoder token")
    emb = TensorSpec("image_embedding", "float32", (1, d, g, g), "SAM image embedding")
    hr0 = TensorSpec("high_res_0", "float32", (1, d // 8, 4 * g, 4 * g), "stride-2 features")
    hr1 = TensorSpec("high_res_1", "float32", (1, d // 4, 2 * g, 2 * g), "stride-4 features")
    return {
        "prompt_generator": GraphSpec("prompt_generator", (
            image,
            TensorSpec("input_ids", "int64", (1, length), "WordPiece ids, [CLS] .. [SEP] [PAD]*"),
            TensorSpec("attention_mask", "int64", (1, length), "1 for tokens, 0 for padding"),
        ), (
            coarse, text,
            TensorSpec("gpfc_logits", "float32", (1, NUM_STAGES, NUM_REGIONS),
                       "GPFC region logits per stage, regions in manifest order"),
        )),
        "sam_image_encoder": GraphSpec("sam_image_encoder", (image,), (emb, hr0, hr1)),
        "sam_decoder": GraphSpec("sam_decoder", (
            emb, hr0, hr1,
            TensorSpec("point_coords", "float32", (1, MAX_POINTS, 2),
                       "(x, y) in the padded input frame (see sam.point_frame)"),
            TensorSpec("point_labels", "float32", (1, MAX_POINTS), "1 positive, 0 negative, -1 none"),
            coarse,
            TensorSpec("has_mask", "float32", (1,), "1 = use coarse_logits as the dense prompt"),
            text,
            TensorSpec("has_text", "float32", (1,), "1 = use text_prompt as a sparse token"),
        ), (
            TensorSpec("mask_logits", "float32", (1, 1, m, m), "final mask logits over the frame"),
            TensorSpec("iou", "float32", (1, 1), "predicted IoU of the mask"),
        )),
    }


class PromptGeneratorGraph(nn.Module):
    def __init__(self, model: Locus) -> None:
        super().__init__()
        self.pg = model.prompt_generator

    def forward(self, image, input_ids, attention_mask):
        # in: float32[1,1,S,S], int64[1,L], int64[1,L]
        out = self.pg(image, input_ids, attention_mask)
        return out.coarse_logits, out.text_prompt, out.gpfc_logits


class SamImageEncoderGraph(nn.Module):
    def __init__(self, model: Locus) -> None:
        super().__init__()
        self.encoder = model.sam.image_encoder

    def forward(self, image):
        out = self.encoder(image)
        return out.embedding, out.high_res_0, out.high_res_1


class SamDecoderGraph(nn.Module):
    def __init__(self, model: Locus) -> None:
        super().__init__()
        self.sam = model.sam

    def forward(self, image_embedding, high_res_0, high_res_1, point_coords, point_labels,
                coarse_logits, has_mask, text_prompt, has_text):
        out = self.sam.decode(ImageEmbedding(image_embedding, high_res_0, high_res_1),
                              coords=point_coords, labels=point_labels,
                              coarse_logits=coarse_logits, has_mask=has_mask, text=text_prompt,
                              has_text=has_text)
        return out.mask_logits, out.iou


WRAPPERS = {"prompt_generator": PromptGeneratorGraph, "sam_image_encoder": SamImageEncoderGraph,
            "sam_decoder": SamDecoderGraph}
