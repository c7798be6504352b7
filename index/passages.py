"""Flatten one archived version into passages: each commitment, focus area and text section.

A coordinator looks for the wording of one commitment, not for a whole file, so every
passage is a hit of its own and carries what the filters need (municipalities, county,
police area, period as years, party, kind, focus area, version, latest flag).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.records import VersionRecord
from docgen import dates, municipalities
from docgen.model import Agreement, FocusArea

OPEN_END_YEAR = 9999
KINDS = ("commitment", "focus_area", "text")
KIND_LABELS_SV = {"commitment": "Åtagande", "focus_area": "Fokusområde", "text": "Text"}

# Sections of extracted text: long enough to carry meaning, short enough to point at.
SECTION_MIN_CHARS = 250
SECTION_MAX_CHARS = 900


@dataclass(frozen=True)
class VersionMeta:
    """What every passage of one archived version shares."""

    agreement_id: str
    version: int
    sha256: str
    is_latest: bool
    label: str = ""
    filename: str = ""
    filed_at: str = ""
    title: str = ""
    municipalities: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    police_area: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    open_ended: bool = False
    period_label: str = ""
    start_year: int = 0
    end_year: int = OPEN_END_YEAR
    period_known: bool = False


@dataclass(frozen=True)
class Passage:
    meta: VersionMeta
    ordinal: int
    kind: str
    text: str
    party: str | None = None
    focus_area: str | None = None
    page: int | None = None

    @property
    def pid(self) -> str:
        """Stable id of a passage: "SV-7F3K-9Q2M/v2/14"."""
        return passage_id(self.meta.agreement_id, self.meta.version, self.ordinal)


def passage_id(agreement_id: str, version: int, ordinal: int) -> str:
    return f"{agreement_id}/v{version}/{ordinal}"


PASSAGE_ID = re.compile(r"^(?P<aid>\S+)/v(?P<version>\d+)/(?P<ordinal>\d+)$")


def version_meta(record: VersionRecord, is_latest: bool | None = None) -> VersionMeta:
    """Metadata from the record and its recognised agreement (unknown fields stay empty)."""
    agreement = record.agreement
    base = {
        "agreement_id": record.agreement_id,
        "version": record.version,
        "sha256": record.sha256,
        "is_latest": record.is_latest if is_latest is None else is_latest,
        "label": record.label,
        "filename": record.filename,
        "filed_at": record.filed_at,
    }
    if agreement is None:
        return VersionMeta(**base)
    names = tuple(agreement.parties.municipalities)
    counties = tuple(dict.fromkeys(c for c in (municipalities.county_of(n) for n in names) if c))
    period = agreement.period
    start_year, end_year, known = period_years(period.start, period.end, period.open_ended)
    return VersionMeta(
        **base,
        title=agreement.title,
        municipalities=names,
        counties=counties,
        police_area=agreement.parties.police.name,
        period_start=period.start,
        period_end=None if period.open_ended else period.end,
        open_ended=period.open_ended or (bool(period.start) and not period.end),
        period_label=period.label_sv if (period.start or period.end) else "",
        start_year=start_year,
        end_year=end_year,
        period_known=known,
    )


def period_years(start: str | None, end: str | None, open_ended: bool) -> tuple[int, int, bool]:
    """(start year, end year, known) for range filters; open-ended ends at 9999.

    A period with neither start nor end is unknown and matches no year filter.
    """
    if not start and not end:
        return OPEN_END_YEAR, 0, False
    first = dates.first_day(start).year if start else 0
    last = OPEN_END_YEAR if open_ended or not end else dates.last_day(end).year
    return first, last, True


# ---------------------------------------------------------------------------------------------
# Passages from the recognised agreement

def _focus_area_text(area: FocusArea) -> str:
    lines = [area.title]
    if area.description:
        lines.append(area.description)
    lines.extend(f"Mål: {goal}" for goal in area.goals)
    return "\n".join(lines)


def _activity_text(activity) -> str:  # noqa: ANN001 - docgen.model.Activity
    labels = (("Aktivitet", activity.aktivitet), ("Åtgärd", activity.atgard),
              ("Uppföljning", activity.uppfoljning), ("Mål", activity.mal))
    return "\n".join(f"{label}: {value}" for label, value in labels if value)


def agreement_parts(agreement: Agreement) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, text, party, focus area) for commitments, focus areas and activity rows."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for commitment in agreement.commitments:
        found.append(("commitment", commitment.text, commitment.party, None))
    for area in agreement.all_focus_areas():
        found.append(("focus_area", _focus_area_text(area), None, area.title))
        for commitment in area.commitments:
            found.append(("commitment", commitment.text, commitment.party, area.title))
        for activity in area.activities:
            found.append(("text", _activity_text(activity), None, area.title))
    return found


def _agreement_prose(agreement: Agreement) -> list[str]:
    """The agreement's prose fields, used as text when the record has no extracted pages."""
    prose = [agreement.background, agreement.purpose]
    for forum in agreement.forums:
        prose.append("\n".join(x for x in (forum.name, forum.description, forum.members,
                                           forum.meets) if x))
    prose.append(agreement.follow_up)
    return [p for p in prose if p and p.strip()]


# ---------------------------------------------------------------------------------------------
# Sections of extracted page text

_BULLET = re.compile(r"^\s*(?:[-–•\u2022\uf0b7\uf0a7*·]|\d{1,2}[.)]|[a-z][.)])\s+")
_LINE_HYPHEN = re.compile(r"(\w)-\n[ \t]*(?=[a-zåäö])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”«(])")
_LETTERS = re.compile(r"[^\W\d_]")


def _clean_page(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = _LINE_HYPHEN.sub(r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def _blocks(page: str) -> list[str]:
    """Paragraph blocks: wrapped lines joined, bullets kept on lines of their own."""
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", page):
        chunk = chunk.strip()
        if blocks and chunk[:1].islower():
            # A wrapped line that extraction separated by an empty line: continue the block.
            chunk = blocks.pop() + " " + chunk
        lines: list[str] = []
        for line in chunk.split("\n"):
            line = re.sub(r"\s+", " ", line).strip()
            if not line:
                continue
            if lines and not _BULLET.match(line) and not _looks_like_heading(lines[-1]):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        if lines:
            blocks.append("\n".join(lines))
    return blocks


def _looks_like_heading(line: str) -> bool:
    return len(line) <= 100 and not line.endswith((".", ",", ";", ":", "-", "–")) and \
        not _BULLET.match(line) and line[:1].isupper() and len(line.split()) <= 14


def _split_long(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(block):
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def text_sections(pages: Sequence[str], min_chars: int = SECTION_MIN_CHARS,
                  max_chars: int = SECTION_MAX_CHARS) -> list[tuple[int, str]]:
    """(page number, section text) of about one to three paragraphs each."""
    sections: list[tuple[int, str]] = []
    for number, raw in enumerate(pages, start=1):
        current: list[str] = []
        size = 0

        def flush(page: int = number) -> None:
            nonlocal current, size
            text = "\n\n".join(current).strip()
            if len(_LETTERS.findall(text)) >= 15:
                sections.append((page, text))
            current, size = [], 0

        for block in _blocks(_clean_page(raw)):
            for piece in _split_long(block, max_chars):
                heading = _looks_like_heading(piece.split("\n")[0]) and "\n" not in piece
                if current and (size + len(piece) > max_chars or (heading and size >= min_chars)):
                    flush()
                current.append(piece)
                size += len(piece) + 2
                if size >= min_chars and not heading and size >= max_chars * 0.66:
                    flush()
        if current:
            flush()
    return sections


def _titles_by_heading(agreement: Agreement | None) -> dict[str, str]:
    if agreement is None:
        return {}
    return {re.sub(r"\W+", " ", a.title).strip().lower(): a.title
            for a in agreement.all_focus_areas()}


def passages(record: VersionRecord, is_latest: bool | None = None) -> list[Passage]:
    """All passages of one version, in document order (agreement parts, then text)."""
    meta = version_meta(record, is_latest)
    found: list[Passage] = []

    def add(kind: str, text: str, party: str | None = None, focus: str | None = None,
            page: int | None = None) -> None:
        text = text.strip()
        if text:
            found.append(Passage(meta, len(found) + 1, kind, text, party, focus, page))

    agreement = record.agreement
    if agreement is not None:
        for kind, text, party, focus in agreement_parts(agreement):
            add(kind, text, party, focus)
    pages: Iterable[str] = record.pages
    page_numbers = True
    if not record.pages and agreement is not None:
        pages, page_numbers = ["\n\n".join(_agreement_prose(agreement))], False
    titles = _titles_by_heading(agreement)
    focus: str | None = None
    for page, text in text_sections(list(pages)):
        for position, line in enumerate(text.split("\n")):
            key = re.sub(r"\W+", " ", line).strip().lower()
            if key in titles:
                focus = titles[key]
            elif position == 0 and _looks_like_heading(line):
                focus = None
        add("text", text, None, focus, page if page_numbers else None)
    return found
