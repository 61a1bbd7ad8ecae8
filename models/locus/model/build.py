"""Model sizes (frozen configs) and the builder that wires the modules. Sizes live only here."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..constants import NUM_STAGES
from .clip_image import ClipImageEncoder
from .clip_image_mnv2 import COARSE_STRIDE, MobileNetImageEncoder
from .clip_text import ClipTextEncoder
from .coarse_mask import CoarseMask
from .gpfc import GPFC
from .locus import Locus, LocusSam, PromptGenerator
from .mask_decoder import MaskDecoder
from .prompt_encoder import PromptEncoder
from .qgaf import QGAF, MapQGAF
from .region_gate import RegionGate
from .sam_image_encoder import SamImageEncoder
from .sam_image_encoder_mnv2 import MobileNetSamEncoder
from .text_prompt import TextPrompt
from .transformer import TwoWayTransformer


@dataclass(frozen=True)
class ModelConfig:
    input_size: int
    max_length: int
    stem_widths: tuple[int, int, int]
    image_width: int
    image_heads: int
    text_width: int
    text_heads: int
    blocks_per_stage: int
    embed_dim: int
    qgaf_width: int
    qgaf_queries: int
    qgaf_heads: int
    gpfc_hidden: int
    sam_width: int
    sam_heads: int
    sam_depth: int
    decoder_dim: int
    decoder_heads: int
    decoder_depth: int
    decoder_mlp: int
    use_qgaf: bool = True
    #: "transformer" (v1: conv stem + transformer stages, trained from scratch) or
    #: "mobilenet_v2" (v2: ImageNet MobileNetV2 stages; the stem/image/sam widths are unused).
    backbone: str = "transformer"
    neck_width: int = 0  # v2: width of the CLIP neck over stages 3-4
    qgaf_pool: int = 0  # v2: QGAF self-attention on maps pooled to at most this side
    #: v2: the report's regions gate the coarse mask, which vetoes the decoder (`region_gate.py`)
    location_gate: bool = False

    @property
    def grid(self) -> int:
        """Side of the SAM embedding grid (stride 8); in v1 also the CLIP token grid."""
        if self.backbone == "mobilenet_v2":
            return self.input_size // 8
        return self.input_size // 2 ** len(self.stem_widths)

    @property
    def coarse_grid(self) -> int:
        """Side of the coarse mask: the CLIP token grid (v2: stride 16)."""
        if self.backbone == "mobilenet_v2":
            return self.input_size // COARSE_STRIDE
        return self.grid

    @property
    def mask_logits_size(self) -> int:
        return self.grid * 4

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


MODEL_CONFIGS: dict[str, ModelConfig] = {
    "demo": ModelConfig(
        input_size=128, max_length=40, stem_widths=(16, 32, 64), image_width=64, image_heads=4,
        text_width=64, text_heads=4, blocks_per_stage=1, embed_dim=64, qgaf_width=64,
        qgaf_queries=10, qgaf_heads=4, gpfc_hidden=64, sam_width=64, sam_heads=4, sam_depth=4,
        decoder_dim=64, decoder_heads=4, decoder_depth=2, decoder_mlp=256),
    "tiny": ModelConfig(
        input_size=64, max_length=40, stem_widths=(8, 16, 32), image_width=32, image_heads=2,
        text_width=32, text_heads=2, blocks_per_stage=1, embed_dim=32, qgaf_width=32,
        qgaf_queries=10, qgaf_heads=2, gpfc_hidden=32, sam_width=32, sam_heads=2, sam_depth=1,
        decoder_dim=32, decoder_heads=2, decoder_depth=1, decoder_mlp=64),
    # ImageNet MobileNetV2 for both image encoders; 256 px in, 128 x 128 mask logits,
    # 16 x 16 coarse grid
    "v2": ModelConfig(
        input_size=256, max_length=40, stem_widths=(), image_width=0, image_heads=0,
        text_width=128, text_heads=4, blocks_per_stage=1, embed_dim=128, qgaf_width=64,
        qgaf_queries=10, qgaf_heads=4, gpfc_hidden=64, sam_width=0, sam_heads=0, sam_depth=0,
        decoder_dim=128, decoder_heads=8, decoder_depth=2, decoder_mlp=512,
        backbone="mobilenet_v2", neck_width=128, qgaf_pool=16, location_gate=True),
    # v2's structure at toy sizes, for tests
    "v2-tiny": ModelConfig(
        input_size=64, max_length=40, stem_widths=(), image_width=0, image_heads=0,
        text_width=32, text_heads=2, blocks_per_stage=1, embed_dim=32, qgaf_width=32,
        qgaf_queries=4, qgaf_heads=2, gpfc_hidden=32, sam_width=0, sam_heads=0, sam_depth=0,
        decoder_dim=32, decoder_heads=2, decoder_depth=1, decoder_mlp=64,
        backbone="mobilenet_v2", neck_width=32, qgaf_pool=8, location_gate=True),
}


def model_config(name: str, **overrides) -> ModelConfig:
    if name not in MODEL_CONFIGS:
        raise KeyError(f"unknown model size {name!r}; known: {sorted(MODEL_CONFIGS)}")
    return dataclasses.replace(MODEL_CONFIGS[name], **overrides)


def _build_mnv2_prompt_generator(cfg: ModelConfig, *, vocab_size: int) -> PromptGenerator:
    image = MobileNetImageEncoder(input_size=cfg.input_size, neck_width=cfg.neck_width,
                                  embed_dim=cfg.embed_dim)
    text = ClipTextEncoder(vocab_size=vocab_size, max_length=cfg.max_length, width=cfg.text_width,
                           heads=cfg.text_heads, blocks_per_stage=cfg.blocks_per_stage,
                           stages=NUM_STAGES, embed_dim=cfg.embed_dim)
    widths = MobileNetImageEncoder.stage_channels
    bridges = [MapQGAF(image_width=w, text_width=cfg.text_width, fused_width=cfg.qgaf_width,
                       queries=cfg.qgaf_queries, heads=cfg.qgaf_heads, pool=cfg.qgaf_pool)
               for w in widths] if cfg.use_qgaf else None
    heads = [GPFC(image_width=w, text_width=cfg.text_width, hidden=cfg.gpfc_hidden)
             for w in widths]
    gate = (RegionGate(embed_dim=cfg.embed_dim, text_width=cfg.text_width,
                       max_length=cfg.max_length, grid=cfg.coarse_grid,
                       hidden=cfg.gpfc_hidden, heads=cfg.text_heads)
            if cfg.location_gate else None)
    return PromptGenerator(image_encoder=image, text_encoder=text, bridges=bridges, heads=heads,
                           coarse=CoarseMask(),
                           text_prompt=TextPrompt(embed_dim=cfg.embed_dim,
                                                  decoder_dim=cfg.decoder_dim), gate=gate)


def build_prompt_generator(cfg: ModelConfig, *, vocab_size: int) -> PromptGenerator:
    if cfg.backbone == "mobilenet_v2":
        return _build_mnv2_prompt_generator(cfg, vocab_size=vocab_size)
    image = ClipImageEncoder(input_size=cfg.input_size, stem_widths=cfg.stem_widths,
                             width=cfg.image_width, heads=cfg.image_heads,
                             blocks_per_stage=cfg.blocks_per_stage, stages=NUM_STAGES,
                             embed_dim=cfg.embed_dim)
    text = ClipTextEncoder(vocab_size=vocab_size, max_length=cfg.max_length, width=cfg.text_width,
                           heads=cfg.text_heads, blocks_per_stage=cfg.blocks_per_stage,
                           stages=NUM_STAGES, embed_dim=cfg.embed_dim)
    bridges = [QGAF(image_width=cfg.image_width, text_width=cfg.text_width,
                    fused_width=cfg.qgaf_width, queries=cfg.qgaf_queries, heads=cfg.qgaf_heads)
               for _ in range(NUM_STAGES)] if cfg.use_qgaf else None
    heads = [GPFC(image_width=cfg.image_width, text_width=cfg.text_width, hidden=cfg.gpfc_hidden)
             for _ in range(NUM_STAGES)]
    return PromptGenerator(image_encoder=image, text_encoder=text, bridges=bridges, heads=heads,
                           coarse=CoarseMask(),
                           text_prompt=TextPrompt(embed_dim=cfg.embed_dim,
                                                  decoder_dim=cfg.decoder_dim))


def build_sam(cfg: ModelConfig) -> LocusSam:
    if cfg.backbone == "mobilenet_v2":
        encoder = MobileNetSamEncoder(input_size=cfg.input_size, out_dim=cfg.decoder_dim)
    else:
        encoder = SamImageEncoder(input_size=cfg.input_size, stem_widths=cfg.stem_widths,
                                  width=cfg.sam_width, heads=cfg.sam_heads, depth=cfg.sam_depth,
                                  out_dim=cfg.decoder_dim)
    transformer = TwoWayTransformer(dim=cfg.decoder_dim, heads=cfg.decoder_heads,
                                    depth=cfg.decoder_depth, mlp_dim=cfg.decoder_mlp)
    return LocusSam(image_encoder=encoder,
                    prompt_encoder=PromptEncoder(dim=cfg.decoder_dim, input_size=cfg.input_size,
                                                 grid=cfg.grid),
                    decoder=MaskDecoder(dim=cfg.decoder_dim, transformer=transformer),
                    veto=cfg.location_gate)


def build_locus(cfg: ModelConfig, *, vocab_size: int) -> Locus:
    return Locus(prompt_generator=build_prompt_generator(cfg, vocab_size=vocab_size),
                 sam=build_sam(cfg))
