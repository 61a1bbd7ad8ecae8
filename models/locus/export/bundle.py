"""Write a bundle folder: ONNX graphs (opset 17), vocab.txt and manifest.json."""
from __future__ import annotations

import datetime
import hashlib
import inspect
import io
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from ..constants import (
    FORMAT_VERSION, MASK_LOGIT_THRESHOLD, MAX_POINTS, REGIONS, SPECIAL_TOKENS, THETA_DEFAULT,
    TOPK_DEFAULT, TOPK_MAX, expected_input,
)
from ..checkpoint import Trained
from ..data.report import PARSER_VERSION
from ..schema import check_manifest
from .graphs import WRAPPERS, GraphSpec, graph_specs

OPSET = 17
DTYPES = {"float32": torch.float32, "int64": torch.int64}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def example_inputs(spec: GraphSpec) -> tuple[torch.Tensor, ...]:
    """Plausible example tensors (only used for tracing; shapes are all that matter)."""
    tensors = []
    for t in spec.inputs:
        if t.dtype == "int64":
            tensors.append(torch.ones(t.shape, dtype=torch.int64))
        else:
            tensors.append(torch.zeros(t.shape, dtype=torch.float32))
    return tuple(tensors)


def export_graph(trained: Trained, spec: GraphSpec, path: Path) -> None:
    wrapper = WRAPPERS[spec.name](trained.model).eval()
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.5: keep the TorchScript exporter
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(wrapper, example_inputs(spec), buffer, opset_version=OPSET,
                          input_names=[t.name for t in spec.inputs],
                          output_names=[t.name for t in spec.outputs],
                          do_constant_folding=True, **kwargs)
    model = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(model)
    actual = [i.name for i in model.graph.input]
    if actual != [t.name for t in spec.inputs]:
        raise RuntimeError(f"{spec.name}: exported inputs {actual} differ from the contract")
    path.write_bytes(buffer.getvalue())


def graph_entry(spec: GraphSpec, path: Path) -> dict:
    return {"file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size,
            "opset": OPSET, "inputs": [t.to_manifest() for t in spec.inputs],
            "outputs": [t.to_manifest() for t in spec.outputs]}


def manifest(trained: Trained, *, info: dict, graphs: dict, vocab_path: Path,
             training: dict, metrics: dict | None, fixtures: dict | None) -> dict:
    """manifest.json from the structures the bundle was exported with; `metrics` is the record of
    `locus.evaluate` or `locus.cv_summary` (None: not measured). Checked against the schema."""
    cfg = trained.config
    doc = {
        "format_version": FORMAT_VERSION,
        "bundle_id": info["bundle_id"], "title": info["title"],
        "description": info["description"], "modality": info["modality"],
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "provenance": info["provenance"],
        "preprocess": trained.spec.to_manifest(),
        "expected_input": expected_input(info["modality"]),
        "tokenizer": {
            "kind": "wordpiece", "vocab_file": vocab_path.name, "vocab_sha256": sha256(vocab_path),
            "vocab_size": len(trained.tokenizer.vocab), "lowercase": True,
            "max_length": trained.tokenizer.max_length,
            "special_tokens": dict(zip(("pad", "unk", "cls", "sep"), SPECIAL_TOKENS)),
            "max_chars_per_word": 100,
        },
        "report_parser": PARSER_VERSION,
        "regions": list(REGIONS),
        "prompts": {"k": TOPK_DEFAULT, "theta": THETA_DEFAULT, "k_max": TOPK_MAX,
                    "max_points": MAX_POINTS, "coarse_grid": [cfg.coarse_grid, cfg.coarse_grid]},
        "sam": {"input_size": cfg.input_size,
                "point_frame": "(x, y) continuous pixel coordinates of the padded input frame; "
                               "(0, 0) is the top-left corner of the top-left pixel",
                "mask_logits_size": [cfg.mask_logits_size, cfg.mask_logits_size],
                "mask_threshold": MASK_LOGIT_THRESHOLD},
        "training": training,
        "metrics": metrics,
        "graphs": graphs,
        "fixtures": fixtures,
    }
    check_manifest(json.loads(json.dumps(doc)))  # as written to manifest.json
    return doc


def export_graphs(trained: Trained, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    graphs = {}
    for name, spec in graph_specs(trained.config).items():
        path = out / f"{name}.onnx"
        export_graph(trained, spec, path)
        graphs[name] = graph_entry(spec, path)
    return graphs


def save_tensor(array: np.ndarray, path: Path) -> dict:
    """Raw little-endian C-order bytes + the index entry describing them."""
    array = np.ascontiguousarray(array)
    dtype = {np.dtype(np.float32): "float32", np.dtype(np.int64): "int64"}[array.dtype]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(array.astype(array.dtype.newbyteorder("<")).tobytes())
    return {"dtype": dtype, "shape": list(array.shape)}
