"""Runtime settings: one home folder holds all data; environment variables tune the rest."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Where things live under HOME and the limits intake applies."""

    home: Path
    quiet_seconds: float = field(default_factory=lambda: _env_float("SAMVERKAN_QUIET_SECONDS", 2.0))
    max_file_bytes: int = field(
        default_factory=lambda: _env_int("SAMVERKAN_MAX_FILE_MB", 100) * 1024 * 1024)
    rescan_seconds: float = field(
        default_factory=lambda: _env_float("SAMVERKAN_RESCAN_SECONDS", 60.0))
    soffice: str = field(default_factory=lambda: os.environ.get("SAMVERKAN_SOFFICE", "soffice"))

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def index(self) -> Path:
        return self.home / "index"

    @property
    def drafts(self) -> Path:
        return self.home / "drafts"

    @property
    def drafted(self) -> Path:
        """The register of every version the project drafted (docgen.drafted)."""
        return self.home / "drafted"

    @property
    def runtime(self) -> Path:
        """Scratch space: LibreOffice profile, locks, temporary files."""
        return self.home / "run"


def settings_for(home: str | Path | None = None) -> Settings:
    chosen = home or os.environ.get("SAMVERKAN_HOME") or "var"
    return Settings(home=Path(chosen).expanduser().resolve())
