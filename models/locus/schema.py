"""`manifest.schema.json` as a Python validator (Debian's python3-jsonschema).

The schema is the one description of a bundle manifest: the exporter and the migration check the
manifest they write against it, `locus.evaluate` and `locus.cv_summary` check their metrics record
against its `$defs/metrics`, and the TypeScript runtime validates the same file
(`src/runtime/manifest.ts`). Errors name the field, as JSON pointers like the runtime's.
"""
from __future__ import annotations

import json
from functools import lru_cache

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .paths import MODELS_DIR

SCHEMA_PATH = MODELS_DIR / "manifest.schema.json"


@lru_cache(maxsize=None)
def _validator(definition: str | None) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"],
                  "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


def _describe(error: ValidationError) -> str:
    # A oneOf (metrics: null or a record) is reported by the branch that came closest, not by
    # "is not of type 'null'".
    if error.context:
        error = best_match([c for c in error.context if c.validator != "type"] or error.context)
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"/{'/'.join(map(str, error.absolute_path))}: {message}"


def _errors(doc: object, definition: str | None) -> list[str]:
    found = sorted(_validator(definition).iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [_describe(e) for e in found]


def manifest_errors(doc: object) -> list[str]:
    """Every way `doc` (a parsed manifest.json) breaks the schema; empty when it is valid."""
    return _errors(doc, None)


def metrics_errors(record: object) -> list[str]:
    """Every way `record` breaks the schema's metrics record; empty when it is valid."""
    return _errors(record, "metrics")


def check_manifest(doc: object, where: str = "manifest.json") -> None:
    errors = manifest_errors(doc)
    if errors:
        raise ValueError(f"{where}: not a valid bundle manifest: " + "; ".join(errors))


def check_metrics(record: object, where: str = "metrics") -> None:
    errors = metrics_errors(record)
    if errors:
        raise ValueError(f"{where}: not a valid metrics record: " + "; ".join(errors))
