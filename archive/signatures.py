"""Digital signatures in a PDF: who signed, and was the file changed after signing?

Read with pyHanko from the stored bytes (never written back). Trust in the certificate
chain is not judged here (no trust roots, no network); what the registrar needs to see is
that a signature exists, whose certificate made it, and whether the signed bytes are intact
and still the whole file.
"""

from __future__ import annotations

import io
import logging
from typing import Any

_QUIET = ("pyhanko", "pyhanko_certvalidator")


def read_signatures(data: bytes) -> list[dict[str, Any]]:
    """One dict per embedded signature (in signing order); [] for unsigned or unreadable PDFs.

    Keys: field, signer (certificate subject), common_name, organisation, signed_at
    (self-reported, ISO), intact (signed bytes unchanged), valid (cryptographically),
    coverage ("entire_file" | "entire_revision" | "partial"), modification_level,
    changed_after_signing (later bytes were appended), allowed_changes (the later changes
    are of a kind the signature permits, e.g. another signature), trusted (chain to a trust
    root; always False without a configured trust store), summary (Swedish).
    """
    if b"/ByteRange" not in data:
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader

    previous = {name: logging.getLogger(name).level for name in _QUIET}
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return [_describe(signature) for signature in reader.embedded_signatures]
    except Exception as error:  # damaged signature dictionaries must not stop intake
        return [{"field": None, "error": f"{type(error).__name__}: {error}",
                 "summary": "Signaturen kunde inte läsas."}]
    finally:
        for name, level in previous.items():
            logging.getLogger(name).setLevel(level)


def _describe(signature: Any) -> dict[str, Any]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    cert = signature.signer_cert
    subject = cert.subject.native if cert is not None else {}
    timestamp = signature.self_reported_timestamp
    found: dict[str, Any] = {
        "field": signature.field_name,
        "signer": cert.subject.human_friendly if cert is not None else None,
        "common_name": subject.get("common_name"),
        "organisation": subject.get("organization_name"),
        "signed_at": timestamp.isoformat() if timestamp else None,
    }
    try:
        context = ValidationContext(trust_roots=[], allow_fetching=False)
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except (SignatureValidationError, ValueError, KeyError) as error:
        found.update(intact=False, valid=False, coverage=None, modification_level=None,
                     changed_after_signing=None, allowed_changes=False, trusted=False,
                     error=str(error), summary="Signaturen kunde inte kontrolleras.")
        return found
    coverage = status.coverage.name.lower() if status.coverage is not None else None
    level = status.modification_level.name.lower() if status.modification_level else None
    changed = coverage != "entire_file"
    allowed = bool(status.docmdp_ok) and level in (None, "none", "lta_updates", "form_filling")
    found.update(
        intact=bool(status.intact), valid=bool(status.valid), coverage=coverage,
        modification_level=level, changed_after_signing=changed, allowed_changes=allowed,
        trusted=bool(status.trusted),
    )
    found["summary"] = summary_sv(found)
    return found


def summary_sv(found: dict[str, Any]) -> str:
    """One Swedish sentence for the registrar about one signature."""
    who = found.get("common_name") or found.get("signer") or "okänd undertecknare"
    if not found.get("intact") or not found.get("valid"):
        return f"Signaturen av {who} är bruten: de signerade uppgifterna har ändrats."
    if not found.get("changed_after_signing"):
        return f"Signerad av {who}; filen är oförändrad sedan signeringen."
    if found.get("allowed_changes"):
        return (f"Signerad av {who}; filen har senare fått tillägg av tillåtet slag "
                "(till exempel fler signaturer).")
    return (f"Signerad av {who}, men filen har ändrats efter signeringen på ett sätt som "
            "signaturen inte tillåter.")


def is_tampered(signatures: list[dict[str, Any]]) -> bool:
    """Whether any signature is broken or followed by changes it does not allow."""
    return any(
        not s.get("intact") or not s.get("valid")
        or (s.get("changed_after_signing") and not s.get("allowed_changes"))
        for s in signatures
    )
