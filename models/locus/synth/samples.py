"""Hand-picked synthetic cases for the studio's gallery (``public/samples``): each SAMPLES entry
takes the first case of the samples stream that passes its test."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .generate import SPLITS, SynthCase, generate_case, save_png

#: Seed and stream index of the hand-picked samples (a stream no split uses).
SAMPLES_SEED, SAMPLES_STREAM = 4704, len(SPLITS)


def _sides(case: SynthCase) -> tuple[bool, bool]:
    return any(case.labels[:3]), any(case.labels[3:])


def _share(pixels: np.ndarray, case: SynthCase) -> float:
    """Fraction of the lung fields' area that ``pixels`` [H, W] covers."""
    return float(pixels.sum()) / max(int(case.lung.sum()), 1)


def _lookalike_shown(case: SynthCase) -> bool:
    """A look-alike opacity that is large and stands out from the rest of the lungs."""
    if "opacity" not in case.distractor_kinds or _share(case.distractor, case) < 0.04:
        return False
    image = case.image / float(case.image.max())
    rest = case.lung & ~case.distractor & ~case.mask
    return float(image[case.distractor].mean() - image[rest].mean()) > 0.08


#: Hand-picked samples: (id, title, test); each takes the first unused case that passes, and
#: only cases whose lesions are clearly visible (>= 5% of the lung fields).
SAMPLES = (
    ("normal", "Normal chest", lambda c: c.count == 0 and not c.distractor_kinds),
    ("normal-lookalike", "No infection, one look-alike opacity",
     lambda c: c.count == 0 and _lookalike_shown(c)),
    ("left-only", "Unilateral, patient's left lung", lambda c: _sides(c) == (False, True)),
    ("right-only", "Unilateral, patient's right lung", lambda c: _sides(c) == (True, False)),
    ("bilateral-multi", "Bilateral, several lesions",
     lambda c: all(_sides(c)) and c.count >= 3 and not c.distractor_kinds),
    ("lookalike", "Infection plus a look-alike opacity the report does not name",
     lambda c: c.count > 0 and _lookalike_shown(c)),
    ("sixteen-bit", "16-bit PNG", lambda c: c.image.dtype == np.uint16 and c.count > 0),
    ("ecg-wire", "Infection with an ECG lead",
     lambda c: c.count > 0 and "wire" in c.distractor_kinds),
)


def _pick(case: SynthCase, picked: dict) -> tuple[str, str] | None:
    """The first SAMPLES entry not yet picked that ``case`` passes."""
    if case.count and _share(case.mask, case) < 0.05:
        return None
    for sid, title, test in SAMPLES:
        if sid not in picked and test(case):
            return sid, title
    return None


def write_samples(out: Path, limit: int = 2000) -> list[dict]:
    """Writes the SAMPLES cases as <id>.png and <id>-mask.png plus index.json under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    picked: dict[str, dict] = {}
    for i in range(limit):
        if len(picked) == len(SAMPLES):
            break
        seq = np.random.SeedSequence([SAMPLES_SEED, SAMPLES_STREAM, i])
        case = generate_case(np.random.default_rng(seq))
        choice = _pick(case, picked)
        if choice is None:
            continue
        sid, title = choice
        save_png(out / f"{sid}.png", case.image)
        save_png(out / f"{sid}-mask.png", case.mask.astype(np.uint8) * 255)
        picked[sid] = {
            "id": sid, "title": title, "image": f"{sid}.png", "mask": f"{sid}-mask.png",
            "report": case.report, "regions": list(case.labels), "count": case.count,
            "width": int(case.image.shape[1]), "height": int(case.image.shape[0]),
            "bits": 16 if case.image.dtype == np.uint16 else 8, "case": i,
            # The studio shows a sample only beside a bundle of the same modality.
            "modality": "cxr",
        }
    index = [picked[sid] for sid, _, _ in SAMPLES if sid in picked]
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return index
