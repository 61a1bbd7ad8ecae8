"""Tests of locus.export: the ONNX graphs match graph_specs, the manifest matches the schema and
the files, and (with node + npm ci) the bundle passes `locus verify` under onnxruntime.

The model is a tiny untrained one: the contract, not the weights, is under test.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from PIL import Image

from locus.constants import EXPECTED_INPUT, MAX_POINTS, REGIONS, THETA_DEFAULT, TOPK_DEFAULT
from locus.checkpoint import Trained
from locus.data.report import PARSER_VERSION
from locus.data.preprocess import PreprocessSpec
from locus.data.tokenizer import Tokenizer, build_vocab, save_vocab
from locus.export.bundle import export_graphs, manifest, save_tensor
from locus.export.fixtures import FixtureCase, write_fixtures
from locus.export.graphs import graph_specs
from locus.infer import PromptSettings
from locus.model.build import build_locus, model_config
from locus.schema import manifest_errors

REPO = Path(__file__).resolve().parents[3]
REPORTS = ["Unilateral pulmonary infection, one infected area, upper right lung.",
           "Bilateral pulmonary infection, two infected areas, lower left and lower right lung."]
ONNX_DTYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64"}
INFO = {
    "bundle_id": "locus-test", "title": "Locus test bundle", "description": "untrained, tiny",
    "modality": "cxr",
    "provenance": {"license": "test", "data": [{"name": "random", "source": "pytest",
                                                  "terms": "none"}], "notes": ""},
}
TRAINING = {"data": [], "command": "pytest", "seconds": 0.0, "device": "cpu",
            "torch": torch.__version__, "trainable_parameters": 0, "total_parameters": 0,
            "phases": {}}


@pytest.fixture(scope="module", params=["tiny", "v2-tiny"])
def trained(request) -> Trained:
    torch.manual_seed(0)
    cfg = model_config(request.param)
    tokenizer = Tokenizer(build_vocab(REPORTS, 60), max_length=cfg.max_length)
    model = build_locus(cfg, vocab_size=len(tokenizer.vocab)).eval()
    return Trained(model, cfg, tokenizer, PreprocessSpec(input_size=64), {})


@pytest.fixture(scope="module")
def bundle(trained, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bundle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the torch 1.13 exporter's shape-inference notes
        graphs = export_graphs(trained, out)
    return out, graphs


def tensor_type(value_info) -> tuple[str, list[int]]:
    t = value_info.type.tensor_type
    return ONNX_DTYPES[t.elem_type], [d.dim_value for d in t.shape.dim]


def test_graphs_match_their_specs(trained, bundle):
    out, graphs = bundle
    specs = graph_specs(trained.config)
    assert set(graphs) == set(specs) == {"prompt_generator", "sam_image_encoder", "sam_decoder"}
    for name, spec in specs.items():
        model = onnx.load(str(out / f"{name}.onnx"))
        onnx.checker.check_model(model)
        inputs = [(i.name, *tensor_type(i)) for i in model.graph.input]
        outputs = [(o.name, *tensor_type(o)) for o in model.graph.output]
        assert inputs == [(t.name, t.dtype, list(t.shape)) for t in spec.inputs], name
        assert outputs == [(t.name, t.dtype, list(t.shape)) for t in spec.outputs], name
        entry = graphs[name]
        assert entry["file"] == f"{name}.onnx"
        assert entry["inputs"] == [t.to_manifest() for t in spec.inputs]
        assert entry["outputs"] == [t.to_manifest() for t in spec.outputs]


def test_specs_follow_the_config(trained):
    cfg = trained.config
    specs = graph_specs(cfg)
    decoder = {t.name: t.shape for t in specs["sam_decoder"].inputs}
    assert decoder["point_coords"] == (1, MAX_POINTS, 2)
    assert decoder["coarse_logits"] == (1, 1, cfg.coarse_grid, cfg.coarse_grid)
    assert decoder["image_embedding"] == (1, cfg.decoder_dim, cfg.grid, cfg.grid)
    mask = specs["sam_decoder"].outputs[0]
    assert mask.name == "mask_logits" and mask.shape == (1, 1, 4 * cfg.grid, 4 * cfg.grid)
    assert cfg.mask_logits_size == 32
    pg_in = {t.name: (t.dtype, t.shape) for t in specs["prompt_generator"].inputs}
    assert pg_in["input_ids"] == ("int64", (1, cfg.max_length))


def test_manifest_is_valid_and_matches_the_files(trained, bundle, tmp_path):
    out, graphs = bundle
    vocab = tmp_path / "vocab.txt"
    save_vocab(trained.tokenizer.vocab, vocab)
    doc = manifest(trained, info=INFO, graphs=graphs, vocab_path=vocab, training=TRAINING,
                   metrics=None, fixtures=None)
    doc = json.loads(json.dumps(doc))  # as written to manifest.json
    assert manifest_errors(doc) == []
    for name, entry in doc["graphs"].items():
        data = (out / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["bytes"] == len(data) and entry["opset"] == 17
    assert doc["tokenizer"]["vocab_sha256"] == hashlib.sha256(vocab.read_bytes()).hexdigest()
    assert doc["tokenizer"]["vocab_size"] == len(trained.tokenizer.vocab)
    assert doc["prompts"]["coarse_grid"] == [trained.config.coarse_grid] * 2
    assert doc["prompts"]["max_points"] == MAX_POINTS
    assert doc["regions"] == list(REGIONS)
    assert doc["report_parser"] == PARSER_VERSION and doc["metrics"] is None
    assert (doc["prompts"]["k"], doc["prompts"]["theta"]) == (TOPK_DEFAULT, THETA_DEFAULT)
    assert doc["preprocess"]["input_size"] == 64
    assert doc["expected_input"] == EXPECTED_INPUT[INFO["modality"]]
    assert list(doc).index("expected_input") == list(doc).index("preprocess") + 1


def test_schema_names_what_is_wrong(trained, bundle, tmp_path):
    out, graphs = bundle
    vocab = tmp_path / "vocab.txt"
    save_vocab(trained.tokenizer.vocab, vocab)
    doc = json.loads(json.dumps(manifest(trained, info=INFO, graphs=graphs, vocab_path=vocab,
                                         training=TRAINING, metrics=None, fixtures=None)))
    broken = json.loads(json.dumps(doc))
    del broken["graphs"]["sam_decoder"]["sha256"]
    broken["extra"] = 1
    broken["graphs"]["prompt_generator"]["inputs"][0]["dtype"] = "float64"
    errors = manifest_errors(broken)
    assert len(errors) == 3, errors
    assert any(e.startswith("/graphs/sam_decoder: 'sha256'") for e in errors), errors
    assert any(e.startswith("/graphs/prompt_generator/inputs/0/dtype:") for e in errors), errors


def test_manifest_refuses_metrics_that_break_the_schema(trained, bundle, tmp_path):
    out, graphs = bundle
    vocab = tmp_path / "vocab.txt"
    save_vocab(trained.tokenizer.vocab, vocab)
    with pytest.raises(ValueError, match="/metrics: 'evaluation' is a required property"):
        manifest(trained, info=INFO, graphs=graphs, vocab_path=vocab, training=TRAINING,
                 metrics={"command": "x", "summary": {"pytorch": {"dice": {"mean": 0.5}}}},
                 fixtures=None)


def test_save_tensor_is_little_endian_c_order(tmp_path):
    array = np.arange(6, dtype=np.float32).reshape(2, 3).T  # not C-contiguous
    entry = save_tensor(array, tmp_path / "t.bin")
    assert entry == {"dtype": "float32", "shape": [3, 2]}
    back = np.frombuffer((tmp_path / "t.bin").read_bytes(), dtype="<f4").reshape(3, 2)
    np.testing.assert_array_equal(back, array)
    assert save_tensor(np.ones((2,), dtype=np.int64), tmp_path / "i.bin")["dtype"] == "int64"


def node_ready() -> bool:
    return shutil.which("node") is not None and (REPO / "node_modules" / ".bin" / "tsx").exists()


def test_bundle_round_trip_with_onnxruntime(trained, bundle, tmp_path):
    if not node_ready():
        pytest.skip("needs node + npm ci at the repo root (tsx, onnxruntime-node)")
    out, graphs = bundle
    folder = tmp_path / "bundle"
    shutil.copytree(out, folder)
    rng = np.random.default_rng(0)
    images = []
    for i, shape in enumerate([(70, 50), (40, 64)]):
        path = tmp_path / f"case{i}.png"
        Image.fromarray(rng.integers(0, 256, size=shape, dtype=np.uint8)).save(path)
        images.append(path)
    cases = [FixtureCase(images[0], REPORTS[0]),
             FixtureCase(images[1], REPORTS[1], PromptSettings(
                 k=2, theta=0.0, use_coarse=False, use_text=False, user_points=((40.0, 50.0, 0),)))]
    index = write_fixtures(trained, cases, folder)
    (folder / "fixtures" / "index.json").write_text(json.dumps(index, indent=1))
    vocab = folder / "vocab.txt"
    save_vocab(trained.tokenizer.vocab, vocab)
    doc = manifest(trained, info=INFO, graphs=graphs, vocab_path=vocab, training=TRAINING,
                   metrics=None, fixtures={"index": "fixtures/index.json"})
    (folder / "manifest.json").write_text(json.dumps(doc, indent=2) + "\n")
    assert index["cases"][1]["points"]["labels"][:3] == [1, 1, 0]
    result = subprocess.run(["node", "bin/locus.mjs", "verify", str(folder)], cwd=REPO,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bundle OK" in result.stdout
