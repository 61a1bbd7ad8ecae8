"""A reader of TensorFlow Lite flatbuffers: tensors, operators and dequantised weights.

Written from the public TFLite schema (tensorflow/lite/schema/schema.fbs) on top of the
`flatbuffers` runtime's generic `Table` accessor, so no generated code is needed. Only what the
MobileNetV2 ports use is read: the first subgraph's tensors (shape, type, buffer, quantisation)
and operators (builtin code, inputs, outputs, the options of convolutions, pooling, addition,
concatenation and bilinear resizing).

Field numbers below are the schema's; a table field's vtable slot is 4 + 2 * number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import flatbuffers
import numpy as np
from flatbuffers import number_types as nt
from flatbuffers.table import Table

#: BuiltinOperator codes used by the MobileNetV2 and DeepLabV3 graphs.
OPS = {0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
       6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 18: "MUL", 19: "RELU", 21: "RELU6",
       22: "RESHAPE", 23: "RESIZE_BILINEAR", 25: "SOFTMAX", 34: "PAD", 40: "MEAN", 43: "SQUEEZE",
       56: "ARG_MAX", 114: "QUANTIZE"}
#: TensorType -> numpy dtype.
DTYPES = {0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 6: np.bool_,
          7: np.int16, 9: np.int8}
ACTIVATIONS = {0: None, 1: "relu", 3: "relu6"}
PADDINGS = {0: "same", 1: "valid"}


class _Reader:
    """Field access on one flatbuffer table."""

    def __init__(self, buf: bytearray, pos: int) -> None:
        self.tab = Table(buf, pos)

    def _offset(self, index: int) -> int:
        return self.tab.Offset(4 + 2 * index)

    def scalar(self, index: int, kind, default=0):
        off = self._offset(index)
        return self.tab.Get(kind, off + self.tab.Pos) if off else default

    def string(self, index: int) -> str:
        off = self._offset(index)
        return self.tab.String(off + self.tab.Pos).decode("utf-8") if off else ""

    def table(self, index: int) -> "_Reader | None":
        off = self._offset(index)
        return _Reader(self.tab.Bytes, self.tab.Indirect(off + self.tab.Pos)) if off else None

    def tables(self, index: int) -> list["_Reader"]:
        off = self._offset(index)
        if not off:
            return []
        start = self.tab.Vector(off)
        return [_Reader(self.tab.Bytes, self.tab.Indirect(start + 4 * i))
                for i in range(self.tab.VectorLen(off))]

    def numbers(self, index: int, kind) -> np.ndarray:
        off = self._offset(index)
        if not off:
            return np.zeros((0,), dtype=kind.name if hasattr(kind, "name") else None)
        return self.tab.GetVectorAsNumpy(kind, off)


@dataclass(frozen=True)
class Quantization:
    """Per-tensor or per-channel affine quantisation: real = (q - zero_point) * scale."""

    scale: np.ndarray
    zero_point: np.ndarray
    axis: int


@dataclass(frozen=True)
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: type
    buffer: int
    quantization: Quantization | None


@dataclass(frozen=True)
class Operator:
    index: int
    op: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: dict = field(default_factory=dict)


def _conv_options(r: _Reader) -> dict:
    return {"padding": PADDINGS[r.scalar(0, nt.Int8Flags)], "stride": (r.scalar(2, nt.Int32Flags),
            r.scalar(1, nt.Int32Flags)), "activation": ACTIVATIONS[r.scalar(3, nt.Int8Flags)],
            "dilation": (r.scalar(5, nt.Int32Flags, 1), r.scalar(4, nt.Int32Flags, 1))}


def _depthwise_options(r: _Reader) -> dict:
    return {"padding": PADDINGS[r.scalar(0, nt.Int8Flags)], "stride": (r.scalar(2, nt.Int32Flags),
            r.scalar(1, nt.Int32Flags)), "multiplier": r.scalar(3, nt.Int32Flags),
            "activation": ACTIVATIONS[r.scalar(4, nt.Int8Flags)],
            "dilation": (r.scalar(6, nt.Int32Flags, 1), r.scalar(5, nt.Int32Flags, 1))}


def _pool_options(r: _Reader) -> dict:
    return {"padding": PADDINGS[r.scalar(0, nt.Int8Flags)], "stride": (r.scalar(2, nt.Int32Flags),
            r.scalar(1, nt.Int32Flags)), "kernel": (r.scalar(4, nt.Int32Flags),
            r.scalar(3, nt.Int32Flags)), "activation": ACTIVATIONS[r.scalar(5, nt.Int8Flags)]}


_OPTIONS = {
    "CONV_2D": _conv_options,
    "DEPTHWISE_CONV_2D": _depthwise_options,
    "AVERAGE_POOL_2D": _pool_options,
    "ADD": lambda r: {"activation": ACTIVATIONS[r.scalar(0, nt.Int8Flags)]},
    "CONCATENATION": lambda r: {"axis": r.scalar(0, nt.Int32Flags),
                                "activation": ACTIVATIONS[r.scalar(1, nt.Int8Flags)]},
    "RESIZE_BILINEAR": lambda r: {"align_corners": bool(r.scalar(2, nt.BoolFlags)),
                                  "half_pixel_centers": bool(r.scalar(3, nt.BoolFlags))},
}


class TFLiteModel:
    """The first subgraph of a .tflite file: tensors, operators and their constant data."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        buf = bytearray(self.path.read_bytes())
        if buf[4:8] != b"TFL3":
            raise ValueError(f"{self.path}: not a TFLite flatbuffer (identifier {bytes(buf[4:8])!r})")
        model = _Reader(buf, flatbuffers.encode.Get(flatbuffers.packer.uoffset, buf, 0))
        codes = [max(c.scalar(0, nt.Int8Flags), c.scalar(3, nt.Int32Flags))
                 for c in model.tables(1)]
        self._buffers = [b.numbers(0, nt.Uint8Flags) for b in model.tables(4)]
        graph = model.tables(2)[0]
        self.tensors = [self._tensor(i, t) for i, t in enumerate(graph.tables(0))]
        self.inputs = tuple(int(i) for i in graph.numbers(1, nt.Int32Flags))
        self.outputs = tuple(int(i) for i in graph.numbers(2, nt.Int32Flags))
        self.operators = [self._operator(i, o, codes) for i, o in enumerate(graph.tables(3))]

    @staticmethod
    def _tensor(index: int, r: _Reader) -> Tensor:
        q = r.table(4)
        quant = None
        if q is not None and len(q.numbers(2, nt.Float32Flags)):
            quant = Quantization(scale=q.numbers(2, nt.Float32Flags).astype(np.float64),
                                 zero_point=q.numbers(3, nt.Int64Flags).astype(np.float64),
                                 axis=q.scalar(6, nt.Int32Flags))
        return Tensor(index=index, name=r.string(3),
                      shape=tuple(int(s) for s in r.numbers(0, nt.Int32Flags)),
                      dtype=DTYPES[r.scalar(1, nt.Int8Flags)], buffer=r.scalar(2, nt.Uint32Flags),
                      quantization=quant)

    @staticmethod
    def _operator(index: int, r: _Reader, codes: list[int]) -> Operator:
        code = codes[r.scalar(0, nt.Uint32Flags)]
        op = OPS.get(code, f"BUILTIN_{code}")
        opts = r.table(4)
        options = _OPTIONS[op](opts) if op in _OPTIONS and opts is not None else {}
        return Operator(index=index, op=op,
                        inputs=tuple(int(i) for i in r.numbers(1, nt.Int32Flags)),
                        outputs=tuple(int(i) for i in r.numbers(2, nt.Int32Flags)),
                        options=options)

    def raw(self, tensor: int) -> np.ndarray:
        """The constant data of a tensor in its stored dtype and shape."""
        t = self.tensors[tensor]
        data = self._buffers[t.buffer] if t.buffer < len(self._buffers) else None
        if data is None or not len(data):
            raise ValueError(f"{self.path}: tensor {t.name!r} has no constant data")
        return np.frombuffer(data.tobytes(), dtype=t.dtype).reshape(t.shape)

    def weights(self, tensor: int) -> np.ndarray:
        """Constant data dequantised to float32: (q - zero_point) * scale, per channel on the
        quantised dimension when the scale is a vector."""
        t = self.tensors[tensor]
        values = self.raw(tensor).astype(np.float64)
        q = t.quantization
        if q is None or t.dtype in (np.float32, np.float16):
            return values.astype(np.float32)
        shape = [1] * values.ndim
        if q.scale.size > 1:
            shape[q.axis] = q.scale.size
        zero = q.zero_point if q.zero_point.size else np.zeros_like(q.scale)
        return ((values - zero.reshape(shape)) * q.scale.reshape(shape)).astype(np.float32)
