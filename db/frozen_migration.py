"""A migration's module, loaded from its file, for a later migration that builds on what it
created (a stored function changed by a few checked edits) and restores it on downgrade.
Migration files are not importable by name: theirs start with digits."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def load(file_name: str) -> ModuleType:
    """The module of `db/migrations/versions/<file_name>`, as it is now (frozen once landed)."""
    spec = importlib.util.spec_from_file_location(f"_portail_{Path(file_name).stem}",
                                                  VERSIONS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
