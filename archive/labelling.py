"""Which label and version number a newly filed version gets when nobody said.

Pure functions. A document that calls itself a draft in its title or first lines
("Samverkansöverenskommelse 2024–2026 – utkast", "UTKAST") is an "utkast"; anything else
filed without a label is taken to be the signed agreement ("undertecknad"), since that is
what registrars file. The version number is the one the drafting step printed in the footer
or QR code when that number is still free in the agreement, else the next after the highest.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from samverkan.docgen.reference import Reference

DEFAULT_LABEL = "undertecknad"
DRAFT_LABEL = "utkast"
# The title and what stands above it (header, kommun, date): the first few non-empty lines.
TITLE_LINES = 6
# Longer lines are running text ("… ersätter utkastet från …"), not a title or a stamp.
TITLE_MAX_CHARS = 120
# A printed number beyond this is taken for a misreading (OCR noise), not a version.
MAX_PRINTED_VERSION = 999
_DRAFT_WORD = re.compile(r"\butkast\b", re.IGNORECASE)


def title_lines(pages: Sequence[str], count: int = TITLE_LINES) -> list[str]:
    """The first `count` non-empty lines of the first page that has any text."""
    for page in pages:
        lines = [" ".join(line.split()) for line in page.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return lines[:count]
    return []


def says_draft(pages: Sequence[str]) -> bool:
    """Whether the title or first lines call the document a draft ("utkast", any case)."""
    return any(len(line) <= TITLE_MAX_CHARS and _DRAFT_WORD.search(line)
               for line in title_lines(pages))


def default_label(pages: Sequence[str]) -> str:
    """The label for a version filed without one."""
    return DRAFT_LABEL if says_draft(pages) else DEFAULT_LABEL


def choose_version(reference: Reference | None, agreement_id: str,
                   taken: Collection[int], reserved: Collection[int] = ()) -> int:
    """The printed version when it belongs to this agreement and is free, else the next number.

    Keeps the drafter's numbering when versions arrive out of order (the signed v2 before a
    late-filed v1 draft); a number already used falls back to arrival order, so nothing is
    ever overwritten or renumbered. `reserved` are numbers the drafting step has stamped in
    documents not yet filed (docgen.drafted): a file without a printed number never takes
    one of them, so those documents get the number they carry when they come in.
    """
    following = max({*taken, *reserved}, default=0) + 1
    if reference is None or reference.agreement_id != agreement_id:
        return following
    if 1 <= reference.version <= MAX_PRINTED_VERSION and reference.version not in taken:
        return reference.version
    return following
