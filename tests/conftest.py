"""Fixtures every test area shares: seed texts, a fresh HOME, the municipality register."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _find_shared() -> Path:
    """`../shared` beside the checkout (CI and developers), or SAMVERKAN_SHARED."""
    candidates = [os.environ.get("SAMVERKAN_SHARED"), REPO.parent / "shared", REPO / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    raise RuntimeError("../shared/seeds not found; set SAMVERKAN_SHARED")


SHARED = _find_shared()
SEEDS = SHARED / "seeds"
SEED_NAMES = sorted(p.name[: -len(".txt")] for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {name: (SEEDS / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES}


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SAMVERKAN_HOME for one test."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("SAMVERKAN_HOME", str(folder))
    return folder
