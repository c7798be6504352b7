"""Where everything lives under one home folder, and the limits intake applies.

The core is handed a `Home`; it never reads the environment or the shell's settings. The
edge (samverkan.config) builds one from `--home`, SAMVERKAN_HOME and the tuning variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class Home:
    """One HOME: its folders, and how patient and how generous intake is."""

    home: Path
    quiet_seconds: float = 2.0
    max_file_bytes: int = 100 * MEBIBYTE
    rescan_seconds: float = 60.0
    soffice: str = "soffice"
    polling: bool = False  # watch the inbox by reading it (network shares) instead of events
    intake_workers: int | None = None  # analysis processes (0, 1: none); None: min(2, cores)
    templates: Path | None = None  # a folder of own .docx templates; None: the shipped ones
    uno_python: str | None = None  # a Python with `uno` for the warm LibreOffice; None: look

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
