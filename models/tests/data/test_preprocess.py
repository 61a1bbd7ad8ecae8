"""Tests of locus.data.preprocess: gray conversion, linear resize, padding and the inverse map."""
from __future__ import annotations

import numpy as np
import pytest

from locus.data.preprocess import (
    PreprocessSpec, linear_weights, logits_to_original, mask_to_frame, preprocess,
    resize_linear, resized_shape, to_gray,
)


@pytest.mark.parametrize("size_in,size_out", [(1, 1), (2, 4), (4, 2), (5, 3), (3, 7), (128, 37),
                                              (7, 128), (1000, 128)])
def test_linear_weights_rows_sum_to_one(size_in, size_out):
    weights = linear_weights(size_in, size_out)
    assert weights.shape == (size_out, size_in)
    assert (weights >= 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_identity_size_is_identity():
    np.testing.assert_array_equal(linear_weights(6, 6), np.eye(6))


def test_resize_of_constant_stays_constant():
    image = np.full((13, 29), 0.37)
    for shape in [(5, 8), (40, 17), (13, 29), (1, 1)]:
        np.testing.assert_allclose(resize_linear(image, *shape), 0.37, rtol=0, atol=1e-12)


def test_upscale_is_half_pixel_bilinear_with_clamp():
    # 2 -> 4: output centres at input coordinates -0.25, 0.25, 0.75, 1.25; the ends clamp.
    a, b = 3.0, 7.0
    row = resize_linear(np.array([[a, b]]), 1, 4)[0]
    np.testing.assert_allclose(row, [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b], atol=1e-12)


def _bilinear_clamped(values: np.ndarray, size_out: int) -> np.ndarray:
    """Reference 1-D half-pixel bilinear interpolation with the coordinate clamped to the ends."""
    size_in = values.size
    out = np.empty(size_out)
    for o in range(size_out):
        c = min(max((o + 0.5) * size_in / size_out - 0.5, 0.0), size_in - 1.0)
        lo = int(np.floor(c))
        hi = min(lo + 1, size_in - 1)
        out[o] = values[lo] * (1.0 - (c - lo)) + values[hi] * (c - lo)
    return out


def test_upscale_matches_reference_bilinear_on_2d():
    rng = np.random.default_rng(0)
    image = rng.random((3, 5))
    expected = np.stack([_bilinear_clamped(col, 7) for col in image.T], axis=1)  # rows first
    expected = np.stack([_bilinear_clamped(row, 11) for row in expected])
    np.testing.assert_allclose(resize_linear(image, 7, 11), expected, atol=1e-12)


def test_downscale_by_two_uses_triangle_of_support_two():
    # 4 -> 2: centres at 0.5 and 2.5, support 2; weights max(0, 1 - |i - c| / 2):
    # c = 0.5 -> [0.75, 0.75, 0.25, 0] / 1.75;  c = 2.5 -> [0, 0.25, 0.75, 0.75] / 1.75.
    np.testing.assert_allclose(linear_weights(4, 2), np.array([[3, 3, 1, 0], [0, 1, 3, 3]]) / 7.0,
                               atol=1e-15)
    ramp = np.array([[0.0, 1.0, 2.0, 3.0]])
    np.testing.assert_allclose(resize_linear(ramp, 1, 2)[0], [5.0 / 7.0, 16.0 / 7.0], atol=1e-12)


def test_resize_is_separable_rows_then_columns():
    rng = np.random.default_rng(1)
    image = rng.random((9, 6))
    expected = linear_weights(9, 4) @ image @ linear_weights(6, 10).T
    np.testing.assert_allclose(resize_linear(image, 4, 10), expected, atol=1e-12)


@pytest.mark.parametrize("shape,side,expected", [
    ((300, 200), 128, (128, 85)),  # 200 * 128 / 300 = 85.33
    ((200, 300), 128, (85, 128)),
    ((3, 2), 128, (128, 85)),
    ((1, 1000), 128, (1, 128)),  # 0.128 rounds to 0 -> at least 1
    ((256, 129), 128, (128, 65)),  # 64.5 rounds half up
    ((64, 64), 64, (64, 64)),
])
def test_resized_shape_rounding(shape, side, expected):
    assert resized_shape(*shape, side) == expected


def test_to_gray_uint8_and_uint16():
    np.testing.assert_allclose(to_gray(np.array([[0, 51, 255]], dtype=np.uint8)), [[0.0, 0.2, 1.0]])
    gray16 = to_gray(np.array([[0, 32768, 65535]], dtype=np.uint16))
    np.testing.assert_allclose(gray16, [[0.0, 32768 / 65535, 1.0]], rtol=0, atol=1e-15)
    assert gray16.dtype == np.float64


def test_to_gray_rgb_and_rgba_use_bt601_luminance():
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]], dtype=np.uint8)
    expected = [[0.299, 0.587, 0.114, (0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255]]
    np.testing.assert_allclose(to_gray(rgb), expected, atol=1e-12)
    alpha = np.concatenate([rgb, np.array([[[0], [7], [128], [255]]], dtype=np.uint8)], axis=2)
    np.testing.assert_allclose(to_gray(alpha), expected, atol=1e-12)  # alpha ignored


def test_to_gray_rejects_other_inputs():
    with pytest.raises(ValueError):
        to_gray(np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError):
        to_gray(np.zeros((2, 2, 2), dtype=np.uint8))
    with pytest.raises(ValueError):
        to_gray(np.zeros((2,), dtype=np.uint8))


def test_preprocess_shape_dtype_padding_and_normalisation():
    pixels = np.full((40, 20), 153, dtype=np.uint8)  # 153 / 255 = 0.6
    spec = PreprocessSpec(input_size=64, mean=0.2, std=0.5, pad_value=-3.0)
    out = preprocess(pixels, spec)
    assert out.tensor.shape == (1, 1, 64, 64) and out.tensor.dtype == np.float32
    assert out.resized == (64, 32) and out.original == (40, 20)
    np.testing.assert_allclose(out.tensor[0, 0, :, :32], (0.6 - 0.2) / 0.5, atol=1e-6)
    assert (out.tensor[0, 0, :, 32:] == -3.0).all()


def test_preprocess_pads_bottom_for_wide_images():
    spec = PreprocessSpec(input_size=64)
    out = preprocess(np.zeros((10, 40), dtype=np.uint8), spec)
    assert out.resized == (16, 64)
    np.testing.assert_allclose(out.tensor[0, 0, :16], (0.0 - 0.5) / 0.25)
    assert (out.tensor[0, 0, 16:] == 0.0).all()


def test_preprocess_matches_float64_pipeline():
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 65536, size=(37, 50), dtype=np.uint16)
    spec = PreprocessSpec(input_size=64)
    expected = (resize_linear(pixels / 65535.0, 47, 64) - 0.5) / 0.25
    out = preprocess(pixels, spec)
    np.testing.assert_allclose(out.tensor[0, 0, :47], expected, rtol=0, atol=1e-5)


def test_preprocess_window():
    spec = PreprocessSpec(input_size=8, mean=0.0, std=1.0, window=(0.5, 0.5))
    pixels = np.array([[0, 153, 255]], dtype=np.uint8)  # 0, 0.6, 1
    out = preprocess(np.repeat(pixels, 3, axis=0), spec)  # 3 x 3 -> 8 x 8, no padding
    assert out.resized == (8, 8)
    # window [0.25, 0.75]: 0 -> 0, 0.6 -> 0.7, 1 -> 1 (clipped), then resized.
    expected = resize_linear(np.repeat([[0.0, 0.7, 1.0]], 3, axis=0), 8, 8)
    np.testing.assert_allclose(out.tensor[0, 0], expected, atol=1e-6)


def test_mask_to_frame_range_and_padding():
    rng = np.random.default_rng(3)
    mask = rng.random((40, 20)) > 0.5
    full = mask_to_frame(mask, (64, 32), 64, 64)
    assert full.shape == (64, 64) and full.dtype == np.float32
    assert full.min() >= 0.0 and full.max() <= 1.0
    assert (full[:, 32:] == 0.0).all()
    ones = mask_to_frame(np.ones((40, 20), dtype=bool), (64, 32), 64, 16)
    assert ones.shape == (16, 16)
    assert ones.min() >= 0.0 and ones.max() <= 1.0
    np.testing.assert_allclose(ones[:, :7], 1.0, atol=1e-6)  # fully inside the image
    # Output column 9 is centred at input 37.5 with support 4: it reaches no image column (< 32).
    assert (ones[:, 9:] == 0.0).all()


def test_mask_to_frame_of_empty_mask_is_zero():
    assert not mask_to_frame(np.zeros((5, 7), dtype=bool), (46, 64), 64, 32).any()


def test_logits_to_original_shape_and_constants():
    logits = np.full((32, 32), 2.5, dtype=np.float32)
    out = logits_to_original(logits, (64, 32), 64, (40, 20))
    assert out.shape == (40, 20)
    np.testing.assert_allclose(out, 2.5, atol=1e-9)


def test_logits_to_original_crops_the_padding():
    # Logits positive over the image part (left half of the frame), negative over the padding.
    logits = np.full((32, 32), -5.0, dtype=np.float32)
    logits[:, :16] = 5.0
    out = logits_to_original(logits, (64, 32), 64, (300, 150))
    assert out.shape == (300, 150)
    assert (out > 0).all()  # without the crop the right half would be negative


def test_to_gray_uint16_uses_significant_bits():
    # 12-bit data in a 16-bit PNG: divided by 4095, not 65535 (else nearly black)
    gray12 = to_gray(np.array([[0, 2048, 4095]], dtype=np.uint16))
    np.testing.assert_allclose(gray12, [[0.0, 2048 / 4095, 1.0]], rtol=0, atol=1e-15)
    # never below 8 bits: a dark 16-bit image is not stretched to white
    gray_dark = to_gray(np.array([[0, 100]], dtype=np.uint16))
    np.testing.assert_allclose(gray_dark, [[0.0, 100 / 255]], rtol=0, atol=1e-15)
