"""The location gate of model v2 (`locus/model/region_gate.py`): the report's regions close the
coarse mask elsewhere, the closed cells veto the final mask, and its losses and phase-2
simulation follow the zone maps. Toy sizes, no weights needed."""
from __future__ import annotations

import numpy as np
import torch

from locus.constants import MAX_POINTS, NUM_REGIONS
from locus.model.build import build_locus, model_config
from locus.model.region_gate import (COARSE_CEIL, COARSE_FLOOR, GATE_SHIFT, VETO_LEVEL,
                                     apply_veto, gate_shift, soft_clamp)
from locus.train.losses import allowed_regions, gate_loss, zone_targets
from locus.train.phases import simulated_gate
from locus.train.tensors import NO_ZONE

CFG = model_config("v2-tiny")


class Fixed(torch.nn.Module):
    """A report reader that reads the same region logits from every report."""

    def __init__(self, logits: torch.Tensor) -> None:
        super().__init__()
        self.logits = logits

    def forward(self, tokens: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.logits.expand(tokens.shape[0], -1)


def band_zones(batch: int, m: int) -> torch.Tensor:
    """Six vertical bands, one region each, and a padding band on the right."""
    zones = torch.full((batch, m, m), NO_ZONE, dtype=torch.uint8)
    width = m // 7
    for z in range(NUM_REGIONS):
        zones[:, :, z * width:(z + 1) * width] = z
    return zones


def test_soft_clamp_and_open_gate_leave_plain_logits_alone():
    logits = torch.tensor([-30.0, -8.0, -2.0, 0.0, 3.0, 30.0])
    kept = soft_clamp(logits)
    assert kept.min() >= COARSE_FLOOR and kept.max() <= COARSE_CEIL
    assert torch.allclose(kept[2:5], logits[2:5], atol=0.02)
    assert torch.allclose(gate_shift(torch.ones(3)), torch.zeros(3))
    assert float(gate_shift(torch.zeros(1))) == -GATE_SHIFT
    # a closed gate puts even the most confident cell below the veto level
    assert COARSE_CEIL - GATE_SHIFT < VETO_LEVEL < COARSE_FLOOR


def test_veto_acts_only_below_its_level_and_only_with_the_mask_prompt():
    mask = torch.full((2, 1, 8, 8), 4.0)
    coarse = torch.full((2, 1, 2, 2), COARSE_FLOOR)  # the floor itself: above VETO_LEVEL
    coarse[:, :, :, 1] = COARSE_FLOOR - 9.0  # a closed gate in the right half
    out = apply_veto(mask, coarse, torch.tensor([1.0, 0.0]))
    assert torch.equal(out[0, 0, :, :2], mask[0, 0, :, :2])  # open half untouched (bilinear blurs the edge)
    assert (out[0, 0, :, 5:] < 0).all()  # closed half vetoed off
    assert torch.equal(out[1], mask[1])  # coarse-mask prompt off: no veto
    assert VETO_LEVEL < COARSE_FLOOR


def test_report_naming_other_regions_closes_the_coarse_mask_and_the_final_mask():
    torch.manual_seed(0)
    model = build_locus(CFG, vocab_size=40).eval()
    pg, gate = model.prompt_generator, model.prompt_generator.gate
    assert gate is not None and model.sam.veto
    g = CFG.coarse_grid
    with torch.no_grad():  # zones: left half regions 0-2, right half 3-5; region head = bias
        gate.zone[2].weight.zero_()
        gate.zone[2].bias.zero_()
        gate.zone_position.zero_()
        gate.zone_position[0, 0, :, : g // 2] = 20.0
        gate.zone_position[0, 3, :, g // 2:] = 20.0
    gate.reader = Fixed(torch.tensor([[20.0, -20, -20, -20, -20, -20]]))
    image = torch.randn(1, 1, CFG.input_size, CFG.input_size)
    ids = torch.randint(4, 40, (1, CFG.max_length))
    attn = torch.ones(1, CFG.max_length, dtype=torch.long)
    with torch.no_grad():
        out = pg(image, ids, attn)
        coarse = out.coarse_logits[0, 0]
        assert (coarse[:, : g // 2] >= COARSE_FLOOR - 1e-3).all()
        assert (coarse[:, g // 2:] <= COARSE_CEIL - GATE_SHIFT + 1e-3).all()
        emb = model.sam.encode(image)
        kwargs = dict(coords=torch.zeros(1, MAX_POINTS, 2), labels=torch.full((1, MAX_POINTS), -1.0),
                      coarse_logits=out.coarse_logits, text=out.text_prompt, has_text=torch.ones(1))
        on = model.sam.decode(emb, has_mask=torch.ones(1), **kwargs).mask_logits[0, 0]
        off = model.sam.decode(emb, has_mask=torch.zeros(1), **kwargs).mask_logits[0, 0]
    side = on.shape[-1]
    # the closed half loses at least VETO_SCALE x (VETO_LEVEL - closed coarse) logits
    assert (on[:, side // 2 + 2:] < off[:, side // 2 + 2:] - 5).all()
    assert out.zone_logits.shape == (1, NUM_REGIONS, g, g) and out.region_logits.shape == (1, NUM_REGIONS)


def test_zone_targets_and_gate_loss():
    zones = band_zones(2, 14)  # bands 2 px wide; the last band is padding
    shares, weight = zone_targets(zones, 7, NUM_REGIONS)
    assert shares.shape == (2, NUM_REGIONS, 7, 7)
    assert torch.allclose(shares[0, :, 0, :6].argmax(0), torch.arange(6))
    assert weight[0, 0, 6] == 0 and weight[0, 0, 0] == 1
    regions = torch.tensor([[1.0, 0, 0, 0, 0, 0], [0.0] * 6])
    assert allowed_regions(regions).tolist() == [[1.0, 0, 0, 0, 0, 0], [1.0] * 6]
    right = torch.full((2, NUM_REGIONS, 7, 7), -10.0)
    for z in range(NUM_REGIONS):
        right[:, z, :, z] = 10.0
    region_right = torch.where(allowed_regions(regions) > 0, 10.0, -10.0)
    good = gate_loss(right, region_right, zones, regions)
    bad = gate_loss(right.roll(1, dims=1), -region_right, zones, regions)
    assert float(good) < 1e-3 < 1.0 < float(bad)
    # without zone maps only the region head is trained
    assert float(gate_loss(right.roll(1, dims=1), region_right, None, regions)) < 1e-3


def test_phase2_simulated_gate_closes_only_the_regions_not_kept():
    zones = band_zones(1, 14)
    coarse = torch.full((1, 1, 7, 7), 3.0)
    kept = torch.tensor([[1.0, 1, 1, 0, 0, 0]])
    gated = simulated_gate(coarse, zones, kept)[0, 0]
    kept_logit = float(soft_clamp(torch.tensor(3.0)))
    assert torch.allclose(gated[:, :3], torch.full((7, 3), kept_logit), atol=1e-5)
    assert (gated[:, 3:6] < VETO_LEVEL).all()
    assert torch.allclose(gated[:, 6], torch.full((7,), kept_logit), atol=1e-5)  # padding stays open
    assert torch.allclose(simulated_gate(coarse, None, kept), soft_clamp(coarse))


def test_a_fresh_gate_is_open():
    """Added to a trained model, the gate starts open: the coarse mask moves by under 0.5 logit
    and nothing is vetoed, whatever the report."""
    torch.manual_seed(0)
    gated = build_locus(CFG, vocab_size=40).eval()
    plain = build_locus(model_config("v2-tiny", location_gate=False), vocab_size=40).eval()
    plain.load_state_dict(gated.state_dict(), strict=False)
    image = torch.randn(1, 1, CFG.input_size, CFG.input_size)
    ids = torch.randint(4, 40, (1, CFG.max_length))
    attn = torch.ones(1, CFG.max_length, dtype=torch.long)
    with torch.no_grad():
        a = gated.prompt_generator(image, ids, attn).coarse_logits
        b = plain.prompt_generator(image, ids, attn).coarse_logits
    assert (a - soft_clamp(b)).abs().max() < 0.5 and a.min() > VETO_LEVEL


def test_the_report_reader_learns_to_read_generated_reports():
    """The warm-up before phase 3 teaches the reader the report rule from generated reports:
    from the open prior (every region allowed) to most reports read right in a few hundred
    steps, on the tiny model's text tower, and it moves nothing but the reader."""
    from locus.data.tokenizer import Tokenizer, build_vocab
    from locus.train.phases import generated_reports, warm_up_reader

    texts, _ = generated_reports(np.random.default_rng(0), 2000)
    tokenizer = Tokenizer(build_vocab(texts, 120), max_length=CFG.max_length)
    torch.manual_seed(0)
    model = build_locus(CFG, vocab_size=len(tokenizer.vocab))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    record = warm_up_reader(model, tokenizer, steps=400, seed=1)
    assert record["accuracy_before"] < 0.2 and record["accuracy"] > 0.8, record
    moved = {k for k, v in model.state_dict().items() if not torch.equal(v, before[k])}
    assert moved and all(k.startswith("prompt_generator.gate.reader.") for k in moved)
