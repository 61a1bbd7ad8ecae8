"""Synthetic chest X-rays in the LViT layout (run from ``models/``):

    python3 -m locus.synth --out DIR --split train --n 3000 [--seed S]
    python3 -m locus.synth --samples DIR

The first writes cases 0..n-1 of a split (``generate.write_split``); the second writes the
studio's hand-picked samples and DIR/index.json (``samples.write_samples``).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .generate import SPLITS, write_split
from .samples import write_samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m locus.synth",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="dataset folder to write (LViT layout)")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--n", type=int, default=100, help="number of cases")
    parser.add_argument("--seed", type=int, default=None, help="default: DEFAULT_SEEDS[split]")
    parser.add_argument("--samples", type=Path, help="write the hand-picked samples here instead")
    args = parser.parse_args(argv)
    if args.samples is not None:
        for s in write_samples(args.samples):
            print(f"{s['id']}: case {s['case']}, {s['width']}x{s['height']}, {s['report']}")
    elif args.out is not None:
        write_split(args.out, args.split, args.n, args.seed)
    else:
        parser.error("give --out DIR or --samples DIR")


if __name__ == "__main__":
    main()
