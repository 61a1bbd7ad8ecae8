"""Tests of locus.train.phases and locus.train.loop: one short run of each phase on random tensors.

The command-line smoke run (locus.train.__main__) is exercised elsewhere; these check what a
single step does to which parameters, and that a phase resumes from its checkpoint.
"""
from __future__ import annotations

import json
import math

import pytest
import torch

from locus.data.tokenizer import Tokenizer, build_vocab
from locus.model.build import build_locus, model_config
from locus.train.__main__ import carry_over_times, load_init
from locus.train.loop import PhaseConfig, cosine_with_warmup, run_phase
from locus.train.phases import (
    ClipHead, LocusOptions, cache_embeddings, clip_step, freeze_for_phase3, locus_step,
    restrict_to_regions, sam_step,
)
from locus.train.tensors import CaseTensors, encode_reports, region_labels

CFG = model_config("tiny")
REPORTS = [
    "Bilateral pulmonary infection, two infected areas, upper left lung and lower right lung.",
    "Unilateral pulmonary infection, one infected area, middle right lung.",
    "Unilateral pulmonary infection, one infected area, lower left lung.",
    "Bilateral pulmonary infection, three infected areas, all left lung and upper right lung.",
]
CONFIG = PhaseConfig(epochs=1, batch=2, lr=1e-2)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer(build_vocab(REPORTS, 60), max_length=CFG.max_length)


@pytest.fixture(scope="module")
def data(tokenizer) -> CaseTensors:
    gen = torch.Generator().manual_seed(0)
    n, s, m = len(REPORTS), CFG.input_size, CFG.mask_logits_size
    targets = torch.zeros(n, 1, m, m)
    for i in range(n):  # one lesion square per case
        r, c = 4 + 5 * i, 20 - 4 * i
        targets[i, 0, r:r + 8, c:c + 8] = 1.0
    ids, mask = encode_reports(REPORTS, tokenizer)
    return CaseTensors(images=torch.randn(n, 1, s, s, generator=gen), targets=targets,
                       input_ids=ids, attention_mask=mask, regions=region_labels(REPORTS),
                       stems=[f"case{i}" for i in range(n)], reports=list(REPORTS))


def fresh_model(tokenizer: Tokenizer, cfg=CFG):
    torch.manual_seed(1)
    return build_locus(cfg, vocab_size=len(tokenizer.vocab))


def snapshot(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def changed(before: dict[str, torch.Tensor], module: torch.nn.Module) -> set[str]:
    return {k for k, v in module.state_dict().items() if not torch.equal(v, before[k])}


class Counting:
    """Wraps a step function and counts its calls."""

    def __init__(self, step) -> None:
        self.step, self.calls = step, 0

    def __call__(self, idx, global_step):
        self.calls += 1
        return self.step(idx, global_step)


def test_encode_reports_and_tensors(data, tokenizer):
    assert data.input_ids.shape == (4, CFG.max_length) and data.input_ids.dtype == torch.long
    assert (data.attention_mask.sum(1) > 2).all()
    assert data.regions.shape == (4, 6)
    assert data.regions[1].tolist() == [0, 1, 0, 0, 0, 0]  # middle right
    sub = data.subset(torch.tensor([2, 0]))
    assert len(sub) == 2 and sub.stems == ["case2", "case0"]
    assert torch.equal(sub.images[1], data.images[0])


def test_phase1_clip_trains_only_the_encoders(data, tokenizer, tmp_path):
    model, head = fresh_model(tokenizer), ClipHead(embed_dim=model_config("tiny").embed_dim)
    pg = model.prompt_generator
    before_pg, before_sam = snapshot(pg), snapshot(model.sam)
    scale = head.logit_scale.detach().clone()
    step = Counting(clip_step(model, head, data))
    params = [*pg.image_encoder.parameters(), *pg.text_encoder.parameters(), *head.parameters()]
    # 3 epochs: at init both towers give nearly the same embedding for every input, the centred
    # contrastive gradient is ill-conditioned and now and then overflows; run_phase skips such a
    # step (counted), so one short epoch could leave the encoders unmoved
    cfg = PhaseConfig(epochs=3, batch=2, lr=1e-2)
    record = run_phase(name="p1", modules={"pg": pg, "head": head}, params=params,
                       size=len(data), cfg=cfg, step=step, checkpoint=tmp_path / "p1.pt", seed=0)
    assert step.calls == 6 and record["steps"] == 6 and record["epochs"] == 3
    assert math.isfinite(record["final_losses"]["loss"])
    moved = changed(before_pg, pg)
    assert any(k.startswith("image_encoder.") for k in moved)
    assert any(k.startswith("text_encoder.") for k in moved)
    assert all(k.startswith(("image_encoder.", "text_encoder.")) for k in moved)
    assert not changed(before_sam, model.sam)
    assert not torch.equal(head.logit_scale.detach(), scale)


def test_phase2_sam_trains_only_sam(data, tokenizer, tmp_path):
    model = fresh_model(tokenizer)
    before_pg, before_sam = snapshot(model.prompt_generator), snapshot(model.sam)
    step = sam_step(model, data, grid=CFG.grid, input_size=CFG.input_size, seed=0)
    record = run_phase(name="p2", modules={"sam": model.sam}, params=list(model.sam.parameters()),
                       size=len(data), cfg=CONFIG, step=step, checkpoint=tmp_path / "p2.pt", seed=1)
    assert math.isfinite(record["final_losses"]["loss"])
    assert math.isfinite(record["final_losses"]["seg"])
    moved = changed(before_sam, model.sam)
    assert any(k.startswith("image_encoder.") for k in moved)
    assert any(k.startswith("decoder.") for k in moved)
    assert not changed(before_pg, model.prompt_generator)


def test_restricted_targets_keep_only_named_regions():
    """Phase 2's region restriction: a restricted case keeps its target inside one random set of
    regions (whole zones kept or dropped), unrestricted cases and zone-less cases are untouched."""
    import numpy as np

    from locus.train.tensors import NO_ZONE

    m = 12
    zones = torch.full((3, m, m), NO_ZONE, dtype=torch.uint8)
    for z in range(6):  # six vertical bands, one region each
        zones[:2, :, 2 * z:2 * z + 2] = z
    targets = torch.ones(3, 1, m, m)
    out, restricted, labels = restrict_to_regions(targets, zones, 1.0, np.random.default_rng(3))
    assert restricted.tolist() == [True, True, False]  # the third has no zone map
    for b in range(2):
        kept = out[b, 0].amax(dim=0).reshape(6, 2)
        assert torch.equal(kept[:, 0], kept[:, 1]) and 0 < kept[:, 0].sum() <= 6
        assert torch.equal(kept[:, 0], labels[b])  # the bands kept are the labels returned
        assert torch.equal(out[b, 0], out[b, 0, :1].expand(m, m))  # whole bands
    assert torch.equal(out[2], targets[2]) and labels[2].tolist() == [1.0] * 6
    untouched, none, _ = restrict_to_regions(targets, zones, 0.0, np.random.default_rng(3))
    assert not none.any() and torch.equal(untouched, targets)


@pytest.mark.parametrize("use_qgaf", [True, False])
def test_phase3_freezes_encoders(data, tokenizer, tmp_path, use_qgaf):
    model = fresh_model(tokenizer, model_config("tiny", use_qgaf=use_qgaf))
    params = freeze_for_phase3(model)
    pg = model.prompt_generator
    frozen = [pg.image_encoder, pg.text_encoder, model.sam.image_encoder]
    assert all(not p.requires_grad for m in frozen for p in m.parameters())
    assert all(not m.training for m in frozen)
    frozen_ids = {id(p) for m in frozen for p in m.parameters()}
    assert params and not any(id(p) in frozen_ids for p in params)
    before_frozen = [snapshot(m) for m in frozen]
    before = snapshot(model)
    embeddings = cache_embeddings(model, data.images, batch=3)
    assert embeddings.embedding.shape == (4, CFG.decoder_dim, CFG.grid, CFG.grid)
    opts = LocusOptions(k=3, theta=0.5, dropout=0.0, gpfc_weight=0.1, input_size=CFG.input_size)
    step = locus_step(model, data, embeddings, opts, tokenizer=tokenizer, seed=0)
    record = run_phase(name="p3", modules={"model": model}, params=params, size=len(data),
                       cfg=CONFIG, step=step, checkpoint=tmp_path / "p3.pt", seed=2)
    losses = record["final_losses"]
    assert all(math.isfinite(losses[k]) for k in ("loss", "coarse", "final", "gpfc"))
    for module, saved in zip(frozen, before_frozen):
        assert not changed(saved, module)
    moved = changed(before, model)
    for prefix in ("sam.decoder.", "sam.prompt_encoder.", "prompt_generator.heads.",
                   "prompt_generator.coarse.", "prompt_generator.text_prompt."):
        assert any(k.startswith(prefix) for k in moved), prefix
    if use_qgaf:  # the zero-initialised zoom-out layers get a gradient on the first step
        assert "prompt_generator.bridges.0.zoom_out_v.fc2.weight" in moved


def test_run_phase_resumes_from_its_checkpoint(data, tokenizer, tmp_path):
    model, head = fresh_model(tokenizer), ClipHead(embed_dim=model_config("tiny").embed_dim)
    pg = model.prompt_generator
    modules = {"pg": pg, "head": head}

    def run(epochs: int, step: Counting) -> dict:
        params = list(pg.image_encoder.parameters()) + list(pg.text_encoder.parameters()) \
            + list(head.parameters())
        return run_phase(name="p1", modules=modules, params=params, size=len(data),
                         cfg=PhaseConfig(epochs=epochs, batch=3, lr=1e-3), step=step,
                         checkpoint=tmp_path / "p1.pt", seed=0)

    first_step = Counting(clip_step(model, head, data))
    first = run(1, first_step)
    assert first_step.calls == 2  # ceil(4 / 3)
    trained = snapshot(pg)
    again_step = Counting(clip_step(model, head, data))
    again = run(1, again_step)
    assert again_step.calls == 0
    assert again == first
    assert not changed(trained, pg)
    more_step = Counting(clip_step(model, head, data))
    more = run(2, more_step)
    assert more_step.calls == 2 and more["epochs"] == 2 and more["steps"] == 4
    assert more["first_losses"] == first["final_losses"]


def test_run_phase_max_steps(data, tokenizer, tmp_path):
    model, head = fresh_model(tokenizer), ClipHead(embed_dim=model_config("tiny").embed_dim)
    step = Counting(clip_step(model, head, data))
    record = run_phase(name="p1", modules={"head": head}, params=list(head.parameters()),
                       size=len(data), cfg=PhaseConfig(epochs=2, batch=1, lr=1e-3, max_steps=1),
                       step=step, checkpoint=tmp_path / "p.pt", seed=0)
    assert step.calls == 2 and record["steps"] == 2


def test_cosine_with_warmup():
    factor = cosine_with_warmup(total=10, warmup=2)
    assert [factor(0), factor(1)] == [0.5, 1.0]
    assert factor(2) == pytest.approx(1.0)
    assert factor(6) == pytest.approx(0.5)
    assert factor(10) == pytest.approx(0.0, abs=1e-12)


def test_rerunning_a_finished_run_adds_to_its_time_record(tmp_path):
    first = {"seconds": 540.0, "prepare_seconds": 20.0, "sam": {"seconds": 280.0}}
    assert carry_over_times(first, tmp_path / "training.json") == first
    (tmp_path / "training.json").write_text(json.dumps(first))
    resumed = carry_over_times({"seconds": 6.3, "prepare_seconds": 0.1, "sam": {"seconds": 280.0}},
                               tmp_path / "training.json")
    assert resumed["seconds"] == 546.3 and resumed["prepare_seconds"] == 20.1
    assert resumed["sam"] == {"seconds": 280.0} and resumed["invocations"] == 2


def test_init_from_a_checkpoint_without_the_location_gate(capsys):
    """A v2 checkpoint made before the location gate initialises a gated v2 model (the gate starts
    fresh and says so); any other missing or unexpected tensor is refused."""
    old = build_locus(model_config("v2-tiny", location_gate=False), vocab_size=40)
    new = build_locus(model_config("v2-tiny"), vocab_size=40)
    load_init(new, old.state_dict())
    assert "start fresh (prompt_generator.gate)" in capsys.readouterr().out
    assert torch.equal(new.sam.decoder.mask_token, old.sam.decoder.mask_token)
    state = old.state_dict()
    state.pop("sam.decoder.mask_token")
    with pytest.raises(SystemExit, match="sam.decoder.mask_token"):
        load_init(new, state)
