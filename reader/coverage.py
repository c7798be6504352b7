"""Which paragraphs of a document the agreement read from it does not carry.

The next period of a legacy agreement starts from what the reader recovered; a paragraph it
did not place anywhere (text after an area's commitments, an unusual layout) would silently
be missing from the new draft. This lists such paragraphs so the drafter sees them under
"Att kontrollera". A paragraph counts as carried when most of its words appear somewhere in
the agreement, including the sentences drafting prints from it (parties, period, copies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from samverkan.docgen.context import build_context
from samverkan.docgen.model import Agreement

MIN_WORDS = 8  # shorter lines are headings, labels, names and page furniture
CARRIED_SHARE = 0.6  # at least this share of a paragraph's words found in the agreement
_WORD = re.compile(r"[a-zåäöéü]{3,}")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def carried_words(agreement: Agreement) -> set[str]:
    """Every word of the agreement and of the sentences drafting prints from it."""
    texts = [*_strings(agreement.model_dump(mode="json")), *_strings(build_context(agreement))]
    return {word for text in texts for word in _words(text)}


# An appendix heading ("Bilaga 1", "BILAGA A – Lägesbild") on a line of its own: where the
# agreement's own text ends. Appendices are background material (a lägesbild, a programme);
# their activity tables are read as the focus areas' activities.
_APPENDIX = re.compile(r"^(?:Bilaga|BILAGA)\s*(?:\d{1,2}|[A-Z])?\b")
_CONTENTS_LINE = re.compile(r"\.{4,}|\S\s+\S+\s+\d{1,3}$")  # "Bilaga 1 Lägesbild ..... 12"
_TITLE_LINES = 3  # "Bilaga: lägesbild" beside the title is not where the appendices start


def paragraphs(pages: list[str]) -> list[str]:
    """Runs of non-empty lines of the main text, joined (hyphenation at line ends undone)."""
    found: list[str] = []
    seen = 0
    for page in pages:
        current: list[str] = []
        for line in [*page.splitlines(), ""]:
            seen += bool(line.strip())
            if seen > _TITLE_LINES and len(line.split()) <= 10 and \
                    _APPENDIX.match(line.strip()) and not _CONTENTS_LINE.search(line.strip()):
                return found + ([_joined(current)] if current else [])
            if line.strip():
                current.append(line.strip())
            elif current:
                found.append(_joined(current))
                current = []
    return found


def _joined(lines: list[str]) -> str:
    return re.sub(r"(\w)-\s+(\w)", r"\1\2", " ".join(lines))


def uncarried(pages: list[str], agreement: Agreement) -> list[str]:
    """The document's paragraphs of some length whose words the agreement mostly lacks."""
    known = carried_words(agreement)
    missing = []
    for paragraph in paragraphs(pages):
        words = _words(paragraph)
        if len(words) < MIN_WORDS:
            continue
        if sum(word in known for word in words) / len(words) < CARRIED_SHARE:
            missing.append(paragraph)
    return missing


def uncarried_note(pages: list[str], agreement: Agreement, shown: int = 3) -> str | None:
    """A Swedish note naming the paragraphs not carried (the first few, shortened)."""
    missing = uncarried(pages, agreement)
    if not missing:
        return None
    quoted = "; ".join(f"«{_short(text)}»" for text in missing[:shown])
    more = f" och {len(missing) - shown} till" if len(missing) > shown else ""
    count = "1 stycke" if len(missing) == 1 else f"{len(missing)} stycken"
    return (f"{count} i det tidigare dokumentet kunde inte föras över till något avsnitt: "
            f"{quoted}{more}. Lägg in det som ska vara kvar där det hör hemma.")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
