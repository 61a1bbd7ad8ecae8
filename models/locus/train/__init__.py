"""Training: the three phases (CLIP, SAM, Locus), losses, data tensors and the loop."""
