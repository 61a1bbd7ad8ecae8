"""ONNX export: graph wrappers, the bundle manifest and the verification fixtures."""
