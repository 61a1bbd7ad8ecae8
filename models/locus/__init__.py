"""Locus: location-aware prompt generation for SAM-style segmentation (PyTorch side)."""
