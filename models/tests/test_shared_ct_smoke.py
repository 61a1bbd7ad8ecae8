"""Needs ../shared: a smoke run on the 50 real MedSeg CT slices, combined with a small synthetic
set (training accepts several datasets at once), through train -> evaluate -> export -> verify."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from test_smoke_run import MODELS, REPO, run

SHARED_CT = REPO.parent / "shared" / "data" / "medseg-covid-ct" / "train"


@pytest.mark.skipif(not SHARED_CT.exists(), reason=f"needs ../shared (not found at {SHARED_CT})")
def test_ct_smoke_run_on_real_slices(tmp_path: Path) -> None:
    config = json.loads((MODELS / "configs" / "ct-smoke.json").read_text())
    synth = tmp_path / "synth"
    run(sys.executable, "-m", "locus.data.synth", "--out", str(synth), "--split", "train",
        "--n", "20", "--seed", "9")
    config["data"]["train"] = [str(SHARED_CT), str(synth)]
    config["data"]["test"] = [str(SHARED_CT)]
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    run_dir, bundle = tmp_path / "run", tmp_path / "bundle"
    run(sys.executable, "-m", "locus.train", "--config", str(config_path), "--out", str(run_dir))
    record = json.loads((run_dir / "training.json").read_text())
    assert all(record[p]["steps"] > 0 for p in ("clip", "sam", "locus_full"))
    run(sys.executable, "-m", "locus.evaluate", "--run", str(run_dir), "--data", str(SHARED_CT),
        "--out", str(run_dir / "metrics.json"))
    assert json.loads((run_dir / "metrics.json").read_text())["all_prompts"]["cases"] == 50
    run(sys.executable, "-m", "locus.export", "--run", str(run_dir), "--config", str(config_path),
        "--out", str(bundle), "--metrics", str(run_dir / "metrics.json"))
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["modality"] == "ct"
    if shutil.which("node") is None or not (REPO / "node_modules" / ".bin" / "tsx").exists():
        pytest.skip("export verification needs node and `npm ci` (node_modules/.bin/tsx)")
    run(str(REPO / "node_modules" / ".bin" / "tsx"), "scripts/verify-bundle.ts", str(bundle), cwd=REPO)
