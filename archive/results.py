"""What filing one file gave: the answer `samverkan file`, the watcher and the web show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["new", "duplicate", "quarantined", "pending"]


@dataclass(frozen=True)
class FilingResult:
    """status: "new" (a new version), "duplicate" (byte-identical to a stored version),
    "quarantined" (refused; `reason` says why in Swedish) or "pending" (stored, waiting for
    OCR before it is grouped; only with wait=False)."""

    path: Path
    status: Status
    agreement_id: str | None = None
    version: int | None = None
    sha256: str | None = None
    reason: str | None = None
    quarantine_name: str | None = None
    label: str | None = None
    matched_by: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "status": self.status, "agreement_id": self.agreement_id,
            "version": self.version, "sha256": self.sha256, "reason": self.reason,
            "quarantine_name": self.quarantine_name, "label": self.label,
            "matched_by": self.matched_by, "notes": list(self.notes),
        }

    def summary_sv(self) -> str:
        """One line in Swedish for the terminal."""
        from samverkan.archive.fsutil import display_name

        name = display_name(self.path.name)
        where = f"{self.agreement_id} version {self.version}" if self.agreement_id else ""
        if self.status == "new":
            text = f"{name}: arkiverad som {where} ({self.label}, ny version)"
        elif self.status == "duplicate":
            text = f"{name}: dubblett – identisk med {where}, ingen ny version"
        elif self.status == "pending":
            text = (f"{name}: sparad, väntar på textigenkänning (OCR) innan den "
                    "grupperas")
        else:
            text = (f"{name}: satt i karantän ({self.quarantine_name}) – "
                    f"{self.reason}")
        return text + "".join(f"\n  obs: {note}" for note in self.notes)
