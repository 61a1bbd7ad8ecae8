"""Tests of locus.infer (the PyTorch inference pipeline) and locus.metrics."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from locus.checkpoint import Trained, load_trained, save_trained
from locus.data.preprocess import PreprocessSpec, logits_to_original
from locus.data.tokenizer import Tokenizer, build_vocab
from locus.infer import PromptSettings, Segmenter
from locus.metrics import dice, iou
from locus.model.build import build_locus, model_config

CFG = model_config("tiny")
REPORT = "Unilateral pulmonary infection, one infected area, lower left lung."


@pytest.fixture(scope="module")
def trained() -> Trained:
    torch.manual_seed(0)
    tokenizer = Tokenizer(build_vocab([REPORT], 50), max_length=CFG.max_length)
    model = build_locus(CFG, vocab_size=len(tokenizer.vocab)).eval()
    return Trained(model, CFG, tokenizer, PreprocessSpec(input_size=CFG.input_size), {})


@pytest.fixture(scope="module")
def analysis(trained):
    segmenter = Segmenter(trained)
    pixels = np.random.default_rng(0).integers(0, 256, size=(50, 30), dtype=np.uint8)
    pre, embedding = segmenter.encode_image(pixels)
    return segmenter.analyze(pre, embedding, REPORT)


def with_coarse(analysis, hot: list[tuple[int, int]]):
    """The analysis with coarse logits -10 everywhere but +10 at the `hot` cells."""
    coarse = np.full_like(analysis.coarse_logits, -10.0)
    for r, c in hot:
        coarse[0, 0, r, c] = 10.0
    return dataclasses.replace(analysis, coarse_logits=coarse)


def test_analysis_shapes(analysis):
    g = CFG.grid
    assert analysis.pre.original == (50, 30) and analysis.pre.resized == (64, 38)
    assert analysis.input_ids.shape == (1, CFG.max_length) and analysis.input_ids.dtype == np.int64
    assert analysis.coarse_logits.shape == (1, 1, g, g)
    assert analysis.text_prompt.shape == (1, CFG.decoder_dim)
    assert analysis.gpfc_logits.shape == (1, 4, 6)


def test_mask_has_the_original_image_shape(trained, analysis):
    seg = Segmenter(trained).decode(analysis, PromptSettings())
    assert seg.mask.shape == (50, 30) and seg.mask.dtype == bool
    m = CFG.mask_logits_size
    assert seg.mask_logits.shape == (1, 1, m, m)
    assert np.isfinite(seg.iou)
    full = logits_to_original(seg.mask_logits[0, 0], (64, 38), CFG.input_size, (50, 30))
    np.testing.assert_array_equal(seg.mask, full > 0.0)


def test_use_points_false_gives_no_cells(trained, analysis):
    hot = with_coarse(analysis, [(1, 1), (6, 6)])
    segmenter = Segmenter(trained)
    cells, slots = segmenter.slots(hot, PromptSettings(use_points=False))
    assert cells == [] and (slots.labels == -1).all()
    cells, _ = segmenter.slots(hot, PromptSettings(use_points=True))
    assert [(c.row, c.col) for c in cells] == [(1, 1), (6, 6)]


def test_model_points_then_user_points(trained, analysis):
    hot = with_coarse(analysis, [(2, 5)])
    user = ((10.0, 11.0, 0), (20.0, 21.0, 1))
    seg = Segmenter(trained).decode(hot, PromptSettings(k=3, theta=0.9, user_points=user))
    assert [(c.row, c.col) for c in seg.cells] == [(2, 5)]
    # cell (2, 5) of the 8 x 8 grid over the 64-pixel frame -> centre (44, 20)
    np.testing.assert_array_equal(seg.slots.coords[:3], [[44.0, 20.0], [10.0, 11.0], [20.0, 21.0]])
    assert seg.slots.labels[:4].tolist() == [1, 0, 1, -1]


def test_k_points_chosen_at_low_theta(trained, analysis):
    cells, slots = Segmenter(trained).slots(analysis, PromptSettings(k=3, theta=0.0))
    assert len(cells) == 3 and slots.labels[:4].tolist() == [1, 1, 1, -1]


def test_prompt_switches_change_the_mask_logits(trained, analysis):
    segmenter = Segmenter(trained)
    everything = segmenter.decode(analysis, PromptSettings(theta=0.0))
    nothing = segmenter.decode(analysis, PromptSettings(use_coarse=False, use_points=False,
                                                        use_text=False))
    assert not np.allclose(everything.mask_logits, nothing.mask_logits)


def test_checkpoint_round_trip(trained, analysis, tmp_path):
    save_trained(tmp_path / "t.pt", dataclasses.replace(trained, training={"steps": 1}))
    loaded = load_trained(tmp_path / "t.pt")
    assert loaded.config == trained.config and loaded.spec == trained.spec
    assert loaded.tokenizer.vocab == trained.tokenizer.vocab and loaded.training == {"steps": 1}
    settings = PromptSettings(theta=0.0)
    a = Segmenter(trained).decode(analysis, settings)
    b = Segmenter(loaded).decode(analysis, settings)
    np.testing.assert_array_equal(a.mask_logits, b.mask_logits)


def test_dice_and_iou_on_known_arrays():
    pred = np.array([[1, 1, 0, 0]], dtype=bool)
    truth = np.array([[1, 0, 1, 0]], dtype=bool)
    assert dice(pred, truth) == pytest.approx(0.5)  # 2 * 1 / (2 + 2)
    assert iou(pred, truth) == pytest.approx(1.0 / 3.0)
    assert dice(pred, pred) == 1.0 and iou(pred, pred) == 1.0
    three = np.array([1, 1, 1, 0]), np.array([0, 1, 1, 1])  # ints are read as booleans
    assert dice(*three) == pytest.approx(4.0 / 6.0) and iou(*three) == pytest.approx(0.5)


def test_empty_mask_conventions():
    empty, some = np.zeros((3, 3), dtype=bool), np.eye(3, dtype=bool)
    assert dice(empty, empty) == 1.0 and iou(empty, empty) == 1.0
    assert dice(empty, some) == 0.0 and iou(empty, some) == 0.0
    assert dice(some, empty) == 0.0 and iou(some, empty) == 0.0
