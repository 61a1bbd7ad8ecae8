"""Ports the TFLite MobileNetV2 and DeepLabV3-MobileNetV2 weights into the torch modules of
`locus.model.mobilenet_v2`, dequantised to float32.

The graphs' convolutions appear in the same order as the modules' layers, so the port walks both
lists side by side and checks every kernel's shape, stride, dilation and activation before it
copies anything: a graph that differs from the module fails loudly instead of loading garbage.
Nothing here is committed with weights: training reads the .tflite files from ../shared.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..model.mobilenet_v2 import ConvAct, DeepLabV3, MobileNetV2, SameConv2d
from ..paths import MODELS_DIR
from .tflite import Operator, TFLiteModel

PRETRAINED_DIR = MODELS_DIR.parent.parent / "shared" / "pretrained" / "imagenet-mobilenet"
MOBILENET_FILE = "mobilenet_v2_1.0_224_quant.tflite"
DEEPLAB_FILE = "deeplabv3_mnv2_pascal_quant.tflite"


def pretrained_file(name: str) -> Path:
    path = PRETRAINED_DIR / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: pretrained weights not found (shared/pretrained is read in place, "
            "next to the project folder; see shared/pretrained/README.md)")
    return path


def _layers(module: torch.nn.Module) -> list[tuple[SameConv2d, str | None]]:
    """Every convolution of a module in definition order, with the activation after it."""
    wrapped = {id(m.conv) for m in module.modules() if isinstance(m, ConvAct)}
    out = []
    for sub in module.modules():
        if isinstance(sub, ConvAct):
            out.append((sub.conv, sub.act))
        elif isinstance(sub, SameConv2d) and id(sub) not in wrapped:
            out.append((sub, None))
    return out


def _kernel(model: TFLiteModel, op: Operator) -> np.ndarray:
    """The op's weights in torch layout [C_out, C_in / groups, kh, kw]."""
    w = model.weights(op.inputs[1])
    if op.op == "DEPTHWISE_CONV_2D":  # [1, kh, kw, C * multiplier]
        return w.transpose(3, 0, 1, 2)
    return w.transpose(0, 3, 1, 2)  # [C_out, kh, kw, C_in]


def _copy(model: TFLiteModel, ops: list[Operator], layers: list) -> None:
    if len(ops) != len(layers):
        raise ValueError(f"{model.path.name}: {len(ops)} convolutions in the graph, "
                         f"{len(layers)} in the module")
    for op, (conv, act) in zip(ops, layers):
        kernel = _kernel(model, op)
        opts = op.options
        checks = {"shape": (tuple(conv.weight.shape), tuple(kernel.shape)),
                  "stride": (tuple(conv.stride), tuple(opts["stride"])),
                  "dilation": (tuple(conv.dilation), tuple(opts["dilation"])),
                  "activation": (act, opts["activation"])}
        for what, (ours, theirs) in checks.items():
            if ours != theirs:
                raise ValueError(f"{model.path.name}: operator {op.index} ({op.op}) {what} "
                                 f"{theirs} does not match the module's {ours}")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel)))
            conv.bias.copy_(torch.from_numpy(model.weights(op.inputs[2])))


def _convolutions(model: TFLiteModel) -> list[Operator]:
    return [op for op in model.operators if op.op in ("CONV_2D", "DEPTHWISE_CONV_2D")]


def load_mobilenet_v2(path: str | Path | None = None, *, classifier: bool = False,
                      output_stride: int = 32) -> MobileNetV2:
    """ImageNet MobileNetV2 1.0 (features, plus the 1001-way classifier when asked)."""
    tfl = TFLiteModel(path or pretrained_file(MOBILENET_FILE))
    net = MobileNetV2(classifier=True, output_stride=output_stride)
    _copy(tfl, _convolutions(tfl), _layers(net))
    if not classifier:
        net.head, net.logits = None, None
    return net.eval()


def load_deeplab_v3(path: str | Path | None = None) -> DeepLabV3:
    """DeepLabV3-MobileNetV2 (PASCAL VOC, output stride 16)."""
    tfl = TFLiteModel(path or pretrained_file(DEEPLAB_FILE))
    net = DeepLabV3()
    convs = _convolutions(tfl)
    backbone = len(_layers(net.backbone))
    # graph order after the backbone: aspp0, image pooling, projection, logits
    head = [(net.aspp0.conv, "relu"), (net.image_pool.conv, "relu"), (net.project.conv, "relu"),
            (net.classify, None)]
    _copy(tfl, convs, _layers(net.backbone) + head)
    if len(convs) != backbone + len(head):
        raise ValueError(f"{tfl.path.name}: unexpected head")
    return net.eval()


def gray_state(net: MobileNetV2) -> dict[str, torch.Tensor]:
    """The feature weights of an RGB MobileNetV2 for one gray channel: the stem's kernels summed
    over R, G and B, which is what the RGB network computes on a gray image fed as three equal
    channels."""
    state = {k: v.clone() for k, v in net.state_dict().items()
             if not k.startswith(("head.", "logits."))}
    state["stem.conv.weight"] = state["stem.conv.weight"].sum(dim=1, keepdim=True)
    return state


def init_backbones(modules: list[MobileNetV2], path: str | Path | None = None) -> None:
    """Loads ImageNet MobileNetV2 (gray stem) into each of `modules`."""
    state = gray_state(load_mobilenet_v2(path))
    for module in modules:
        module.load_state_dict(state)
