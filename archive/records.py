"""What the archive tells the rest of the project about one stored version.

The index, the web pages and next-period drafting read versions through this record only,
so they do not depend on how the store lays out its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # an annotation only: listings import this module without the model
    from samverkan.docgen.model import Agreement

LABELS = ("utkast", "undertecknad", "reviderad", "förlängning", "bilaga", "okänd")

# Every event the audit log holds, by the name people read (web pages, CLI): the archive's
# own events, plus those other parts record through Archive.log_event (the web's
# "confirmed", an export's "exported"). An unknown event is shown by its stored name.
EVENT_NAMES_SV = {
    "received": "Mottagen, väntar på textigenkänning",
    "filed": "Arkiverad",
    "duplicate": "Dubblett mottagen",
    "corrected": "Rättad",
    "quarantined": "Satt i karantän",
    "released": "Släppt ur karantän",
    "discarded": "Kasserad",
    "ocr_done": "Textigenkänning klar",
    "ocr_failed": "Textigenkänning misslyckades",
    "confirmed": "Tolkningen bekräftad",
    "exported": "Exporterad",
    "login_locked": "Inloggning spärrad efter för många fel",
    "login_throttled": "Inloggningsförsök stoppat (spärrad)",
    "sessions_ended": "Sessioner avslutade",
}


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
    # Added by the archive (all optional): size in bytes, how the text was read ("pdf-text",
    # "docx", "text", "ocr"), digital signatures found (archive.signatures), how the version
    # was grouped ("qr", "footer", "parties-period", "similar-text", "new-recognised", "new",
    # "moved"; the filing event says why in Swedish) and
    # the checksum of the OCR'd copy of a scan.
    size: int = 0
    method: str | None = None
    signatures: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    matched_by: str | None = None
    ocr_sha256: str | None = None
    # The agreement is the model the project drafted this document from (docgen.drafted),
    # found by its printed reference, rather than what a reader recovered from the text.
    drafted: bool = False
    # Active content the original holds (archive.active_content kinds: "javascript",
    # "open_action", "launch", "embedded_file", "additional_actions"): kept byte for byte,
    # but pages warn and show a rendition without it where there is one.
    active_content: tuple[str, ...] = field(default_factory=tuple)
