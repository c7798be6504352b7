"""Fixtures every test area shares: seed texts, a fresh HOME, the municipality register."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _find_shared() -> Path | None:
    """`../shared` beside the checkout (CI and developers), or SAMVERKAN_SHARED when set
    (set it to a missing folder to run the suite as a clone without ../shared would)."""
    override = os.environ.get("SAMVERKAN_SHARED")
    candidates = [override] if override else [REPO.parent / "shared", REPO / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return None


SHARED = _find_shared()
NO_SHARED_REASON = ("../shared (seed agreements and the scorer) is not beside this checkout; "
                    "tests that need it are skipped")
SEEDS = SHARED / "seeds" if SHARED else REPO / ".no-shared-seeds"
SEED_NAMES = sorted(p.name[: -len(".txt")] for p in SEEDS.glob("*.txt"))


def seed_params() -> list[object]:
    """SEED_NAMES for parametrize; without ../shared one parameter that skips with the reason
    (an empty list would skip with pytest's own "got empty parameter set")."""
    if SEED_NAMES:
        return list(SEED_NAMES)
    return [pytest.param("", marks=pytest.mark.skip(reason=NO_SHARED_REASON), id="no-shared")]


def require_shared() -> Path:
    """The shared folder, or skip the calling test with the reason."""
    if SHARED is None:
        pytest.skip(NO_SHARED_REASON)
    return SHARED


def seed_path(name: str) -> Path:
    """A file in ../shared/seeds, or skip the calling test when ../shared is absent."""
    return require_shared() / "seeds" / name


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared() / "seeds"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    require_shared()
    return {name: (SEEDS / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES}


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SAMVERKAN_HOME for one test."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("SAMVERKAN_HOME", str(folder))
    return folder
