"""`python3 -m locus.export.migrate BUNDLE [BUNDLE ...]`: a format-1 manifest.json to format 2,
and a format-2 one written before `expected_input` existed completed with it.

`expected_input` (what input the bundle was trained on, for rendering DICOM) comes from
constants.EXPECTED_INPUT for the manifest's modality, placed after `preprocess`; nothing else
changes. Format 2 adds `report_parser` and replaces the free-form `metrics` with the typed record of
`metrics_record.py`. Every figure moves to its place unchanged (same numbers, same rounding) and
nothing that was not measured is added:
- `report_parser` is `locus-report v1`, the only grammar there has been;
- a test split's `{dice, miou, dice_std, cases}` becomes `{n, dice: {mean, std}, iou: {mean}}`
  (format 1 kept no IoU spread); the location test's `dice_drop`, the difference of its two
  means, is left out;
- a cross-validation's `torch` / `onnx` figures become `pytorch` / `onnx`; `per_fold` and
  `fold_train_seconds` become `cross_validation.folds`, with k and the seed of the fold split
  from the training config the manifest records;
- provenance names the synthetic generator by its current module (`locus.synth`; same code, same
  bytes); the training record, a copy of what ran, stays as it was.
The graphs, vocabulary and fixtures are not touched, so every hash in the manifest still holds.
"""
from __future__ import annotations

import argparse
import json

from ..constants import FORMAT_VERSION, expected_input
from ..data.report import PARSER_VERSION
from ..paths import resolve
from ..schema import check_manifest

#: Module paths renamed since format 1, as provenance texts spell them.
RENAMED = {"python3 -m locus.data.synth": "python3 -m locus.synth",
           "models/locus/data/synth.py": "models/locus/synth/"}


def _test_score(old: dict) -> dict:
    """{dice, miou, dice_std, miou_std, cases} -> a PyTorch score."""
    score = {"n": old["cases"], "dice": {"mean": old["dice"]}, "iou": {"mean": old["miou"]}}
    for metric, key in (("dice", "dice_std"), ("iou", "miou_std")):
        if key in old:
            score[metric]["std"] = old[key]
    return {"pytorch": score}


def _test_location(old: dict) -> dict:
    n = old["cases"]
    other = {"n": n, "dice": {"mean": old["dice_other_regions_report"]}}
    if "miou_other_regions_report" in old:
        other["iou"] = {"mean": old["miou_other_regions_report"]}
    location = {"n": n, "reports": {
        "true_report": {"pytorch": {"n": n, "dice": {"mean": old["dice_true_report"]}}},
        "other_regions": {"pytorch": other}}}
    return location | ({"command": old["command"]} if "command" in old else {})


def from_test_split(old: dict) -> dict:
    """A format-1 `locus.evaluate` metrics file -> the record."""
    out = {"evaluation": "test-split", "data": old["data"], "command": old["command"],
           "seconds": old["seconds"], "summary": _test_score(old["all_prompts"]),
           "prompts": {name: _test_score(s) for name, s in old["table5_prompts"].items()},
           "bridges": {name: _test_score(s) for name, s in old["table2_qgaf"].items()}}
    if old.get("location"):
        out["location"] = _test_location(old["location"])
    out["per_case"] = {"source": "pytorch", "cases": old["per_case"]}
    out["skipped"] = old["skipped"]
    return out


def _by_source(old: dict, n: int) -> dict:
    """{torch|onnx: {dice|iou: {mean, std}}} -> {pytorch|onnx: score over n cases}."""
    return {new: {"n": n} | old[key] for new, key in (("pytorch", "torch"), ("onnx", "onnx"))
            if key in old}


def _flat_by_source(old: dict, n: int, names: dict[str, str]) -> dict:
    """{torch_dice: x, onnx_iou: y, ...} -> {pytorch: {n, dice: {mean: x}}, onnx: {...}}."""
    out: dict[str, dict] = {}
    for new, key in (("pytorch", "torch"), ("onnx", "onnx")):
        for metric, suffix in names.items():
            if f"{key}_{suffix}" in old:
                out.setdefault(new, {"n": n})[metric] = {"mean": old[f"{key}_{suffix}"]}
    return out


def from_cross_validation(old: dict, folds_config: dict) -> dict:
    """A format-1 cross-validation summary (`cv-metrics.json`) -> the record."""
    folds = old["per_fold"]
    n = sum(f["cases"] for f in folds)
    location = old["location"]
    return {
        "evaluation": "cross-validation", "protocol": old["protocol"],
        "measured_by": old["measured_by"].replace("(torch)", "(pytorch)"),
        "command": old["command"], "summary": _by_source(old["all_prompts"], n),
        "prompts": {name: _by_source(s, n) for name, s in old["table5_prompts"].items()},
        "location": {"n": location["cases"], "reports": {
            report: _flat_by_source(location, location["cases"], {"dice": f"dice_{suffix}"})
            for report, suffix in (("true_report", "true_report"),
                                   ("other_regions", "other_regions_report"))}},
        "cross_validation": {
            "k": folds_config.get("k", len(folds)),
            **({"seed": folds_config["seed"]} if "seed" in folds_config else {}),
            "folds": [{"fold": f["fold"], "n": f["cases"], "train_seconds": seconds,
                       "scores": _by_source({key: {m: {"mean": v} for m, v in f[key].items()}
                                             for key in ("torch", "onnx") if key in f},
                                            f["cases"])}
                      for f, seconds in zip(folds, old["fold_train_seconds"])],
            "pooled": _flat_by_source(old["pooled_all_prompts"], n, {"dice": "dice", "iou": "iou"}),
            "pytorch_onnx_gap": old["torch_onnx_largest_gap"]},
    }


def migrate_metrics(old: dict | None, training: dict) -> dict | None:
    if not old:
        return None
    if "per_fold" in old:
        folds_config = training.get("phases", {}).get("config", {}).get("data", {}).get("folds", {})
        return from_cross_validation(old, folds_config)
    return from_test_split(old)


def _renamed(text: str) -> str:
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    return text


def with_expected_input(doc: dict) -> dict:
    """`doc` with `expected_input` after `preprocess` (from the constants, by modality); as is if present."""
    if "expected_input" in doc:
        return doc
    out = {}
    for key, value in doc.items():
        out[key] = value
        if key == "preprocess":
            out["expected_input"] = expected_input(doc["modality"])
    return out


def migrate(doc: dict) -> dict:
    """A format-1 manifest as format 2 (keys in the exporter's order), or a format-2 one without
    `expected_input` completed; checked against the schema."""
    if doc.get("format_version") == FORMAT_VERSION:
        out = with_expected_input(doc)
        check_manifest(out)
        return out
    if doc.get("format_version") != 1:
        raise ValueError(f"format_version {doc.get('format_version')!r}: only format 1 is migrated")
    out = {}
    for key, value in doc.items():
        out[key] = value
        if key == "preprocess":
            out["expected_input"] = expected_input(doc["modality"])
        if key == "tokenizer":
            out["report_parser"] = PARSER_VERSION
    provenance = doc["provenance"]
    out |= {"format_version": FORMAT_VERSION,
            "provenance": provenance | {
                "license": _renamed(provenance["license"]),
                "data": [d | {"source": _renamed(d["source"])} for d in provenance["data"]]},
            "metrics": migrate_metrics(doc["metrics"], doc["training"])}
    check_manifest(out)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.export.migrate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="+", help="bundle folders (relative to models/)")
    for bundle in parser.parse_args(argv).bundles:
        path = resolve(bundle) / "manifest.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format_version") == FORMAT_VERSION and "expected_input" in doc:
            print(f"{path}: already format {FORMAT_VERSION} with expected_input")
            continue
        path.write_text(json.dumps(migrate(doc), indent=2) + "\n", encoding="utf-8")
        what = "expected_input added" if doc.get("format_version") == FORMAT_VERSION else \
            f"format {doc.get('format_version')} -> {FORMAT_VERSION}"
        print(f"{path}: {what}")


if __name__ == "__main__":
    main()
