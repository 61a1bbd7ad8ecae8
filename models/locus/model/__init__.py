"""Network modules, one paper concept per file; sizes and wiring live in `build.py`."""
