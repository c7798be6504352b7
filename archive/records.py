"""What the archive tells the rest of the project about one stored version.

The index, the web pages and next-period drafting read versions through this record only,
so they do not depend on how the store lays out its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.model import Agreement

LABELS = ("utkast", "undertecknad", "reviderad", "förlängning", "bilaga", "okänd")


@dataclass(frozen=True)
class VersionRecord:
    agreement_id: str
    version: int
    sha256: str
    label: str
    filename: str
    media_type: str
    filed_at: str
    filed_by: str
    dnr: str | None = None
    is_latest: bool = True
    agreement: Agreement | None = None
    pages: tuple[str, ...] = field(default_factory=tuple)
    dates: dict[str, str | None] = field(default_factory=dict)
