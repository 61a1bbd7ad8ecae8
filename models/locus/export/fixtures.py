"""Verification fixtures: for a few (image, report) pairs, every graph's inputs and outputs as
PyTorch computed them, the selected points and the final mask, so that onnxruntime and the
TypeScript pipeline can be checked against the reference (models/README.md, "Fixtures")."""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..checkpoint import Trained
from ..data.dataset import read_image
from ..infer import Analysis, PromptSettings, Segmenter
from .bundle import save_tensor


@dataclass(frozen=True)
class FixtureCase:
    image: Path
    report: str
    settings: PromptSettings = PromptSettings()


def _decoder_inputs(analysis: Analysis, slots, settings: PromptSettings) -> dict[str, np.ndarray]:
    emb = analysis.embedding
    return {
        "image_embedding": emb.embedding.numpy(), "high_res_0": emb.high_res_0.numpy(),
        "high_res_1": emb.high_res_1.numpy(), "point_coords": slots.coords[None],
        "point_labels": slots.labels.astype(np.float32)[None],
        "coarse_logits": analysis.coarse_logits,
        "has_mask": np.asarray([float(settings.use_coarse)], dtype=np.float32),
        "text_prompt": analysis.text_prompt,
        "has_text": np.asarray([float(settings.use_text)], dtype=np.float32),
    }


def write_case(segmenter: Segmenter, case: FixtureCase, case_id: str, bundle: Path) -> dict:
    folder = bundle / "fixtures" / case_id
    folder.mkdir(parents=True, exist_ok=True)
    image_rel = f"fixtures/{case_id}/image{case.image.suffix.lower()}"
    shutil.copyfile(case.image, bundle / image_rel)
    pre, embedding = segmenter.encode_image(read_image(case.image))
    analysis = segmenter.analyze(pre, embedding, case.report)
    seg = segmenter.decode(analysis, case.settings)
    tensors = {
        "prompt_generator/image": pre.tensor, "prompt_generator/input_ids": analysis.input_ids,
        "prompt_generator/attention_mask": analysis.attention_mask,
        "prompt_generator/coarse_logits": analysis.coarse_logits,
        "prompt_generator/text_prompt": analysis.text_prompt,
        "prompt_generator/gpfc_logits": analysis.gpfc_logits,
        "sam_image_encoder/image": pre.tensor,
        "sam_image_encoder/image_embedding": embedding.embedding.numpy(),
        "sam_image_encoder/high_res_0": embedding.high_res_0.numpy(),
        "sam_image_encoder/high_res_1": embedding.high_res_1.numpy(),
        "sam_decoder/mask_logits": seg.mask_logits,
        "sam_decoder/iou": np.asarray([[seg.iou]], dtype=np.float32),
    }
    for name, array in _decoder_inputs(analysis, seg.slots, case.settings).items():
        tensors[f"sam_decoder/{name}"] = array
    index, written = {}, {}
    for key, array in tensors.items():
        # a graph's output that is another's input (the image embedding, say) is stored once
        content = hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()
        same = written.get((array.dtype.str, array.shape, content))
        if same is not None:
            index[key] = dict(index[same])
            continue
        rel = f"fixtures/{case_id}/{key.replace('/', '.')}.bin"
        index[key] = {**save_tensor(array, bundle / rel), "file": rel}
        written[(array.dtype.str, array.shape, content)] = key
    mask_rel = f"fixtures/{case_id}/final_mask.png"
    Image.fromarray(seg.mask.astype(np.uint8) * 255).save(bundle / mask_rel)
    s = case.settings
    return {
        "id": case_id, "report": case.report, "image": image_rel, "tensors": index,
        "settings": {"k": s.k, "theta": s.theta, "use_coarse": s.use_coarse,
                     "use_points": s.use_points, "use_text": s.use_text,
                     "user_points": [list(p) for p in s.user_points]},
        "geometry": {"original": list(pre.original), "resized": list(pre.resized)},
        "points": {"cells": [[c.row, c.col, c.prob] for c in seg.cells],
                   "coords": seg.slots.coords.tolist(), "labels": seg.slots.labels.tolist()},
        "iou": seg.iou, "final_mask": mask_rel,
    }


def write_fixtures(trained: Trained, cases: list[FixtureCase], bundle: Path) -> dict:
    segmenter = Segmenter(trained)
    entries = [write_case(segmenter, case, f"case{i}", bundle) for i, case in enumerate(cases)]
    return {"cases": entries}
