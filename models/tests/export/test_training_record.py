"""The manifest's training record: what the shipped model cost, its pretraining run included."""
from __future__ import annotations

import json
from pathlib import Path

from locus.export.__main__ import training_record

INFO = {"device": "cpu", "torch": "1.13", "trainable_parameters": 10, "total_parameters": 20}


def write_run(folder: Path, command: str, **phases: float) -> Path:
    folder.mkdir(parents=True)
    record = {"prepare_seconds": 2.0, "command": command, "seconds": 99.0}
    record.update({name: {"epochs": 1, "seconds": s} for name, s in phases.items()})
    (folder / "training.json").write_text(json.dumps(record))
    (folder / "full.pt").write_bytes(b"")
    return folder


def test_own_run_counts_the_shipped_variant_and_the_reader_not_the_ablations(tmp_path):
    # with an ablation variant the command's wall clock (99 s) covers more than the shipped model
    run = write_run(tmp_path / "run", "train", clip=10.0, sam=20.0, reader_full=5.0, locus_full=30.0,
                    locus_no_gpfc=40.0)
    record = training_record(run, {"data": {"train": ["d"]}}, INFO)
    assert record["seconds"] == 67.0
    assert record["phases"]["command_seconds"] == 99.0
    assert "init" not in record["phases"]


def test_a_pretraining_run_named_by_init_is_added_and_listed(tmp_path):
    pre = write_run(tmp_path / "pre", "pretrain", clip=100.0, sam=200.0)
    run = write_run(tmp_path / "run", "train", sam=20.0, reader_full=5.0, locus_full=30.0)
    cfg = {"data": {"train": ["d"]}, "init": str(pre / "full.pt")}
    record = training_record(run, cfg, INFO)
    # no ablations: the run's whole command (99 s, > its phases' 57 s) counts; the pretraining's
    # last invocation (99 s) was shorter than its phases (a resumed run), so they count
    assert record["seconds"] == 99.0 + 302.0
    assert record["phases"]["init"] == {"checkpoint": str(pre / "full.pt"), "command": "pretrain",
                                        "seconds": 302.0, "phases": {"clip": 100.0, "sam": 200.0}}


def test_a_phase_recorded_without_seconds_counts_zero(tmp_path):
    # gated runs trained before the reader's warm-up was timed have no seconds for it
    pre = write_run(tmp_path / "pre", "pretrain", clip=100.0, sam=200.0)
    record = json.loads((pre / "training.json").read_text())
    record["reader_full"] = {"steps": 600, "accuracy": 0.99}
    (pre / "training.json").write_text(json.dumps(record))
    run = write_run(tmp_path / "run", "train", sam=20.0)
    cfg = {"data": {"train": ["d"]}, "init": str(pre / "full.pt")}
    init = training_record(run, cfg, INFO)["phases"]["init"]
    assert init["seconds"] == 302.0
    assert init["phases"] == {"clip": 100.0, "sam": 200.0, "reader_full": 0.0}
