"""Tests of locus.pretrained: the TFLite reader and the MobileNetV2 / DeepLabV3 ports.

The check results are the ones shared/pretrained/README.md gives for a correct float port (three
ImageNet images, one PASCAL segmentation); they need ../shared and skip, saying so, without it.
The TF "SAME" padding rule is tested on its own, with no weights.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from locus.model.mobilenet_v2 import MobileNetV2, SameConv2d, _same_pads, block_specs
from locus.pretrained.port import (DEEPLAB_FILE, MOBILENET_FILE, PRETRAINED_DIR, gray_state,
                                   load_deeplab_v3, load_mobilenet_v2)
from locus.pretrained.tflite import TFLiteModel

needs_shared = pytest.mark.skipif(
    not (PRETRAINED_DIR / MOBILENET_FILE).exists(),
    reason=f"pretrained weights not found at {PRETRAINED_DIR} (../shared absent)")


def test_same_padding_is_tf_asymmetric():
    # stride-2 3x3 on an even input: 0 before, 1 after; on an odd input: 1 and 1
    assert _same_pads(224, 3, 2, 1) == (0, 1)
    assert _same_pads(513, 3, 2, 1) == (1, 1)
    assert _same_pads(33, 3, 1, 2) == (2, 2)  # dilated: effective kernel 5
    conv = SameConv2d(1, 1, 3, stride=2)
    with torch.no_grad():
        conv.weight.zero_()
        conv.weight[0, 0, 0, 0] = 1.0  # picks the top-left tap of each window
        conv.bias.zero_()
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    # no padding before: the first window starts at pixel (0, 0)
    assert conv(x)[0, 0].tolist() == [[0.0, 2.0], [8.0, 10.0]]


def test_block_specs_output_stride():
    assert [b.stride for b in block_specs(32)].count(2) == 4
    atrous = block_specs(16)
    assert [b.stride for b in atrous].count(2) == 3
    assert [b.dilation for b in atrous][-3:] == [2, 2, 2]


def test_features_shapes():
    net = MobileNetV2(in_channels=1)
    feats = net.pyramid(torch.zeros(1, 1, 64, 64))
    assert [tuple(f.shape[1:]) for f in feats] == [(16, 32, 32), (24, 16, 16), (32, 8, 8),
                                                   (96, 4, 4), (320, 2, 2)]


def _rgb(path, size) -> torch.Tensor:
    image = Image.open(path).convert("RGB").resize((size, size), Image.BILINEAR)
    array = np.array(image, dtype=np.float32)
    return ((torch.from_numpy(array) - 128.0) / 128.0).permute(2, 0, 1)[None]


@needs_shared
def test_reader_reads_the_graph():
    model = TFLiteModel(PRETRAINED_DIR / MOBILENET_FILE)
    ops = [op.op for op in model.operators]
    assert ops.count("CONV_2D") == 36 and ops.count("DEPTHWISE_CONV_2D") == 17
    first = model.tensors[model.inputs[0]]
    assert first.shape == (1, 224, 224, 3) and first.quantization.zero_point[0] == 128
    stem = model.operators[0]
    assert stem.options["stride"] == (2, 2) and stem.options["activation"] == "relu6"
    assert model.weights(stem.inputs[1]).dtype == np.float32


@needs_shared
@pytest.mark.parametrize("name,label,low", [("cat.bmp", "Egyptian cat", 0.6),
                                            ("grace_hopper.bmp", "military uniform", 0.8),
                                            ("parrot.jpg", "macaw", 0.95)])
def test_mobilenet_v2_classifies_the_check_images(name, label, low):
    net = load_mobilenet_v2(classifier=True)
    labels = (PRETRAINED_DIR / "imagenet_labels.txt").read_text().splitlines()
    with torch.no_grad():
        probs = torch.softmax(net(_rgb(PRETRAINED_DIR / name, 224)), dim=1)[0]
    assert labels[int(probs.argmax())] == label
    assert float(probs.max()) >= low


@needs_shared
def test_gray_stem_equals_rgb_on_gray_input():
    rgb = load_mobilenet_v2()
    gray = MobileNetV2(in_channels=1)
    gray.load_state_dict(gray_state(rgb))
    x = torch.rand(1, 1, 64, 64) * 2 - 1
    with torch.no_grad():
        a = rgb.features(x.expand(-1, 3, -1, -1))[-1]
        b = gray.features(x)[-1]
    assert torch.allclose(a, b, atol=1e-4)


@needs_shared
def test_deeplab_v3_segments_the_bird():
    net = load_deeplab_v3()
    classes = (PRETRAINED_DIR / "pascal_labels.txt").read_text().split()
    truth = np.array(Image.open(PRETRAINED_DIR / "bird_segmentation_mask.bmp")) > 0
    with torch.no_grad():
        logits = net(_rgb(PRETRAINED_DIR / "bird_segmentation.bmp", 513))
        up = torch.nn.functional.interpolate(logits, size=(513, 513), mode="bilinear",
                                             align_corners=True)
    labels = up.argmax(dim=1)[0].numpy()
    assert classes[int(np.bincount(labels[labels > 0]).argmax())] == "bird"
    pred = labels > 0
    iou = (pred & truth).sum() / (pred | truth).sum()
    assert iou >= 0.85, iou


@needs_shared
def test_port_refuses_a_graph_that_does_not_match(tmp_path):
    with pytest.raises(ValueError, match="convolutions in the graph"):
        load_mobilenet_v2(PRETRAINED_DIR / DEEPLAB_FILE)
