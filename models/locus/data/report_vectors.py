"""Shared test vectors of the report parser: Python and `src/pipeline/report.ts` must agree.

    cd models && /usr/bin/python3 -m locus.data.report_vectors \\
        --shared ../../shared/data --out tests/vectors/report_labels.json

The report strings of shared/ may not be copied into the project, so each shared row is stored as
{"row": data-row index from 0, "sha1": hex SHA-1 of the Description's UTF-8 bytes, "labels":
"110011" in REGIONS order, or null when unreadable}, under the CSV's path relative to shared/data.
A TS test reads the CSVs itself, checks the hash, and compares labels. Every CSV under shared/data
with a Description column is covered (the mosmedplus .xlsx files hold the same rows as the .csv).
"synthetic" holds our own hand-written edge cases with their text and hand-checked labels.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path
from typing import Sequence

from .report import PARSER_VERSION, parse_report, read_descriptions

_B = "Bilateral pulmonary infection, two infected areas, "
_U = "Unilateral pulmonary infection, one infected area, "

#: (text, expected labels or None for unreadable); labels in REGIONS order RU RM RL LU LM LL.
SYNTHETIC: tuple[tuple[str, str | None], ...] = (
    (_B + "upper middle left lung and lower right lung.", "001110"),
    ("No pulmonary infection.", "000000"),
    ("no infection", "000000"),
    ("No pulmonary infection, zero infected areas.", "000000"),
    ("Zero infected areas.", "000000"),
    ("0 infected areas", "000000"),
    ("no", "000000"),
    (_U + "left lung.", "000111"),
    (_U + "all right lung.", "111000"),
    (_U + "upper right lung.", "100000"),
    (_U + "middle right lung.", "010000"),
    (_U + "lower right lung.", "001000"),
    (_U + "upper left lung.", "000100"),
    (_U + "middle left lung.", "000010"),
    (_U + "lower left lung.", "000001"),
    (_U + "upper middle lower right lung.", "111000"),
    (_B + "left lung and right lung.", "111111"),
    (_B + "all left lung and all right lung.", "111111"),
    (_B + "midlle left lung and uppper right lung.", "100010"),
    (_B.upper() + "LOWER LEFT LUNG AND LOWER RIGHT LUNG.", "001001"),
    ("LEFT LUNG AND RIGHT LUNG", "111111"),
    ("Unilateral pulmonary infection, one infected areas, left lung and middle right lung.",
     "010111"),
    ("Bilateral pulmonary infection, one infected area, lower right lung.", "001000"),
    ("Bilateral pulmonary infection, two infected areas,lower left lung and lower right lung..",
     "001001"),
    ("Bilateral pulmonary infection,two infected areas,all leff lung and al right lung.(wait",
     "111111"),
    ("Unilateral pulmonary infection ,one infected area, middle left lung", "000010"),
    ("upper and middle left lung", "000110"),
    ("left and right lungs", "111111"),
    ("upper left and lower right lung", "001100"),
    ("left upper lung", "000100"),
    ("upper upper left lung", "000100"),
    (_B + "left lung lower right lung.", "001111"),
    ("Bilateral pulmonary infection, three infected areas, lower left lung and upper lower lung.",
     "101001"),
    (_B + "upper lung and middle lower right lung.", "011100"),
    (_B + "aall left lung and mmiddle right lung.", "010111"),
    (_B + "upper midle left lung and lower rught lung.", "001110"),
    (_B + "middle upper left lung and middle lower right lung", "011110"),
    (_U + "lowerright lung.", "001000"),
    ("Unilateral pulmonary infection, oneinfected area, rlower ight lung.", "001000"),
    (_U + "all lower right lung.", "111000"),
    ("all lower left lung", "000111"),
    (_U + "right right lung.", "111000"),
    (_U + "upper lefx lung.", "000100"),
    (_U + "lower left lung and", "000001"),
    ("Bilateral pulmonary infection, 10 infected areas, all left lung and middle lower right "
     "lung.", "011111"),
    ("Bilateral pulmonary infection, 2 infected areas, upper middle left lung and upper middle "
     "right lung.", "110110"),
    ("Lung infection in the upper right lung.", "100000"),
    ("two infected areas, upper left lung", "000100"),
    ("bilateral infection: upper-left lung; lower-right lung!", "001100"),
    (_B + "upper left lung and lower right lung \u2014 confirmed.", "001100"),
    ("\uff2ceft lung", "000111"),
    ("Unilateral pulmonary infection, upper lung.", None),
    ("upper lung", None),
    (_B + "upper lower lung.", None),
    ("Bilateral pulmonary infection, upper lung and lower lung.", None),
    (_U + "lower and right lung.", None),
    (_B + "right left lung and upper right lung.", None),
    ("", None),
    ("   ...  ", None),
    ("Normal.", None),
    (_B.rstrip(", ") + ".", None),
    ("No pulmonary infection, upper left lung.", None),
    ("No pulmonary infection, two infected areas.", None),
    ("No bilateral infection.", None),
    ("upper left", None),
    ("upper left lung and lower right", None),
    (_U + "mdle left lung.", None),
    (_U + "ald left lung.", None),
    ("lowerleftlung", None),
)


def shared_csvs(shared_data: Path) -> list[Path]:
    """Every CSV under shared/data whose header has a Description column, sorted by path."""
    out = []
    for path in sorted(shared_data.rglob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            if "Description" in next(csv.reader(f), []):
                out.append(path)
    return out


def file_rows(path: Path) -> list[dict]:
    """Vector rows of one CSV: row index, SHA-1 of the Description, labels or None."""
    return [{"row": i, "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
             "labels": parse_report(text).label_string}
            for i, text in enumerate(read_descriptions(path))]


def synthetic_rows() -> list[dict]:
    """The hand-written cases; raises if the parser disagrees with a hand-checked label."""
    rows = []
    for text, expected in SYNTHETIC:
        got = parse_report(text).label_string
        if got != expected:
            raise ValueError(f"synthetic case {text!r}: parser {got}, expected {expected}")
        rows.append({"text": text, "labels": expected})
    return rows


def resolve_shared(path: Path) -> Path:
    """Accept shared/ or shared/data."""
    return path / "data" if (path / "data").is_dir() else path


def build_vectors(shared_data: Path | None) -> dict:
    """The whole vectors document (files is empty when shared_data is None)."""
    files = {}
    if shared_data is not None:
        root = resolve_shared(shared_data)
        files = {p.relative_to(root).as_posix(): file_rows(p) for p in shared_csvs(root)}
    return {"parser": PARSER_VERSION, "files": files, "synthetic": synthetic_rows()}


def dump_vectors(vectors: dict) -> str:
    """JSON text with one vector per line (stable, diff-friendly)."""
    def block(rows: list[dict], indent: str) -> str:
        inner = ",\n".join(indent + " " + json.dumps(r, ensure_ascii=True) for r in rows)
        return "[\n" + inner + "\n" + indent + "]"

    files = ",\n".join(f"  {json.dumps(k)}: {block(v, '  ')}" for k, v in vectors["files"].items())
    return ("{\n" + f' "parser": {json.dumps(vectors["parser"])},\n'
            + ' "files": {\n' + files + "\n },\n"
            + f' "synthetic": {block(vectors["synthetic"], " ")}\n' + "}\n")


def main(argv: Sequence[str]) -> int:
    """CLI: write the vectors file."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, required=True, help="shared/data (or shared/)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    vectors = build_vectors(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump_vectors(vectors), encoding="utf-8")
    n = sum(len(v) for v in vectors["files"].values())
    bad = sum(r["labels"] is None for v in vectors["files"].values() for r in v)
    print(f"{args.out}: {len(vectors['files'])} files, {n} rows ({bad} unreadable), "
          f"{len(vectors['synthetic'])} synthetic")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
