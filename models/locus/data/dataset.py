"""LViT-layout dataset reader: `images/`, `masks/` (same stem or `mask_` prefix), reports.

Reports come from `reports.csv` (columns Image, Description) or an LViT `.xlsx` with the same
columns; the Image key may name the image or its mask. Problems (a missing mask, an unreadable
file, a report with no image) are collected, never raised, so a reader can go on with the rest.
"""
from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
from PIL import Image

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
_XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@dataclass(frozen=True)
class Case:
    stem: str
    image: Path
    mask: Path | None
    report: str


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str


def read_image(path: Path) -> np.ndarray:
    """Decode to uint8/uint16 [H, W] (gray) or uint8 [H, W, 3|4]; raises ValueError with the path."""
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode in ("I;16", "I;16B", "I;16L"):
                return np.asarray(im, dtype=np.uint16)
            if im.mode == "I":
                arr = np.asarray(im)
                if arr.min() < 0 or arr.max() > 65535:
                    raise ValueError("32-bit values outside 0..65535")
                return arr.astype(np.uint16)
            if im.mode in ("L", "RGB", "RGBA"):
                return np.asarray(im, dtype=np.uint8)
            if im.mode == "LA":
                return np.asarray(im.getchannel(0), dtype=np.uint8)
            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except (OSError, SyntaxError, ValueError) as err:
        raise ValueError(f"{path}: cannot decode image ({err})") from err


def read_mask(path: Path) -> np.ndarray:
    """Mask file -> bool [H, W] (any nonzero gray value is lesion)."""
    pixels = read_image(path)
    if pixels.ndim == 3:
        pixels = pixels[..., :3].max(axis=2)
    return pixels > 0


def _xlsx_rows(path: Path) -> list[list[str]]:
    """First worksheet of an .xlsx as rows of strings (shared and inline strings, numbers)."""
    with zipfile.ZipFile(path) as zf:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            root = ElementTree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{_XLSX_NS['m']}}}t"))
                      for si in root.findall("m:si", _XLSX_NS)]
        sheet = sorted(n for n in zf.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))[0]
        root = ElementTree.fromstring(zf.read(sheet))
    rows = []
    for row in root.iter(f"{{{_XLSX_NS['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.findall("m:c", _XLSX_NS):
            col = _column_index(cell.get("r", "A1"))
            value = cell.find("m:v", _XLSX_NS)
            inline = cell.find("m:is", _XLSX_NS)
            if cell.get("t") == "s" and value is not None:
                cells[col] = shared[int(value.text)]
            elif inline is not None:
                cells[col] = "".join(t.text or "" for t in inline.iter(f"{{{_XLSX_NS['m']}}}t"))
            elif value is not None:
                cells[col] = value.text or ""
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


def _column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def read_reports(root: Path) -> dict[str, str]:
    """Image key -> report text, from reports.csv or the first .xlsx in the folder."""
    csv_path = root / "reports.csv"
    if csv_path.exists():
        with open(csv_path, newline="", encoding="utf-8-sig") as fh:
            rows = [[r.get("Image", ""), r.get("Description", "")] for r in csv.DictReader(fh)]
    else:
        books = sorted(root.glob("*.xlsx"))
        if not books:
            raise FileNotFoundError(f"{root}: no reports.csv or .xlsx report file")
        table = _xlsx_rows(books[0])
        header = [h.strip() for h in table[0]]
        image_col, text_col = header.index("Image"), header.index("Description")
        rows = [[r[image_col], r[text_col]] for r in table[1:] if len(r) > max(image_col, text_col)]
    return {key.strip(): text.strip() for key, text in rows if key.strip()}


def _stem_of(key: str) -> str:
    stem = Path(key).stem
    return stem[5:] if stem.startswith("mask_") else stem


def _find(folder: Path, stem: str) -> Path | None:
    for name in (stem, "mask_" + stem):
        for suffix in IMAGE_SUFFIXES:
            candidate = folder / (name + suffix)
            if candidate.exists():
                return candidate
    return None


def read_cases(root: Path | str, *, need_masks: bool = True) -> tuple[list[Case], list[Problem]]:
    """All cases of an LViT-layout folder with the problems found, in stem order."""
    root = Path(root)
    reports = {_stem_of(k): v for k, v in read_reports(root).items()}
    images_dir, masks_dir = root / "images", root / "masks"
    cases, problems = [], []
    for stem in sorted(reports, key=_natural_key):
        image = _find(images_dir, stem)
        mask = _find(masks_dir, stem) if masks_dir.exists() else None
        if image is None:
            problems.append(Problem(str(images_dir / stem), "report has no image"))
        elif need_masks and mask is None:
            problems.append(Problem(str(image), "no mask with the same stem in masks/"))
        elif not reports[stem]:
            problems.append(Problem(str(image), "empty report"))
        else:
            cases.append(Case(stem=stem, image=image, mask=mask, report=reports[stem]))
    return cases, problems


def _natural_key(stem: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", stem)]
