"""The agreement reference in document properties, so files are matched without reading pages.

Choice (documented in docs/drafting.md): DOCX core properties carry
  identifier = agreement id, version = version,
  subject    = Reference.footer ("Överenskommelse SV-… · version N"),
  keywords   = "SV-…, version N, samverkansöverenskommelse, <municipalities>, <police area>"
               (LibreOffice splits keywords on ":" and ";", so the QR payload form is not used),
  title      = the agreement's title with period and parties, category = "Samverkansöverenskommelse".
LibreOffice copies title, subject and keywords into the PDF's Info dictionary and XMP
(dc:title, dc:description, pdf:Keywords), so the same reference is found in the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from samverkan.docgen.model import Agreement
from samverkan.docgen.reference import Reference, find_in_text, parse_qr
from samverkan.docgen.swedish import join_list

CATEGORY = "Samverkansöverenskommelse"


def core_values(agreement: Agreement, parties: list[str], title: str, template: str
                ) -> dict[str, Any]:
    """The core property values of a rendered agreement (pure, for tests and the renderer)."""
    reference = Reference(agreement.agreement_id, agreement.version)
    keywords = [reference.agreement_id, f"version {reference.version}",
                "samverkansöverenskommelse", *agreement.parties.municipalities]
    if agreement.parties.police.name:
        keywords.append(agreement.parties.police.name)
    return {
        "title": f"{title} – {join_list(parties)}",
        "subject": reference.footer,
        "keywords": ", ".join(keywords),
        "identifier": reference.agreement_id,
        "version": str(reference.version),
        "category": CATEGORY,
        "comments": f"Utkast skapat av samverkan med mallen {template}.",
        "language": "sv-SE",
        "author": "samverkan",
        "last_modified_by": "samverkan",
        "content_status": "Utkast",
    }


def apply_core(document: Any, values: dict[str, Any]) -> None:
    """Write values into a python-docx Document's core properties."""
    props = document.core_properties
    for key, value in values.items():
        setattr(props, key, value)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1


def reference_from_values(*values: str | None) -> Reference | None:
    """The first reference found in property values: a QR payload, else footer-style text."""
    for value in values:
        for part in (value or "").replace(",", ";").split(";"):
            found = parse_qr(part)
            if found:
                return found
    for value in values:
        found = find_in_text(value or "")
        if found:
            return found
    return None


def docx_reference(path: Path | str) -> Reference | None:
    """The reference stored in a DOCX's core properties (None if it has none)."""
    from docx import Document

    props = Document(str(path)).core_properties
    found = reference_from_values(props.keywords, props.subject)
    if found is None and props.identifier and props.version and props.version.isdigit():
        candidate = parse_qr(f"samverkan:{props.identifier}:v{props.version}")
        found = candidate
    return found


def pdf_reference(path: Path | str) -> Reference | None:
    """The reference stored in a PDF's Info dictionary or XMP (None if it has none)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    info: Mapping[str, object] = reader.metadata or {}
    values = [str(info.get("/Keywords") or ""), str(info.get("/Subject") or "")]
    xmp = reader.xmp_metadata
    if xmp is not None:
        values.append(str(xmp.pdf_keywords or ""))
        description = xmp.dc_description or {}
        values.extend(str(v) for v in description.values())
    return reference_from_values(*values)
