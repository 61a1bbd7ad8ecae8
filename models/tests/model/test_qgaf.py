"""Tests of locus.model.qgaf (the QGAF bridge) and the attention blocks it is built from."""
from __future__ import annotations

import pytest
import torch

from locus.model.blocks import (
    MASK_NEG, Attention, ConvStem, TransformerBlock, key_padding_bias, sincos_2d,
)
from locus.model.build import build_prompt_generator, model_config
from locus.model.qgaf import QGAF

CFG = model_config("tiny")
B, N, L = 2, 16, 10


def make_qgaf(seed: int = 0) -> QGAF:
    torch.manual_seed(seed)
    return QGAF(image_width=CFG.image_width, text_width=CFG.text_width,
                fused_width=CFG.qgaf_width, queries=CFG.qgaf_queries, heads=CFG.qgaf_heads).eval()


def perturb_zoom_out(bridge: QGAF) -> None:
    with torch.no_grad():
        for head in (bridge.zoom_out_v, bridge.zoom_out_t):
            head.fc2.weight.normal_(0.0, 0.5)
            head.fc2.bias.normal_(0.0, 0.5)


def inputs(seed: int = 1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    image = torch.randn(B, N, CFG.image_width, generator=gen)
    text = torch.randn(B, L, CFG.text_width, generator=gen)
    mask = torch.ones(B, L, dtype=torch.long)
    mask[0, 6:] = 0  # sample 0: 6 real tokens, 4 padding
    mask[1, 9:] = 0
    return image, text, mask


def test_output_shapes():
    bridge = make_qgaf()
    perturb_zoom_out(bridge)
    image, text, mask = inputs()
    v, t = bridge(image, text, mask)
    assert v.shape == (B, N, CFG.image_width)
    assert t.shape == (B, L, CFG.text_width)


def test_fresh_bridge_is_the_identity():
    image, text, mask = inputs()
    v, t = make_qgaf()(image, text, mask)
    assert torch.equal(v, image) and torch.equal(t, text)


def test_perturbed_bridge_changes_both_streams():
    bridge = make_qgaf()
    perturb_zoom_out(bridge)
    image, text, mask = inputs()
    v, t = bridge(image, text, mask)
    assert not torch.allclose(v, image) and not torch.allclose(t, text)


def test_padded_text_positions_are_masked():
    bridge = make_qgaf()
    perturb_zoom_out(bridge)
    image, text, mask = inputs()
    with torch.no_grad():
        v1, t1 = bridge(image, text, mask)
        changed = text.clone()
        pad = mask == 0
        changed[pad] = torch.randn(int(pad.sum()), CFG.text_width) * 10.0
        v2, t2 = bridge(image, changed, mask)
    torch.testing.assert_close(v2, v1, rtol=0, atol=1e-6)
    real = mask.bool()
    torch.testing.assert_close(t2[real], t1[real], rtol=0, atol=1e-6)


def test_real_text_positions_do_matter():
    bridge = make_qgaf()
    perturb_zoom_out(bridge)
    image, text, mask = inputs()
    with torch.no_grad():
        v1, _ = bridge(image, text, mask)
        changed = text.clone()
        # Random, not a constant shift: zoom_in starts with a LayerNorm.
        changed[:, 0] = torch.randn(B, CFG.text_width)
        v2, _ = bridge(image, changed, mask)
    assert (v2 - v1).abs().max() > 1e-3


def test_query_count_matches_config():
    assert make_qgaf().queries.shape == (1, CFG.qgaf_queries, CFG.qgaf_width)
    pg = build_prompt_generator(CFG, vocab_size=20)
    assert pg.bridges is not None and len(pg.bridges) == len(pg.heads)
    for bridge in pg.bridges:
        assert bridge.queries.shape == (1, CFG.qgaf_queries, CFG.qgaf_width)


def test_key_padding_bias():
    bias = key_padding_bias(torch.tensor([[1, 1, 0], [0, 1, 1]]))
    assert bias.shape == (2, 1, 1, 3)
    assert bias[0, 0, 0].tolist() == [0.0, 0.0, MASK_NEG]
    assert bias[1, 0, 0].tolist() == [MASK_NEG, 0.0, 0.0]


def test_attention_ignores_masked_keys():
    torch.manual_seed(0)
    attn = Attention(dim=8, heads=2, kv_dim=6, inner_dim=4)
    q, k, v = torch.randn(1, 3, 8), torch.randn(1, 5, 6), torch.randn(1, 5, 6)
    bias = key_padding_bias(torch.tensor([[1, 1, 1, 0, 0]]))
    out = attn(q, k, v, bias)
    assert out.shape == (1, 3, 8)
    k2, v2 = k.clone(), v.clone()
    k2[:, 3:], v2[:, 3:] = 100.0, -100.0
    torch.testing.assert_close(attn(q, k2, v2, bias), out, rtol=0, atol=1e-6)
    torch.testing.assert_close(attn(q, k[:, :3], v[:, :3]), out, rtol=0, atol=1e-6)


def test_attention_rejects_indivisible_width():
    with pytest.raises(ValueError):
        Attention(dim=6, heads=4)


def test_transformer_block_and_stem_shapes():
    block = TransformerBlock(dim=8, heads=2)
    assert block(torch.randn(2, 5, 8)).shape == (2, 5, 8)
    feats = ConvStem(in_channels=1, widths=(4, 6, 8))(torch.randn(2, 1, 32, 32))
    assert [tuple(f.shape) for f in feats] == [(2, 4, 16, 16), (2, 6, 8, 8), (2, 8, 4, 4)]


def test_sincos_2d():
    table = sincos_2d(4, 8)
    assert table.shape == (16, 8)
    assert torch.equal(table[0], torch.tensor([0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0]))
    with pytest.raises(ValueError):
        sincos_2d(4, 6)
