"""Writes the decode test images and what Python reads from them (tests/pipeline/decode.test.ts).

PNGs are encoded by hand (every colour type, bit depth and Adam7) so the set does not depend on
what Pillow can write; the expected values come from models/locus: dataset.read_image (Pillow)
then preprocess.to_gray. Run from the repository root:
    OMP_NUM_THREADS=1 /usr/bin/python3 tests/pipeline/data/make_vectors.py
"""
from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models"))
from locus.data.dataset import read_image  # noqa: E402
from locus.data.preprocess import logits_to_original, resize_linear, to_gray  # noqa: E402
from locus.data.report import parse_report  # noqa: E402
from locus.model.points import select_points  # noqa: E402

OUT = Path(__file__).resolve().parent / "decode"
W, H = 7, 5
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_rows(samples: np.ndarray, depth: int) -> bytes:
    """samples [h, w, c] -> filter-0 scanlines."""
    out = b""
    for row in samples:
        flat = row.reshape(-1)
        if depth == 16:
            line = flat.astype(">u2").tobytes()
        elif depth == 8:
            line = flat.astype(np.uint8).tobytes()
        else:
            bits = "".join(format(int(v), f"0{depth}b") for v in flat)
            bits += "0" * (-len(bits) % 8)
            line = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
        out += b"\x00" + line
    return out


def write_png(path: Path, samples: np.ndarray, depth: int, colour: int, *, interlace: bool = False,
              palette: list[tuple[int, int, int]] | None = None, trns: bytes | None = None) -> None:
    if interlace:
        raw = b"".join(pack_rows(samples[y0::dy, x0::dx], depth)
                       for x0, y0, dx, dy in ADAM7 if samples[y0::dy, x0::dx].size)
    else:
        raw = pack_rows(samples, depth)
    ihdr = struct.pack(">IIBBBBB", W, H, depth, colour, 0, 0, int(interlace))
    body = chunk(b"IHDR", ihdr)
    if palette is not None:
        body += chunk(b"PLTE", bytes(v for rgb in palette for v in rgb))
    if trns is not None:
        body += chunk(b"tRNS", trns)
    body += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)


def samples(colour: int, depth: int, rng: np.random.Generator, top: int | None = None) -> np.ndarray:
    high = (top if top is not None else 2 ** depth - 1) + 1
    return rng.integers(0, high, size=(H, W, CHANNELS[colour]), dtype=np.int64)


def f64(values: np.ndarray) -> list[float]:
    """float64 values that survive JSON exactly (repr round-trips)."""
    return [float(v) for v in np.asarray(values, dtype=np.float64).reshape(-1)]


def resize_cases(rng: np.random.Generator) -> list[dict]:
    out = []
    for (h, w), (oh, ow) in [((5, 7), (11, 3)), ((13, 9), (4, 20)), ((1, 6), (3, 1)), ((24, 17), (7, 7))]:
        image = rng.normal(size=(h, w))
        out.append({"input": [h, w], "output": [oh, ow], "image": f64(image),
                    "resized": f64(resize_linear(image, oh, ow))})
    return out


def postprocess_cases(rng: np.random.Generator) -> list[dict]:
    out = []
    for m, size, original in [(8, 16, (37, 29)), (16, 32, (20, 45)), (8, 32, (30, 41)), (4, 8, (3, 100))]:
        scale = size / max(original)
        resized = (max(1, int(np.floor(original[0] * scale + 0.5))), max(1, int(np.floor(original[1] * scale + 0.5))))
        logits = rng.normal(size=(m, m)).astype(np.float32)
        full = logits_to_original(logits, resized, size, original)
        out.append({"m": m, "input_size": size, "original": list(original), "resized": list(resized),
                    "logits": f64(logits), "values": f64(full), "mask": [int(v) for v in (full > 0).reshape(-1)]})
    return out


def points_cases(rng: np.random.Generator) -> list[dict]:
    out = []
    for g, k, theta in [(8, 3, 0.9), (8, 8, 0.5), (16, 5, 0.7), (5, 4, 0.0), (6, 2, 0.99)]:
        logits = (rng.normal(size=(g, g)) * 3).astype(np.float32)
        logits[rng.integers(0, g), :] = 12.0  # a saturated row: ties at p = 1
        cells = select_points(logits, k=k, theta=theta)
        out.append({"grid": [g, g], "k": k, "theta": theta, "logits": f64(logits),
                    "cells": [[c.row, c.col, c.prob] for c in cells]})
    return out


def report_texts(rng: np.random.Generator, n: int) -> list[str]:
    """Mutated LViT-style reports: typos, joined and dropped words, odd characters."""
    zones = ["upper", "middle", "lower", "all", ""]
    base = []
    for _ in range(n):
        lat = rng.choice(["Bilateral", "Unilateral", "", "No"])
        num = rng.choice(["one", "two", "zero", "seven", "12", "0", ""])
        parts = []
        for _ in range(int(rng.integers(0, 3))):
            z = " ".join(rng.choice(zones, size=int(rng.integers(0, 3))))
            parts.append(f"{z} {rng.choice(['left', 'right', '', 'left right'])} {rng.choice(['lung', 'lungs', ''])}")
        text = f"{lat} pulmonary infection, {num} infected areas, " + " and ".join(parts) + "."
        chars = list(text)
        for _ in range(int(rng.integers(0, 3))):
            i = int(rng.integers(0, len(chars)))
            op = rng.integers(0, 4)
            if op == 0:
                del chars[i]
            elif op == 1:
                chars.insert(i, str(rng.choice(list("aelrx ,.-é"))))
            elif op == 2 and i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                chars[i] = chars[i].upper()
        base.append("".join(chars))
    return base


def report_cases(rng: np.random.Generator) -> list[dict]:
    out = []
    for text in report_texts(rng, 400):
        p = parse_report(text)
        out.append({"text": text, "labels": list(p.labels), "readable": p.readable, "reason": p.reason,
                    "count": p.count, "laterality": p.laterality, "notes": list(p.notes)})
    return out


def write_vectors(path: Path) -> None:
    rng = np.random.default_rng(7)
    doc = {"resize": resize_cases(rng), "postprocess": postprocess_cases(rng),
           "points": points_cases(rng), "reports": report_cases(rng)}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(3)
    palette = [(int(a), int(b), int(c)) for a, b, c in rng.integers(0, 256, size=(16, 3))]
    cases = {
        "gray1.png": dict(depth=1, colour=0),
        "gray2.png": dict(depth=2, colour=0),
        "gray4.png": dict(depth=4, colour=0),
        "gray2-adam7.png": dict(depth=2, colour=0, interlace=True),  # decode.ts refuses these
        "gray8.png": dict(depth=8, colour=0),
        "gray16.png": dict(depth=16, colour=0),
        "gray16-12bit.png": dict(depth=16, colour=0, top=4095),
        "gray16-dark.png": dict(depth=16, colour=0, top=200),
        "gray8-adam7.png": dict(depth=8, colour=0, interlace=True),
        "gray16-adam7.png": dict(depth=16, colour=0, interlace=True),
        "gray-alpha8.png": dict(depth=8, colour=4),
        "gray-alpha16.png": dict(depth=16, colour=4),
        "rgb8.png": dict(depth=8, colour=2),
        "rgb16.png": dict(depth=16, colour=2),
        "rgb8-adam7.png": dict(depth=8, colour=2, interlace=True),
        "rgba8.png": dict(depth=8, colour=6),
        "rgba16.png": dict(depth=16, colour=6),
        "palette4.png": dict(depth=4, colour=3, palette=palette, trns=bytes(range(0, 160, 10))),
        "palette8.png": dict(depth=8, colour=3, palette=palette, top=15),
    }
    expected = {}
    for name, spec in cases.items():
        pal = spec.pop("palette", None)
        data = samples(spec["colour"], spec["depth"], rng, spec.pop("top", None))
        write_png(OUT / name, data, spec["depth"], spec["colour"], interlace=spec.get("interlace", False),
                  palette=pal, trns=spec.get("trns"))
    gray = (np.arange(H * W * 4).reshape(H * 2, W * 2) * 3 % 256).astype(np.uint8)
    Image.fromarray(gray).save(OUT / "gray.jpg", quality=90)
    rgb = np.stack([gray, gray[::-1], 255 - gray], axis=2)
    Image.fromarray(rgb).save(OUT / "rgb.jpg", quality=90)
    for path in sorted(OUT.iterdir()):
        if path.suffix not in (".png", ".jpg"):
            continue
        pixels = read_image(path)
        expected[path.name] = {"dtype": str(pixels.dtype), "shape": list(pixels.shape),
                               "gray": [round(float(v), 17) for v in to_gray(pixels).reshape(-1)]}
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    write_vectors(OUT.parent / "vectors.json")


if __name__ == "__main__":
    main()
