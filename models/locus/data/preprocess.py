"""Image preprocessing, defined exactly so that `src/pipeline/preprocess.ts` matches it to 1e-5.

Spec (manifest `preprocess`):
1. Channel rule `luminance-bt601`: gray = 0.299 R + 0.587 G + 0.114 B for colour input (alpha is
   ignored); gray input is taken as is.
2. Bit-depth rule `significant-bits`: 8-bit codes / 255; 16-bit codes / (2^b - 1) where b is the
   bit length of the image's largest code, at least 8 (12-bit data stored in 16-bit PNGs is
   common and would otherwise be nearly black) -> [0, 1].
3. Optional window (CT): clip((v - (center - width / 2)) / width, 0, 1) on the [0, 1] values.
4. Resize `linear-antialias` so that the longest side becomes S; the other side is
   floor(side * S / max(h, w) + 0.5) (at least 1). See `resize_linear`.
5. Normalise (v - mean) / std, then pad bottom and right with `pad.value` (normalised units) to S x S.
All arithmetic in float64; the tensor is cast to float32 once at the end.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LUMA_BT601 = (0.299, 0.587, 0.114)


@dataclass(frozen=True)
class PreprocessSpec:
    """The manifest's `preprocess` block."""

    input_size: int
    mean: float = 0.5
    std: float = 0.25
    pad_value: float = 0.0
    window: tuple[float, float] | None = None  # (center, width) on [0, 1] values

    def to_manifest(self) -> dict:
        return {
            "input_size": self.input_size,
            "channels": 1,
            "channel_rule": "luminance-bt601",
            "bit_depth_rule": "significant-bits",
            "resize": {"method": "linear-antialias", "longest_side": self.input_size,
                       "rounding": "floor-half-up"},
            "pad": {"where": "bottom-right", "value": self.pad_value},
            "mean": [self.mean],
            "std": [self.std],
            "window": None if self.window is None
            else {"center": self.window[0], "width": self.window[1]},
        }


@dataclass(frozen=True)
class Preprocessed:
    """A model-input tensor and the geometry needed to map results back.

    tensor: float32 [1, 1, S, S]; resized: (h', w') of the image inside the padded frame;
    original: (h, w) of the source image.
    """

    tensor: np.ndarray
    resized: tuple[int, int]
    original: tuple[int, int]


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Decoded pixels (H x W, H x W x 3 or H x W x 4; uint8 or uint16) -> float64 gray in [0, 1]."""
    if pixels.dtype == np.uint8:
        max_code = 255.0
    elif pixels.dtype == np.uint16:
        max_code = float(2 ** max(8, int(pixels.max()).bit_length()) - 1)
    else:
        raise ValueError(f"unsupported pixel dtype {pixels.dtype}; expected uint8 or uint16")
    values = pixels.astype(np.float64)
    if values.ndim == 3:
        if values.shape[2] not in (3, 4):
            raise ValueError(f"unsupported channel count {values.shape[2]}")
        r, g, b = values[..., 0], values[..., 1], values[..., 2]
        values = LUMA_BT601[0] * r + LUMA_BT601[1] * g + LUMA_BT601[2] * b
    elif values.ndim != 2:
        raise ValueError(f"expected a 2-D or 3-D pixel array, got shape {pixels.shape}")
    return values / max_code


def resized_shape(height: int, width: int, longest_side: int) -> tuple[int, int]:
    """(h', w') after scaling the longest side to `longest_side` (floor-half-up rounding)."""
    scale = longest_side / max(height, width)
    return (max(1, math.floor(height * scale + 0.5)), max(1, math.floor(width * scale + 0.5)))


def linear_weights(size_in: int, size_out: int) -> np.ndarray:
    """[size_out, size_in] row-normalised triangle-filter weights.

    Output sample o sits at input coordinate c = (o + 0.5) * size_in / size_out - 0.5 (pixel centres
    at integers). Support r = max(size_in / size_out, 1) (antialiasing when shrinking). Input pixel i
    gets weight max(0, 1 - |i - c| / r); each row is divided by its sum. For enlarging this is
    bilinear interpolation with edge clamping.
    """
    ratio = size_in / size_out
    support = max(ratio, 1.0)
    centres = (np.arange(size_out, dtype=np.float64) + 0.5) * ratio - 0.5
    inputs = np.arange(size_in, dtype=np.float64)
    weights = np.maximum(0.0, 1.0 - np.abs(inputs[None, :] - centres[:, None]) / support)
    return weights / weights.sum(axis=1, keepdims=True)


def resize_linear(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a 2-D float array [H, W] -> [height, width]: rows first, then columns (float64)."""
    rows = linear_weights(image.shape[0], height)  # [height, H]
    cols = linear_weights(image.shape[1], width)  # [width, W]
    return (rows @ image.astype(np.float64)) @ cols.T


def apply_window(gray: np.ndarray, window: tuple[float, float] | None) -> np.ndarray:
    if window is None:
        return gray
    center, width = window
    return np.clip((gray - (center - width / 2.0)) / width, 0.0, 1.0)


def preprocess(pixels: np.ndarray, spec: PreprocessSpec) -> Preprocessed:
    """Decoded pixels -> padded, normalised model input [1, 1, S, S]."""
    gray = apply_window(to_gray(pixels), spec.window)
    height, width = gray.shape
    new_h, new_w = resized_shape(height, width, spec.input_size)
    resized = (resize_linear(gray, new_h, new_w) - spec.mean) / spec.std
    frame = np.full((spec.input_size, spec.input_size), spec.pad_value, dtype=np.float64)
    frame[:new_h, :new_w] = resized
    return Preprocessed(tensor=frame.astype(np.float32)[None, None], resized=(new_h, new_w),
                        original=(height, width))


def mask_to_frame(mask: np.ndarray, resized: tuple[int, int], input_size: int,
                  out_size: int) -> np.ndarray:
    """Ground-truth mask (H x W, nonzero = lesion) -> soft target [out_size, out_size] in [0, 1].

    The mask is placed exactly as the image (resize, pad with 0) and then reduced to the decoder's
    mask-logit grid with the same linear filter.
    """
    binary = (mask > 0).astype(np.float64)
    frame = np.zeros((input_size, input_size), dtype=np.float64)
    frame[:resized[0], :resized[1]] = resize_linear(binary, *resized)
    if out_size != input_size:
        frame = resize_linear(frame, out_size, out_size)
    return np.clip(frame, 0.0, 1.0).astype(np.float32)


def logits_to_original(logits: np.ndarray, resized: tuple[int, int], input_size: int,
                       original: tuple[int, int]) -> np.ndarray:
    """Decoder mask logits [h, w] over the padded frame -> logits at the original image size.

    Upsample to the S x S frame, crop the padding (the top-left h' x w'), resize to (H, W); all
    with `resize_linear`. Threshold the result at the manifest's `mask_threshold` (0 = p 0.5).
    """
    frame = resize_linear(logits.astype(np.float64), input_size, input_size)
    crop = frame[:resized[0], :resized[1]]
    return resize_linear(crop, *original)
