"""What a file says about itself: type, text, references, signatures, recognised content.

A pure function of the bytes (plus a scratch folder), so the watcher can run it for several
files at once in worker processes while the main process keeps the claims, the store and
the log. Refusals come back as data (kind, Swedish reason), not exceptions.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samverkan.archive import sniff
from samverkan.archive.active_content import find_active_content
from samverkan.archive.errors import ExtractionError
from samverkan.archive.extract import extract
from samverkan.archive.fsutil import safe_name
from samverkan.archive.qr import best_reference, qr_references
from samverkan.archive.recognise import Recogniser, Recognition, default_recogniser
from samverkan.archive.signatures import read_signatures
from samverkan.docgen.reference import Reference, find_in_text

# A ".pdf" or ".docx" whose bytes are something else is refused rather than trusted.
CLAIMED_BY_EXTENSION = {".pdf": sniff.PDF, ".docx": sniff.DOCX}


@dataclass(frozen=True)
class Analysis:
    media_type: str | None
    refusal: tuple[str, str] | None = None  # (kind, Swedish reason)
    pages: list[str] = field(default_factory=list)
    method: str = "text"
    needs_ocr: bool = False
    qr: list[Reference] = field(default_factory=list)
    footer: Reference | None = None
    signatures: list[dict[str, Any]] = field(default_factory=list)
    recognition: Recognition = field(default_factory=Recognition)
    # Scripts, actions, embedded files (archive.active_content): kept, but warned about.
    active_content: tuple[str, ...] = ()


def analyse(data: bytes, filename: str, scratch: Path,
            recogniser: Recogniser | None) -> Analysis:
    """Everything intake needs to decide about one file; scratch is removed afterwards."""
    media_type = sniff.detect_media_type(data)
    claimed = CLAIMED_BY_EXTENSION.get(Path(filename).suffix.lower())
    if claimed and media_type != claimed:
        return Analysis(media_type, refusal=(
            "wrong_type", f"filen heter {Path(filename).suffix} men innehållet är "
            f"{sniff.describe(media_type)}"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        copy = scratch / safe_name(filename)  # so refusals name the user's file
        copy.write_bytes(data)
        try:
            extracted = extract(copy, ocr=False)
        except ExtractionError as error:
            return Analysis(media_type, refusal=(error.kind, error.reason))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    qr = qr_references(data) if extracted.media_type == sniff.PDF else []
    if extracted.needs_ocr:
        return Analysis(extracted.media_type, pages=extracted.pages, method=extracted.method,
                        needs_ocr=True, qr=qr)
    return analyse_text(data, extracted.pages, extracted.method, extracted.media_type, qr,
                        recogniser)


def analyse_text(data: bytes, pages: list[str], method: str, media_type: str,
                 qr: list[Reference], recogniser: Recogniser | None) -> Analysis:
    """The part after the text is known (directly, or from OCR)."""
    footer = best_reference([ref for page in pages if (ref := find_in_text(page))])
    signatures = read_signatures(data) if media_type == sniff.PDF else []
    active = find_active_content(data) if media_type == sniff.PDF else ()
    recognition = recogniser(pages) if recogniser else Recognition()
    return Analysis(media_type, pages=pages, method=method, qr=qr, footer=footer,
                    signatures=signatures, recognition=recognition, active_content=active)


_WORKER_RECOGNISER: list[Recogniser | None] = []


def analyse_in_worker(data: bytes, filename: str, scratch: Path) -> Analysis:
    """Entry point for worker processes: the project's reader, loaded once per process."""
    if not _WORKER_RECOGNISER:
        _WORKER_RECOGNISER.append(default_recogniser())
    return analyse(data, filename, scratch, _WORKER_RECOGNISER[0])
