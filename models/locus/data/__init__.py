"""Data: synthetic cases, datasets and loaders."""
