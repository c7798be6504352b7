"""Shared helpers for the reader tests: the scorer from ../shared and the gold files."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from tests.conftest import require_shared

GOLD = Path(__file__).parent / "gold"
OWN_GOLD_NAMES = sorted(p.name[: -len(".txt")] for p in GOLD.glob("*.txt"))


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score",
                                                  require_shared() / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def own_gold(name: str) -> tuple[str, dict]:
    """The gold text as plain text (its light markup removed) and its annotation."""
    from samverkan.variants import parse, plain_text

    text = plain_text(parse((GOLD / f"{name}.txt").read_text(encoding="utf-8")))
    return text, json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


def seed_gold(name: str) -> dict:
    return json.loads((require_shared() / "seeds" / f"{name}.gold.json").read_text(encoding="utf-8"))
