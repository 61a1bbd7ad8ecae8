"""Synthetic chest X-rays (LViT layout) to train and test on: anatomy, lesions, cases, samples."""
