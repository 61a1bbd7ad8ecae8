"""Writes location_reports.json: the location test's texts as models/locus writes them, for
tests/pipeline/sweeps.test.ts (the TS port must write the same strings from the same seeds).

Project-made reports only (report_from_zones with typos, and hand-written edge cases: no count,
counts in digits, one area, unreadable, all or no regions), under stems of several shapes. Run
from the repository root:
    /usr/bin/python3 tests/pipeline/data/make_location_vectors.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models"))
from locus.data.dataset import Case  # noqa: E402
from locus.data.zones import report_from_zones  # noqa: E402
from locus import evaluate  # noqa: E402

EDGE_CASES = [
    "Bilateral pulmonary infection, upper left lung and lower right lung.",
    "Unilateral pulmonary infection, one infected area, middle left lung.",
    "Unilateral pulmonary infection, 12 infected areas, all right lung.",
    "Bilateral pulmonary infection, two infected areas, all left lung and all right lung.",
    "No pulmonary infection.",
    "Bilateral pulmonary infection, two infected areas, upper left.",
    "Unilateral pulmonary infection, one infected areas, lower left lung.",
]
STEMS = ["case7", "bjorke_81", "Jun_coronacases_case2_133", "0", "x", "naïve-é", "mask_like"]


def generic_report(report: str, rng: np.random.Generator) -> str | None:
    """evaluate.generic_report where that exists (model v2), else the same definition."""
    parsed = evaluate.parse_report(report)
    if not parsed.readable or sum(parsed.labels) in (0, len(parsed.labels)):
        return None
    return report_from_zones((1,) * 6, max(1, parsed.count or 1), rng, typo_rate=0.0)


def reports(rng: np.random.Generator, n: int) -> list[str]:
    out = list(EDGE_CASES)
    for _ in range(n):
        zones = rng.integers(0, 2, size=6)
        out.append(report_from_zones(zones, int(rng.integers(0, 14)), rng, typo_rate=0.2))
    return out


def main() -> None:
    rng = np.random.default_rng(12)
    texts = reports(rng, 300)
    cases = [Case(stem=f"{STEMS[i % len(STEMS)]}{i}", image=Path("."), mask=Path("."), report=t)
             for i, t in enumerate(texts)]
    make_generic = getattr(evaluate, "generic_report", generic_report)
    rows = []
    for seed in (0, 2026):
        other = evaluate.wrong_reports(cases, seed)
        for case in cases:
            stem_seed = [seed] + [ord(ch) for ch in case.stem]
            generic = make_generic(case.report, np.random.default_rng(stem_seed))
            rows.append({"stem": case.stem, "seed": seed, "report": case.report,
                         "other_regions": other.get(case.stem), "all_regions": generic})
    path = Path(__file__).resolve().parent / "location_reports.json"
    path.write_text(json.dumps(rows, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path}: {len(rows)} rows, {sum(r['other_regions'] is not None for r in rows)} eligible")


if __name__ == "__main__":
    main()
