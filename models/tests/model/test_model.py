"""Tests of the assembled model (locus.model.locus via build.py): shapes, prompt switches, masks."""
from __future__ import annotations

import pytest
import torch

from locus.constants import MAX_POINTS, NUM_REGIONS, NUM_STAGES
from locus.model.build import build_locus, model_config
from locus.model.clip_text import causal_padding_bias, eos_index, gather_tokens
from locus.model.sam_image_encoder import ImageEmbedding

CFG = model_config("tiny")
VOCAB = 30
B = 2


def perturbed_locus(cfg=CFG):
    """A tiny model whose QGAF bridges are not the identity (zoom-out weights perturbed)."""
    torch.manual_seed(0)
    model = build_locus(cfg, vocab_size=VOCAB).eval()
    if model.prompt_generator.bridges is not None:
        with torch.no_grad():
            for bridge in model.prompt_generator.bridges:
                for head in (bridge.zoom_out_v, bridge.zoom_out_t):
                    head.fc2.weight.normal_(0.0, 0.3)
    return model


@pytest.fixture(scope="module")
def model():
    return perturbed_locus()


def text_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(5)
    ids = torch.randint(4, VOCAB, (B, CFG.max_length), generator=gen)
    mask = torch.zeros(B, CFG.max_length, dtype=torch.long)
    mask[0, :7], mask[1, :12] = 1, 1
    ids[mask == 0] = 0
    return ids, mask


def decoder_inputs(seed: int = 3) -> dict:
    gen = torch.Generator().manual_seed(seed)
    g = CFG.grid
    coords = torch.rand(B, MAX_POINTS, 2, generator=gen) * CFG.input_size
    labels = torch.full((B, MAX_POINTS), -1.0)
    labels[0, :2] = torch.tensor([1.0, 0.0])
    labels[1, :1] = 1.0
    return {"coords": coords, "labels": labels,
            "coarse_logits": torch.randn(B, 1, g, g, generator=gen),
            "has_mask": torch.ones(B), "text": torch.randn(B, CFG.decoder_dim, generator=gen),
            "has_text": torch.ones(B)}


@pytest.fixture(scope="module")
def embedding(model) -> ImageEmbedding:
    torch.manual_seed(4)
    with torch.no_grad():
        return model.sam.encode(torch.randn(B, 1, CFG.input_size, CFG.input_size))


def decode(model, embedding, **prompts) -> tuple[torch.Tensor, torch.Tensor]:
    with torch.no_grad():
        out = model.sam.decode(embedding, **prompts)
    return out.mask_logits, out.iou


def test_prompt_generator_shapes(model):
    ids, mask = text_inputs()
    with torch.no_grad():
        out = model.prompt_generator(torch.randn(B, 1, CFG.input_size, CFG.input_size), ids, mask)
    g = CFG.grid
    assert g == 8
    assert out.coarse_logits.shape == (B, 1, g, g)
    assert out.text_prompt.shape == (B, CFG.decoder_dim)
    assert out.gpfc_logits.shape == (B, NUM_STAGES, NUM_REGIONS)


def test_sam_shapes(model, embedding):
    g = CFG.grid
    assert embedding.embedding.shape == (B, CFG.decoder_dim, g, g)
    assert embedding.high_res_0.shape == (B, CFG.decoder_dim // 8, 4 * g, 4 * g)
    assert embedding.high_res_1.shape == (B, CFG.decoder_dim // 4, 2 * g, 2 * g)
    mask, iou = decode(model, embedding, **decoder_inputs())
    assert mask.shape == (B, 1, CFG.mask_logits_size, CFG.mask_logits_size)
    assert iou.shape == (B, 1)


def test_prompt_generator_ignores_padded_token_ids(model):
    ids, mask = text_inputs()
    image = torch.randn(B, 1, CFG.input_size, CFG.input_size)
    other = ids.clone()
    other[mask == 0] = torch.randint(4, VOCAB, (int((mask == 0).sum()),))
    with torch.no_grad():
        a = model.prompt_generator(image, ids, mask)
        b = model.prompt_generator(image, other, mask)
    for name in ("coarse_logits", "text_prompt", "gpfc_logits"):
        torch.testing.assert_close(getattr(b, name), getattr(a, name), rtol=0, atol=1e-5)


def test_padded_point_slots_are_ignored(model, embedding):
    prompts = decoder_inputs()
    reference = decode(model, embedding, **prompts)
    moved = dict(prompts, coords=prompts["coords"].clone())
    moved["coords"][prompts["labels"] < 0] = torch.tensor([123.0, -45.0])
    for got, want in zip(decode(model, embedding, **moved), reference):
        torch.testing.assert_close(got, want, rtol=0, atol=1e-6)


def test_real_points_matter(model, embedding):
    prompts = decoder_inputs()
    reference, _ = decode(model, embedding, **prompts)
    moved = dict(prompts, coords=prompts["coords"].clone())
    moved["coords"][:, 0] = torch.tensor([1.0, 60.0])
    changed, _ = decode(model, embedding, **moved)
    assert (changed - reference).abs().max() > 1e-4


def test_has_text_zero_makes_text_irrelevant(model, embedding):
    prompts = dict(decoder_inputs(), has_text=torch.zeros(B))
    reference = decode(model, embedding, **prompts)
    other = dict(prompts, text=torch.randn(B, CFG.decoder_dim) * 10.0)
    for got, want in zip(decode(model, embedding, **other), reference):
        torch.testing.assert_close(got, want, rtol=0, atol=1e-6)
    with_text = decode(model, embedding, **dict(prompts, has_text=torch.ones(B)))
    assert (with_text[0] - reference[0]).abs().max() > 1e-4


def test_has_mask_zero_makes_coarse_logits_irrelevant(model, embedding):
    prompts = dict(decoder_inputs(), has_mask=torch.zeros(B))
    reference = decode(model, embedding, **prompts)
    other = dict(prompts, coarse_logits=torch.randn(B, 1, CFG.grid, CFG.grid) * 10.0)
    for got, want in zip(decode(model, embedding, **other), reference):
        torch.testing.assert_close(got, want, rtol=0, atol=1e-6)
    with_mask = decode(model, embedding, **dict(prompts, has_mask=torch.ones(B)))
    assert (with_mask[0] - reference[0]).abs().max() > 1e-4


def test_all_prompts_off_still_decodes(model, embedding):
    prompts = dict(decoder_inputs(), labels=torch.full((B, MAX_POINTS), -1.0),
                   has_mask=torch.zeros(B), has_text=torch.zeros(B))
    mask, iou = decode(model, embedding, **prompts)
    assert torch.isfinite(mask).all() and torch.isfinite(iou).all()


def test_eos_index_and_gather():
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
    index = eos_index(mask)
    assert index.dtype == torch.int64 and index.tolist() == [2, 4, 1]
    tokens = torch.arange(3 * 5 * 2, dtype=torch.float32).reshape(3, 5, 2)
    picked = gather_tokens(tokens, index)
    assert picked.shape == (3, 2)
    assert torch.equal(picked, torch.stack([tokens[0, 2], tokens[1, 4], tokens[2, 1]]))


def test_causal_padding_bias():
    bias = causal_padding_bias(torch.tensor([[1, 1, 0]]))
    assert bias.shape == (1, 1, 3, 3)
    blocked = (bias[0, 0] != 0).int().tolist()
    # row = query, column = key: no look-ahead, and the padding key is blocked for every query
    assert blocked == [[0, 1, 1], [0, 0, 1], [0, 0, 1]]


def test_no_qgaf_variant_builds_and_runs():
    cfg = model_config("tiny", use_qgaf=False)
    model = build_locus(cfg, vocab_size=VOCAB).eval()
    assert model.prompt_generator.bridges is None
    full = build_locus(CFG, vocab_size=VOCAB)
    assert sum(p.numel() for p in model.parameters()) < sum(p.numel() for p in full.parameters())
    ids, mask = text_inputs()
    with torch.no_grad():
        out = model.prompt_generator(torch.randn(B, 1, CFG.input_size, CFG.input_size), ids, mask)
        emb = model.sam.encode(torch.randn(B, 1, CFG.input_size, CFG.input_size))
        dec = model.sam.decode(emb, **dict(decoder_inputs(), coarse_logits=out.coarse_logits,
                                           text=out.text_prompt))
    assert out.coarse_logits.shape == (B, 1, CFG.grid, CFG.grid)
    assert out.gpfc_logits.shape == (B, NUM_STAGES, NUM_REGIONS)
    assert dec.mask_logits.shape == (B, 1, CFG.mask_logits_size, CFG.mask_logits_size)


def test_fresh_bridges_leave_the_encoders_unchanged():
    """With identity bridges the prompt generator's coarse mask equals the bridge-free one."""
    torch.manual_seed(0)
    with_q = build_locus(CFG, vocab_size=VOCAB).eval()
    without = build_locus(model_config("tiny", use_qgaf=False), vocab_size=VOCAB).eval()
    without.load_state_dict(with_q.state_dict(), strict=False)
    ids, mask = text_inputs()
    image = torch.randn(B, 1, CFG.input_size, CFG.input_size)
    with torch.no_grad():
        a = with_q.prompt_generator(image, ids, mask)
        b = without.prompt_generator(image, ids, mask)
    torch.testing.assert_close(a.coarse_logits, b.coarse_logits, rtol=0, atol=1e-6)
    torch.testing.assert_close(a.text_prompt, b.text_prompt, rtol=0, atol=1e-6)


def test_unknown_size_is_refused():
    with pytest.raises(KeyError):
        model_config("huge")
