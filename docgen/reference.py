"""The agreement reference printed on every generated page and in its QR code.

A signed copy that comes back (even a scan) is matched to its draft by this reference, so
the footer text and the QR payload are defined here once and parsed with the same rules.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# The agreement id: "SV-" and eight Crockford base32 characters (no I, L, O, U), written
# SV-XXXX-XXXX. Minting, checking and parsing it happen here and nowhere else.
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # survives OCR and the phone
ID_CHARS = "0-9A-HJKMNP-TV-Z"
ID_FORM = "SV-XXXX-XXXX"
_ID = rf"SV-[{ID_CHARS}]{{4}}-[{ID_CHARS}]{{4}}"
_ID_ONLY = re.compile(rf"^{_ID}$")
# What a user types to name a version: "SV-7F3K-9Q2M@2", "SV-7F3K-9Q2M@v2" or just the id.
_VERSION_SPEC = re.compile(rf"^(?P<id>{_ID})(?:@v?(?P<version>\d+))?$")
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


def id_from_number(number: int) -> str:
    """The id spelled by the low 40 bits of `number` (derived and random ids alike)."""
    chars = "".join(ID_ALPHABET[(number >> (5 * i)) & 31] for i in range(8))
    return f"SV-{chars[:4]}-{chars[4:]}"


def random_id() -> str:
    """A fresh id, for an agreement the archive met without one."""
    return id_from_number(secrets.randbits(40))


def agreement_id(value: str | None) -> str | None:
    """The id a user typed, tidied ("sv-7f3k-9q2m " -> "SV-7F3K-9Q2M"), or None if it is none."""
    cleaned = (value or "").strip().upper()
    return cleaned if _ID_ONLY.match(cleaned) else None


def version_spec(value: str | None) -> tuple[str, int | None] | None:
    """(id, version or None) from "ID" or "ID@vN" as typed, or None if it is neither."""
    found = _VERSION_SPEC.match((value or "").strip().upper().replace("@V", "@v"))
    if not found:
        return None
    return found["id"], int(found["version"]) if found["version"] else None


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
