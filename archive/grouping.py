"""Which agreement a new version belongs to: by printed reference, else by parties and period.

Pure functions: the archive passes in what it knows (references read from the file, the
recognised record, the keys of agreements already stored) and gets back a decision.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docgen.model import _ID_ALPHABET, Agreement, derive_id
from docgen.reference import Reference


@dataclass(frozen=True)
class Decision:
    agreement_id: str
    by: str  # "qr" | "footer" | "parties-period" | "new-recognised" | "new"
    reference: Reference | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"by": self.by}
        if self.reference is not None:
            found["reference"] = {"agreement_id": self.reference.agreement_id,
                                  "version": self.reference.version}
        return found


def key_of(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parties and period of a recognised record, normalised for comparison ({} if none)."""
    if not record:
        return {}
    municipalities = sorted({str(m) for m in record.get("municipalities") or [] if m})
    period = record.get("period") or {}
    police = record.get("police_area")
    return {
        "municipalities": municipalities,
        "police_area": str(police).strip() if police else None,
        "start": period.get("start"),
        "end": period.get("end"),
    }


def _compatible_dates(a: str | None, b: str | None) -> bool:
    """Equal, unknown on one side, or one a coarser form of the other ("2022" ~ "2022-01-01")."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def keys_match(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """Same municipalities and period start (both known), compatible police area and end."""
    if not new.get("municipalities") or not new.get("start"):
        return False
    if new.get("municipalities") != old.get("municipalities") or not old.get("start"):
        return False
    if not _compatible_dates(new["start"], old["start"]):
        return False
    if not _compatible_dates(new.get("end"), old.get("end")):
        return False
    police_new, police_old = new.get("police_area"), old.get("police_area")
    return not (police_new and police_old and police_new.casefold() != police_old.casefold())


def match_by_key(key: Mapping[str, Any],
                 agreements: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]) -> str | None:
    """The first agreement (callers order them most recent first) with a matching version."""
    for agreement_id, keys in agreements:
        if any(keys_match(key, old) for old in keys if old):
            return agreement_id
    return None


def random_id() -> str:
    """A fresh id in the agreement alphabet (Crockford base32 without I, L, O, U)."""
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"SV-{chars[:4]}-{chars[4:]}"


def decide(*, qr: Reference | None, footer: Reference | None, key: Mapping[str, Any],
           agreement: Agreement | None,
           existing: list[tuple[str, list[Mapping[str, Any]]]]) -> Decision:
    """Reference from the QR code, then the footer text, then parties and period, else new."""
    if qr is not None:
        return Decision(qr.agreement_id, "qr", qr)
    if footer is not None:
        return Decision(footer.agreement_id, "footer", footer)
    matched = match_by_key(key, existing)
    if matched:
        return Decision(matched, "parties-period")
    taken = {agreement_id for agreement_id, _ in existing}
    if agreement is not None:
        try:
            derived = derive_id(agreement)
        except (ValueError, TypeError, AttributeError):
            derived = None
        if derived and derived not in taken:
            return Decision(derived, "new-recognised")
    candidate = random_id()
    while candidate in taken:
        candidate = random_id()
    return Decision(candidate, "new")
