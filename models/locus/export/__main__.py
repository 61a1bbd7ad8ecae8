"""`python3 -m locus.export --run runs/demo-cxr --config configs/demo-cxr.json --out demo-cxr`

Exports the run's `full.pt` to a bundle folder: three ONNX graphs, vocab.txt, fixtures from the
first cases of `--fixtures-from` (default: the config's test split) and manifest.json, with the
training record and the metrics record (`--metrics`, written by `python3 -m locus.evaluate` or, as
cv-metrics.json, by `python3 -m locus.cv`; without it the manifest's metrics are null).
Check the result with `npx locus verify <bundle>` (or `npm run verify:bundle -- <bundle>`).
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from ..checkpoint import load_trained
from ..config import load_config
from ..data.dataset import read_cases
from ..data.report import parse_report
from ..infer import PromptSettings
from ..paths import resolve
from ..schema import check_metrics
from .bundle import export_graphs, manifest
from .fixtures import FixtureCase, write_fixtures

FIXTURE_CASES = 2


def names_some_regions(report: str) -> bool:
    """A readable report naming some but not all regions (the location test's kind)."""
    parsed = parse_report(report)
    return parsed.readable and 0 < sum(parsed.labels) < len(parsed.labels)


def fixture_cases(root: Path) -> list[FixtureCase]:
    """The first cases whose report names some but not all regions (so each fixture has a lesion
    and a report that steers the mask; the first cases of a split may be normal chests), topped up
    with the first others when there are too few."""
    every = read_cases(root)[0]
    steering = [c for c in every if names_some_regions(c.report)]
    cases = (steering + [c for c in every if c not in steering])[:FIXTURE_CASES]
    out = [FixtureCase(c.image, c.report) for c in cases]
    if cases:  # one more: prompts switched off and a user point, to pin the masking path
        out.append(FixtureCase(cases[0].image, cases[0].report, PromptSettings(
            k=2, theta=0.5, use_coarse=False, use_text=False, user_points=((40.0, 50.0, 0),))))
    return out


OWN_PHASES = ("clip", "sam", "reader_full", "locus_full")


def own_seconds(record: dict) -> float:
    """What one `locus.train` run spent on the shipped variant: preparing the data, phases 1 and 2,
    caching the frozen encoders' outputs, the report reader's warm-up (gated models) and phase 3
    of `full`. Without Table-2 ablation variants the whole command trained only the shipped model,
    so its wall clock counts when larger (it sums completed invocations only: an interrupted one
    is missing, which the phases' own seconds are not)."""
    phases = record["prepare_seconds"] + record.get("cache_seconds", 0.0) + sum(
        record[k].get("seconds", 0.0) for k in OWN_PHASES if k in record)
    ablations = any(k.startswith("locus_") and k != "locus_full" for k in record)
    return phases if ablations else max(phases, record.get("seconds", 0.0))


def training_record(run: Path, cfg: dict, trained_info: dict) -> dict:
    """`seconds` is what the shipped model cost: its own run (see `own_seconds`) plus, when the
    config starts from another run's checkpoint (`init`, e.g. the CT bundle's pretraining on the
    pseudo-labelled slices), that run's own seconds, listed in `phases.init`. The ablation
    variants the same command trains for Table 2 are listed in `phases` with their own times, and
    `phases.command_seconds` is the whole command."""
    record = json.loads((run / "training.json").read_text())
    own = own_seconds(record)
    phases = {k: v for k, v in record.items() if k not in ("command", "seconds")}
    phases["command_seconds"] = record["seconds"]
    total = own
    if cfg.get("init"):
        init_record = resolve(cfg["init"]).parent / "training.json"
        if init_record.is_file():
            earlier = json.loads(init_record.read_text())
            phases["init"] = {"checkpoint": cfg["init"], "command": earlier["command"],
                              "seconds": round(own_seconds(earlier), 1),
                              "phases": {k: earlier[k].get("seconds", 0.0) for k in OWN_PHASES
                                         if k in earlier}}
            total += own_seconds(earlier)
    return {
        "data": [str(p) for p in cfg["data"]["train"]],
        "command": record["command"],
        "seconds": round(total, 1),
        "device": trained_info["device"],
        "torch": trained_info["torch"],
        "trainable_parameters": trained_info["trainable_parameters"],
        "total_parameters": trained_info["total_parameters"],
        "phases": phases,
    }


def with_references(metrics: dict | None, references: list[dict]) -> dict | None:
    """The metrics record with the config's `bundle.references` (earlier models measured the same
    way, e.g. the v1 bundle's cross-validation) appended to its baselines."""
    if metrics is None or not references:
        return metrics
    out = dict(metrics, baselines=list(metrics.get("baselines", [])) + list(references))
    check_metrics(out)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.export", description=__doc__)
    parser.add_argument("--run", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--metrics", help="metrics JSON from locus.evaluate")
    parser.add_argument("--fixtures-from", help="LViT folder to draw fixture cases from")
    args = parser.parse_args(argv)
    run, out = resolve(args.run), resolve(args.out)
    cfg = load_config(resolve(args.config))
    trained = load_trained(run / "full.pt")
    if out.exists():
        shutil.rmtree(out)
    graphs = export_graphs(trained, out)
    vocab = out / "vocab.txt"
    shutil.copyfile(run / "vocab.txt", vocab)
    fixtures_root = resolve(args.fixtures_from or cfg["data"]["test"][0])
    index = write_fixtures(trained, fixture_cases(fixtures_root), out)
    (out / "fixtures" / "index.json").write_text(json.dumps(index, indent=1))
    metrics = json.loads(resolve(args.metrics).read_text()) if args.metrics else None
    metrics = with_references(metrics, cfg["bundle"].get("references", []))
    doc = manifest(trained, info=cfg["bundle"], graphs=graphs, vocab_path=vocab,
                   training=training_record(run, cfg, trained.training), metrics=metrics,
                   fixtures={"index": "fixtures/index.json"})
    (out / "manifest.json").write_text(json.dumps(doc, indent=2) + "\n")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"bundle {out}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
