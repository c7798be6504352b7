"""Which archived version a next period starts from, and what it is read as: one rule for
the CLI (`new-period`, `new-periods`, `diff`) and the web ("Starta nästa periods utkast").

An archived version carries the agreement the archive recognised (or, for a document the
project drafted, its whole model); a version that was not recognised is read again from its
text. A reading brings the reader's doubts and the paragraphs it could not place, which the
next period's draft lists under "Att kontrollera".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samverkan.archive.labelling import DRAFT_LABEL
from samverkan.archive.records import VersionRecord
from samverkan.archive.versions import NoSuchVersion, version_to_renew
from samverkan.docgen.model import Agreement

# The reader and docgen.next_period are imported where used: `diff` imports this module too
# (through `samverkan.commands.periods`), and only renewing needs them.


class RenewalError(ValueError):
    """An agreement that cannot be renewed or compared (the message is Swedish)."""


@dataclass(frozen=True)
class Loaded:
    """One agreement to renew or compare, with what it is for the people reading the output."""

    agreement: Agreement
    label: str
    agreement_id: str | None = None
    version: int | None = None
    version_label: str | None = None
    read: bool = False  # recognised from a document by the reader (OCR noise possible)
    draft: bool = False  # drafting data or a version labelled "utkast"
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def predecessor_id(self) -> str:
        return self.agreement_id or self.agreement.agreement_id


def choose_version(records: list[VersionRecord], version: int | None = None) -> VersionRecord:
    """The version to renew (archive.versions.version_to_renew), as a RenewalError if none."""
    try:
        return version_to_renew(records, version)
    except NoSuchVersion as error:
        raise RenewalError(str(error)) from None


def read_document(pages: list[str], source: str,
                  scanned: bool | None = None) -> tuple[Agreement, tuple[str, ...]]:
    """The agreement a document's pages say, with the reader's notes and what it left out."""
    from samverkan.reader import read_pages

    reading = read_pages(pages, scanned=scanned)
    if reading.agreement is None:
        raise RenewalError(f"{source}: ingen överenskommelse kunde läsas ut – ingen av "
                           "parternas kommuner kändes igen i texten.")
    return reading.agreement, (*reading.flags, *_left_out(pages, reading.agreement))


def _left_out(pages: list[str], agreement: Agreement) -> tuple[str, ...]:
    from samverkan.reader.coverage import uncarried_note

    note = uncarried_note(pages, agreement)
    return (note,) if note else ()


def _reader_flags(pages: list[str], agreement: Agreement) -> tuple[str, ...]:
    """The reader's notes on an archived text (the archive keeps the model, not the notes)."""
    if not any(page.strip() for page in pages):
        return ()
    from samverkan.reader import read_pages

    try:
        flags = tuple(read_pages(pages).flags)
    except Exception:  # notes are a courtesy; the archived model is what counts
        flags = ()
    return (*flags, *_left_out(pages, agreement))


def load_record(record: Any) -> Loaded:
    """An archived version as an agreement (read again from its text if it was not recognised)."""
    label = f"{record.agreement_id} version {record.version} ({record.label})"
    agreement = record.agreement
    if agreement is None:
        if not record.pages:
            raise RenewalError(f"{label}: versionen har ingen text och kunde inte tolkas som en "
                               "överenskommelse.")
        agreement, flags = read_document(list(record.pages), label,
                                         scanned=record.method == "ocr")
    elif record.drafted:
        flags = ()  # the project's own model: nothing was guessed from the text
    else:
        flags = _reader_flags(list(record.pages), agreement)
    return Loaded(agreement, label, record.agreement_id, record.version, record.label,
                  read=True, draft=record.label == DRAFT_LABEL, flags=flags)


def renew(source: Loaded, *, start: str | None = None, end: str | None = None,
          ) -> tuple[Agreement, list[str]]:
    """The next period's draft of `source` and what to check in it."""
    from samverkan.docgen.next_period import PeriodError, next_period

    try:
        return next_period(source.agreement, start=start, end=end,
                           predecessor=source.predecessor_id, flags=source.flags)
    except PeriodError as error:
        raise RenewalError(str(error)) from None
