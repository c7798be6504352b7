"""Recognition of parties, period and signing from extracted pages, via the project's reader.

The reader (reader.read_pages(pages) -> Reading with .record and .agreement) is another
part of the project; intake must never lose a file because recognition failed, so any
error here becomes "nothing recognised" plus a note in the derived recognition file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from samverkan.docgen.model import Agreement
from samverkan.docgen.record import AgreementRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recognition:
    record: AgreementRecord = field(default_factory=lambda: AgreementRecord())
    agreement: Agreement | None = None
    error: str | None = None
    drafted: bool = False  # the agreement is the project's drafted model (adopt_drafted)

    @property
    def signed_date(self) -> str | None:
        signed = self.record.get("signed")
        return signed.get("date") if isinstance(signed, dict) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "agreement": self.agreement.model_dump(mode="json") if self.agreement else None,
            "error": self.error,
            "drafted": self.drafted,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recognition:
        agreement = data.get("agreement")
        try:
            model = Agreement.model_validate(agreement) if agreement else None
        except ValueError:
            model = None
        return cls(record=cast(AgreementRecord, data.get("record") or {}), agreement=model, error=data.get("error"),
                   drafted=bool(data.get("drafted")) and model is not None)


Recogniser = Callable[[list[str]], Recognition]


def default_recogniser() -> Recogniser:
    """The project's reader as a Recogniser."""
    return recognise_pages


def recognise_pages(pages: list[str]) -> Recognition:
    """What the reader recognises in extracted pages; a failure of the reader is recorded,
    never raised, since it must not cost us a file. (The reader is imported on first use:
    commands that only list the archive do not pay for it.)"""
    if not any(page.strip() for page in pages):
        return Recognition()
    try:
        from samverkan.reader import read_pages

        reading = read_pages(list(pages))
    except Exception as error:  # the reader must never cost us a file
        log.warning("reader failed: %s", error, exc_info=True)
        return Recognition(error=f"{type(error).__name__}: {error}")
    return Recognition(record=reading.record, agreement=reading.agreement)


def adopt_drafted(recognition: Recognition, drafted: Agreement | None) -> Recognition:
    """The project's own model for a document it drafted, when the text says what it says.

    A signed copy of a document the project drafted carries its reference; the model it was
    drafted from holds every section, which a reader recovers from a scan only in part. The
    model is used only when the text read agrees with it clause by clause (docgen.compare,
    OCR noise allowed, sections the reader missed not counted): nothing edited before signing
    is ever replaced by what was drafted. The signing place and date come from the text when
    the model has none.
    """
    read = recognition.agreement
    if drafted is None or read is None:
        return recognition
    from samverkan.docgen.compare import compare

    if not compare(drafted, read, ocr_tolerant=True).text_matches:
        return recognition
    signing = drafted.signing.model_copy(update={
        "place": drafted.signing.place or read.signing.place,
        "date": drafted.signing.date or read.signing.date})
    merged = drafted.model_copy(update={"signing": signing, "provenance": {}})
    from samverkan.docgen.record import to_record

    return Recognition(record=to_record(merged), agreement=merged,
                       error=recognition.error, drafted=True)
