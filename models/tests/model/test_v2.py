"""Tests of model size v2 (MobileNetV2 image encoders, map QGAF, FPN SAM encoder) at toy size:
shapes, the contract's grids, identity bridges. No weights needed; the export of v2 graphs and
their parity with onnxruntime is tested with v1's in tests/test_export.py."""
from __future__ import annotations

import pytest
import torch

from locus.constants import MAX_POINTS, NUM_REGIONS, NUM_STAGES
from locus.export.graphs import graph_specs
from locus.model.build import build_locus, model_config
from locus.model.qgaf import MapQGAF, fourier_positions

CFG = model_config("v2-tiny")
VOCAB = 40


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    model = build_locus(CFG, vocab_size=VOCAB).eval()
    with torch.no_grad():  # non-identity bridges, so the QGAF path is exercised
        for bridge in model.prompt_generator.bridges:
            bridge.zoom_out_v.fc2.weight.normal_(0.0, 0.2)
            bridge.zoom_out_t.fc2.weight.normal_(0.0, 0.2)
    return model


def inputs(batch: int = 2):
    gen = torch.Generator().manual_seed(1)
    image = torch.randn(batch, 1, CFG.input_size, CFG.input_size, generator=gen)
    ids = torch.randint(4, VOCAB, (batch, CFG.max_length), generator=gen)
    mask = torch.zeros(batch, CFG.max_length, dtype=torch.long)
    mask[:, :9] = 1
    return image, ids, mask


def test_grids_of_the_contract():
    full = model_config("v2")
    assert (full.input_size, full.grid, full.coarse_grid, full.mask_logits_size) == (256, 32, 16, 128)
    specs = graph_specs(full)
    coarse = [t for t in specs["prompt_generator"].outputs if t.name == "coarse_logits"][0]
    assert coarse.shape == (1, 1, 16, 16)
    emb = [t for t in specs["sam_image_encoder"].outputs if t.name == "image_embedding"][0]
    assert emb.shape == (1, full.decoder_dim, 32, 32)


def test_shapes(model):
    image, ids, mask = inputs()
    with torch.no_grad():
        out = model.prompt_generator(image, ids, mask)
        emb = model.sam.encode(image)
        dec = model.sam.decode(emb, coords=torch.zeros(2, MAX_POINTS, 2),
                               labels=torch.full((2, MAX_POINTS), -1.0),
                               coarse_logits=out.coarse_logits, has_mask=torch.ones(2),
                               text=out.text_prompt, has_text=torch.ones(2))
    gc, g = CFG.coarse_grid, CFG.grid
    assert out.coarse_logits.shape == (2, 1, gc, gc)
    assert out.gpfc_logits.shape == (2, NUM_STAGES, NUM_REGIONS)
    assert emb.embedding.shape == (2, CFG.decoder_dim, g, g)
    assert emb.high_res_0.shape == (2, CFG.decoder_dim // 8, 4 * g, 4 * g)
    assert emb.high_res_1.shape == (2, CFG.decoder_dim // 4, 2 * g, 2 * g)
    assert dec.mask_logits.shape == (2, 1, CFG.mask_logits_size, CFG.mask_logits_size)


def test_fresh_map_qgaf_is_the_identity():
    torch.manual_seed(2)
    bridge = MapQGAF(image_width=24, text_width=32, fused_width=32, queries=4, heads=2, pool=4)
    image = torch.randn(2, 24, 16, 16)
    text = torch.randn(2, 7, 32)
    mask = torch.ones(2, 7, dtype=torch.long)
    v, t = bridge(image, text, mask)
    assert torch.equal(v, image) and torch.equal(t, text)


def test_map_qgaf_ignores_padding_and_mixes_text():
    torch.manual_seed(3)
    bridge = MapQGAF(image_width=8, text_width=16, fused_width=16, queries=2, heads=2, pool=4)
    with torch.no_grad():
        bridge.zoom_out_v.fc2.weight.normal_(0.0, 0.5)
    image = torch.randn(1, 8, 16, 16)
    text = torch.randn(1, 6, 16)
    mask = torch.tensor([[1, 1, 1, 1, 0, 0]])
    with torch.no_grad():
        base, _ = bridge(image, text, mask)
        padded = text.clone()
        padded[0, 4:] = 99.0
        same, _ = bridge(image, padded, mask)
        changed = text.clone()
        changed[0, 1] += torch.randn(16)  # not a constant shift: LayerNorm removes those
        other, _ = bridge(image, changed, mask)
    torch.testing.assert_close(same, base, rtol=0, atol=1e-5)
    assert (other - base).abs().max() > 1e-4


def test_fourier_positions_agree_across_resolutions():
    fine, coarse = fourier_positions(8, 16), fourier_positions(4, 16)
    # the centre of the 4x4 map's cell (1, 2) lies between fine cells; the encodings differ, but
    # the same physical point (cell centre of a 2x2 pooled block) is where averaging puts it
    assert fine.shape == (64, 16) and coarse.shape == (16, 16)
    assert torch.allclose(fourier_positions(4, 16)[0], fourier_positions(4, 16)[0])


def test_cached_first_stage_and_embeddings_change_nothing(model):
    """Phase 3's caches (the frozen encoders' stage-1 map and SAM embeddings) give the same
    prompts as computing them per batch, and the same per-case slices."""
    from locus.train.phases import cache_embeddings, cache_first_stage

    image, ids, mask = inputs(3)
    with torch.no_grad():
        plain = model.prompt_generator(image, ids, mask)
        first = cache_first_stage(model, image, batch=2)
        cached = model.prompt_generator(image[1:], ids[1:], mask[1:], first_stage=first[1:])
        embeddings = cache_embeddings(model, image, batch=2)
        direct = model.sam.encode(image[2:])
    torch.testing.assert_close(cached.coarse_logits, plain.coarse_logits[1:])
    torch.testing.assert_close(cached.gpfc_logits, plain.gpfc_logits[1:])
    torch.testing.assert_close(embeddings.high_res_0[2:], direct.high_res_0)
