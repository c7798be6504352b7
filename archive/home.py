"""Where everything lives under one home folder, and the limits intake applies.

The core is handed a `Home`; it never reads the environment or the shell's settings. The
edge (samverkan.config) builds one from `--home`, SAMVERKAN_HOME and the tuning variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MEBIBYTE = 1024 * 1024


def megabytes_sv(size: int) -> str:
    """A size as people read it, in Swedish: "100 MB", "1,5 MB", "98 kB" (MB = 2**20 byte)."""
    if size < MEBIBYTE // 10:
        return f"{-(-size // 1024)} kB"
    value = size / MEBIBYTE
    if value == int(value):
        return f"{value:.0f} MB"
    # One decimal whenever it is not whole, so a file just over a limit never reads as the
    # limit itself ("100,4 MB" or "100,0 MB" against "100 MB").
    return f"{value:.1f} MB".replace(".", ",") if value < 1000 else f"{value:.0f} MB"


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
    def max_file_sv(self) -> str:
        """The largest file any door takes, as people read it ("100 MB")."""
        return megabytes_sv(self.max_file_bytes)

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
