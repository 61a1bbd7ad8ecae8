"""The inference pipeline in PyTorch, step for step what the TypeScript runtime does with the
ONNX graphs: preprocess -> prompt generator -> Top-k points -> SAM image encoder -> decoder ->
post-process. Used by evaluation and to write the bundle fixtures."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from .checkpoint import Trained
from .constants import MASK_LOGIT_THRESHOLD, THETA_DEFAULT, TOPK_DEFAULT
from .data.preprocess import Preprocessed, logits_to_original, preprocess
from .model.points import CellPoint, PointSlots, cell_to_frame, point_slots, select_points
from .model.sam_image_encoder import ImageEmbedding


@dataclass(frozen=True)
class PromptSettings:
    k: int = TOPK_DEFAULT
    theta: float = THETA_DEFAULT
    use_coarse: bool = True
    use_points: bool = True
    use_text: bool = True
    user_points: tuple[tuple[float, float, int], ...] = field(default_factory=tuple)


@dataclass
class Analysis:
    """What the runtime keeps per (image, report): re-decoding needs nothing else."""

    pre: Preprocessed
    input_ids: np.ndarray  # int64 [1, L]
    attention_mask: np.ndarray  # int64 [1, L]
    coarse_logits: np.ndarray  # float32 [1, 1, g, g]
    text_prompt: np.ndarray  # float32 [1, D]
    gpfc_logits: np.ndarray  # float32 [1, 4, 6]
    embedding: ImageEmbedding


@dataclass
class Segmentation:
    cells: list[CellPoint]
    slots: PointSlots
    mask_logits: np.ndarray  # float32 [1, 1, m, m]
    iou: float
    mask: np.ndarray  # bool [H, W]


class Segmenter:
    def __init__(self, trained: Trained) -> None:
        self.trained = trained
        self.model = trained.model.eval().to(memory_format=torch.channels_last)

    @torch.no_grad()
    def encode_image(self, pixels: np.ndarray) -> tuple[Preprocessed, ImageEmbedding]:
        pre = preprocess(pixels, self.trained.spec)
        return pre, self.model.sam.encode(torch.from_numpy(pre.tensor))

    @torch.no_grad()
    def analyze(self, pre: Preprocessed, embedding: ImageEmbedding, report: str) -> Analysis:
        enc = self.trained.tokenizer.encode(report)
        ids = np.asarray([enc.input_ids], dtype=np.int64)
        mask = np.asarray([enc.attention_mask], dtype=np.int64)
        out = self.model.prompt_generator(torch.from_numpy(pre.tensor), torch.from_numpy(ids),
                                          torch.from_numpy(mask))
        return Analysis(pre, ids, mask, out.coarse_logits.numpy(), out.text_prompt.numpy(),
                        out.gpfc_logits.numpy(), embedding)

    def slots(self, analysis: Analysis, settings: PromptSettings) -> tuple[list[CellPoint], PointSlots]:
        size = self.trained.spec.input_size
        grid = analysis.coarse_logits.shape[-2:]
        cells = select_points(analysis.coarse_logits[0, 0], k=settings.k, theta=settings.theta) \
            if settings.use_points else []
        model_points = [cell_to_frame(c, (grid[0], grid[1]), size) for c in cells]
        return cells, point_slots(model_points, list(settings.user_points))

    @torch.no_grad()
    def decode(self, analysis: Analysis, settings: PromptSettings) -> Segmentation:
        cells, slots = self.slots(analysis, settings)
        out = self.model.sam.decode(
            analysis.embedding, coords=torch.from_numpy(slots.coords)[None],
            labels=torch.from_numpy(slots.labels.astype(np.float32))[None],
            coarse_logits=torch.from_numpy(analysis.coarse_logits),
            has_mask=torch.tensor([float(settings.use_coarse)]),
            text=torch.from_numpy(analysis.text_prompt),
            has_text=torch.tensor([float(settings.use_text)]))
        logits = out.mask_logits.numpy()
        pre = analysis.pre
        full = logits_to_original(logits[0, 0], pre.resized, self.trained.spec.input_size,
                                  pre.original)
        return Segmentation(cells, slots, logits, float(out.iou[0, 0]),
                            full > MASK_LOGIT_THRESHOLD)
