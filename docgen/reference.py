"""The agreement reference printed on every generated page and in its QR code.

A signed copy that comes back (even a scan) is matched to its draft by this reference, so
the footer text and the QR payload are defined here once and parsed with the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID_CHARS = "0-9A-HJKMNP-TV-Z"
_ID = rf"SV-[{ID_CHARS}]{{4}}-[{ID_CHARS}]{{4}}"
# OCR may read the separators oddly ("SV–7F3K–9Q2M", "SV 7F3K 9Q2M") and put O for 0 etc.
_FOOTER = re.compile(
    rf"(?P<id>SV\s?[-–—]?\s?[{ID_CHARS}O]{{4}}\s?[-–—]?\s?[{ID_CHARS}O]{{4}})"
    r"\W{0,6}(?:version|v\.?)\s*(?P<version>\d{1,3})",
    re.IGNORECASE,
)
_QR = re.compile(rf"^samverkan:(?P<id>{_ID}):v(?P<version>\d+)$")


@dataclass(frozen=True)
class Reference:
    agreement_id: str
    version: int

    @property
    def footer(self) -> str:
        """Footer wording; "Sida X av Y" is appended by the template's page fields."""
        return f"Överenskommelse {self.agreement_id} · version {self.version}"

    @property
    def qr_payload(self) -> str:
        return f"samverkan:{self.agreement_id}:v{self.version}"


def _clean_id(raw: str) -> str:
    chars = re.sub(r"[^0-9A-Za-z]", "", raw).upper()[2:]
    chars = chars.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"SV-{chars[:4]}-{chars[4:8]}"


def parse_qr(payload: str) -> Reference | None:
    found = _QR.match(payload.strip())
    return Reference(found["id"], int(found["version"])) if found else None


def find_in_text(text: str) -> Reference | None:
    """The first footer reference in extracted (or OCR'd) text, tolerant of OCR noise."""
    for found in _FOOTER.finditer(text):
        candidate = _clean_id(found["id"])
        if re.fullmatch(_ID, candidate):
            return Reference(candidate, int(found["version"]))
    return None
