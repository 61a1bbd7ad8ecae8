"""CI-sized end-to-end runs of the documented commands: generate -> train (3 phases) -> evaluate ->
export -> verify with onnxruntime in node. Proves that losses fall and the export verifies; the
second run (needs ../shared) trains on the 50 real MedSeg CT slices plus a small synthetic set
(training accepts several datasets at once)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from locus.evaluate import PROMPT_SETS

MODELS = Path(__file__).resolve().parents[1]
REPO = MODELS.parent
SHARED_CT = REPO.parent / "shared" / "data" / "medseg-covid-ct" / "train"


def run(*args: str, cwd: Path = MODELS) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count()))}
    subprocess.run(list(args), cwd=cwd, env=env, check=True)


def verify(bundle: Path) -> None:
    if shutil.which("node") is None or not (REPO / "node_modules" / ".bin" / "tsx").exists():
        pytest.skip("export verification needs node and `npm ci` (node_modules/.bin/tsx)")
    run("node", "bin/locus.mjs", "verify", str(bundle), cwd=REPO)


def test_smoke_training_exports_a_verified_bundle(tmp_path: Path) -> None:
    config = json.loads((MODELS / "configs" / "ci-smoke.json").read_text())
    data = tmp_path / "data"
    config["data"]["synthetic"]["root"] = str(data)
    config["data"]["train"] = [str(data / "train")]
    config["data"]["test"] = [str(data / "test")]
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    run_dir, bundle = tmp_path / "run", tmp_path / "bundle"

    run(sys.executable, "-m", "locus.train", "--config", str(config_path), "--out", str(run_dir))
    record = json.loads((run_dir / "training.json").read_text())
    for phase in ("clip", "sam", "locus_full"):
        first, last = record[phase]["first_losses"]["loss"], record[phase]["final_losses"]["loss"]
        assert last < first, f"{phase}: loss did not fall ({first:.4f} -> {last:.4f})"

    run(sys.executable, "-m", "locus.evaluate", "--run", str(run_dir), "--data", str(data / "test"),
        "--out", str(run_dir / "metrics.json"))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert set(metrics["prompts"]) == set(PROMPT_SETS)  # Table 5: the 8 subsets
    assert metrics["summary"]["pytorch"]["n"] == config["data"]["synthetic"]["test"]

    run(sys.executable, "-m", "locus.export", "--run", str(run_dir), "--config", str(config_path),
        "--out", str(bundle), "--metrics", str(run_dir / "metrics.json"))
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["metrics"] == metrics
    assert manifest["training"]["trainable_parameters"] > 0

    verify(bundle)


@pytest.mark.skipif(not SHARED_CT.exists(), reason=f"needs ../shared (not found at {SHARED_CT})")
def test_ct_smoke_run_on_real_slices(tmp_path: Path) -> None:
    config = json.loads((MODELS / "configs" / "ct-smoke.json").read_text())
    synth = tmp_path / "synth"
    run(sys.executable, "-m", "locus.synth", "--out", str(synth), "--split", "train",
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
    assert json.loads((run_dir / "metrics.json").read_text())["summary"]["pytorch"]["n"] == 50
    run(sys.executable, "-m", "locus.export", "--run", str(run_dir), "--config", str(config_path),
        "--out", str(bundle), "--metrics", str(run_dir / "metrics.json"))
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["modality"] == "ct"
    verify(bundle)
