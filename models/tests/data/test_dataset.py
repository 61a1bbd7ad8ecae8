"""Tests of locus.data.dataset: LViT folders, report files (.csv, .xlsx) and image decoding."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pytest
from PIL import Image

from locus.data.dataset import Problem, read_cases, read_image, read_mask, read_reports

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def save_png(path: Path, array: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path


def gray(value: int = 100, shape=(6, 5)) -> np.ndarray:
    return np.full(shape, value, dtype=np.uint8)


def lesion() -> np.ndarray:
    mask = np.zeros((6, 5), dtype=np.uint8)
    mask[1:3, 2:4] = 255
    return mask


def write_csv(root: Path, rows: list[tuple[str, str]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "reports.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Image", "Description"])
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str | int]]) -> None:
    """A minimal workbook: header and text cells as shared strings, numbers as <v>, and the
    second text column of the last row as an inline string."""
    shared: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif r == len(rows) and c == 1:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            else:
                shared.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{NS}"><sheets><sheet name="Sheet1" '
                                       'sheetId="1"/></sheets></workbook>')
        zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">{strings}</sst>')
        zf.writestr("xl/worksheets/sheet1.xml",
                    f'<worksheet xmlns="{NS}"><sheetData>{"".join(xml_rows)}</sheetData>'
                    '</worksheet>')


def test_lvit_layout_with_reports_csv(tmp_path):
    for stem in ("img2", "img10", "img1"):
        save_png(tmp_path / "images" / f"{stem}.png", gray())
        save_png(tmp_path / "masks" / f"{stem}.png", lesion())
    write_csv(tmp_path, [("img10.png", "ten"), ("img2.png", " two "), ("img1.png", "one")])
    cases, problems = read_cases(tmp_path)
    assert problems == []
    assert [c.stem for c in cases] == ["img1", "img2", "img10"]  # natural order
    assert cases[1].report == "two"
    assert cases[1].image == tmp_path / "images" / "img2.png"
    assert cases[1].mask == tmp_path / "masks" / "img2.png"


def test_masks_with_mask_prefix(tmp_path):
    save_png(tmp_path / "images" / "a.png", gray())
    save_png(tmp_path / "masks" / "mask_a.png", lesion())
    write_csv(tmp_path, [("a.png", "report a")])
    cases, problems = read_cases(tmp_path)
    assert problems == [] and cases[0].mask == tmp_path / "masks" / "mask_a.png"


def test_report_keyed_by_mask_name(tmp_path):
    # QaTa-COV19 style: the report's Image column names the mask file.
    save_png(tmp_path / "images" / "covid_1.png", gray())
    save_png(tmp_path / "masks" / "mask_covid_1.png", lesion())
    write_csv(tmp_path, [("mask_covid_1.png", "left lung")])
    cases, problems = read_cases(tmp_path)
    assert problems == []
    assert [(c.stem, c.report) for c in cases] == [("covid_1", "left lung")]


def test_xlsx_report_file(tmp_path):
    write_xlsx(tmp_path / "Train_text.xlsx", [
        ["Image", "Description"],
        ["x1.png", "Bilateral & both lungs"],
        [7, "numbered image"],
        ["mask_x2.png", "inline report"],
    ])
    assert read_reports(tmp_path) == {"x1.png": "Bilateral & both lungs", "7": "numbered image",
                                      "mask_x2.png": "inline report"}
    for stem in ("x1", "x2"):
        save_png(tmp_path / "images" / f"{stem}.png", gray())
        save_png(tmp_path / "masks" / f"{stem}.png", lesion())
    cases, problems = read_cases(tmp_path)
    assert [(c.stem, c.report) for c in cases] == [("x1", "Bilateral & both lungs"),
                                                   ("x2", "inline report")]
    assert problems == [Problem(str(tmp_path / "images" / "7"), "report has no image")]


def test_xlsx_columns_found_by_header(tmp_path):
    write_xlsx(tmp_path / "r.xlsx", [["Description", "Other", "Image"], ["text", "z", "a.png"]])
    assert read_reports(tmp_path) == {"a.png": "text"}


def test_no_report_file_is_an_error(tmp_path):
    (tmp_path / "images").mkdir()
    with pytest.raises(FileNotFoundError):
        read_cases(tmp_path)


def test_missing_mask_and_other_problems(tmp_path):
    save_png(tmp_path / "images" / "ok.png", gray())
    save_png(tmp_path / "masks" / "ok.png", lesion())
    save_png(tmp_path / "images" / "nomask.png", gray())
    save_png(tmp_path / "images" / "empty.png", gray())
    save_png(tmp_path / "masks" / "empty.png", lesion())
    write_csv(tmp_path, [("ok.png", "r"), ("nomask.png", "r"), ("ghost.png", "r"),
                         ("empty.png", "")])
    cases, problems = read_cases(tmp_path)
    assert [c.stem for c in cases] == ["ok"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert reasons == {"nomask.png": "no mask with the same stem in masks/",
                       "ghost": "report has no image", "empty.png": "empty report"}
    # Without masks required the mask-less case is kept.
    relaxed, _ = read_cases(tmp_path, need_masks=False)
    assert [c.stem for c in relaxed] == ["nomask", "ok"]
    assert relaxed[0].mask is None


def test_corrupt_image_raises_with_the_path(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    with pytest.raises(ValueError, match="broken.png"):
        read_image(path)
    with pytest.raises(ValueError, match="missing.png"):
        read_image(tmp_path / "missing.png")


def test_16_bit_png_is_read_as_uint16(tmp_path):
    array = np.array([[0, 300, 65535], [1, 40000, 256]], dtype=np.uint16)
    path = save_png(tmp_path / "deep.png", array)
    pixels = read_image(path)
    assert pixels.dtype == np.uint16
    np.testing.assert_array_equal(pixels, array)


def test_8_bit_gray_rgb_and_rgba(tmp_path):
    g = read_image(save_png(tmp_path / "g.png", gray(7)))
    assert g.dtype == np.uint8 and g.shape == (6, 5) and (g == 7).all()
    rgb = np.zeros((3, 4, 3), dtype=np.uint8)
    rgb[..., 1] = 200
    assert read_image(save_png(tmp_path / "rgb.png", rgb)).shape == (3, 4, 3)
    rgba = np.zeros((3, 4, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 3] = 50, 128
    pixels = read_image(save_png(tmp_path / "rgba.png", rgba))
    assert pixels.dtype == np.uint8 and pixels.shape == (3, 4, 4)
    np.testing.assert_array_equal(pixels, rgba)


def test_read_mask_any_nonzero_is_lesion(tmp_path):
    mask = np.zeros((4, 4), dtype=np.uint8)
    mask[0, 0], mask[1, 1] = 1, 255
    np.testing.assert_array_equal(read_mask(save_png(tmp_path / "m.png", mask)), mask > 0)
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[2, 3, 2] = 9
    read = read_mask(save_png(tmp_path / "c.png", rgb))
    assert read.dtype == bool and read.sum() == 1 and read[2, 3]
