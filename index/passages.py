"""Flatten one archived version into passages: each commitment, focus area and text section.

A coordinator looks for the wording of one commitment, not for a whole file, so every
passage is a hit of its own and carries what the filters need (municipalities, county,
police area, period as years, party, kind, focus area, version, latest flag).

Passages follow the document's structure: one commitment with its party, focus area and
lead-in ("Polisen åtar sig att", searchable context beside the displayed text); one focus
area; one paragraph or list under its heading (the heading is context, not body). Page
furniture is dropped with the reader's own detection (reader.layout), and a text passage
never runs across a heading or into the next party's lead-in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from samverkan.archive.records import VersionRecord
from samverkan.docgen import dates, municipalities
from samverkan.docgen.model import Activity, Agreement, Commitment, FocusArea
from samverkan.docgen.party_labels import party_subject
from samverkan.index import analysis

if TYPE_CHECKING:  # reader is imported lazily: `samverkan search` never needs it
    from samverkan.reader.layout import Block

OPEN_END_YEAR = 9999
KINDS = ("commitment", "focus_area", "text")
KIND_LABELS_SV = {"commitment": "Åtagande", "focus_area": "Fokusområde", "text": "Text"}

# Sections of extracted text: long enough to carry meaning, short enough to point at.
SECTION_MIN_CHARS = 250
SECTION_MAX_CHARS = 900
# A single paragraph is split (at sentence ends) only beyond this: a wall of text whose
# paragraph breaks extraction lost, not a paragraph a reader would see as one.
PARAGRAPH_HARD_MAX = 3 * SECTION_MAX_CHARS


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


class _RecordMeta(TypedDict):
    """The VersionMeta fields every archived version has, known or not."""

    agreement_id: str
    version: int
    sha256: str
    is_latest: bool
    label: str
    filename: str
    filed_at: str


@dataclass(frozen=True)
class Passage:
    """One hit: `text` is its body (a commitment as worded); `heading` and `lead_in` are
    the context it is searched with (see `shown` and `indexed_text`)."""

    meta: VersionMeta
    ordinal: int
    kind: str
    text: str
    party: str | None = None
    focus_area: str | None = None
    page: int | None = None
    heading: str | None = None  # the heading a text passage stands under
    lead_in: str | None = None  # "Polisen åtar sig att" before a commitment (or a list part)

    @property
    def shown(self) -> str:
        """What a hit shows: a commitment as worded (its lead-in is searched, not shown, so
        that alike commitments stay alike); a text passage under its heading as title."""
        if self.kind != "text":
            return self.text
        lead_in = f"{self.lead_in}:\n" if self.lead_in else ""
        return f"{self.heading}\n\n{lead_in}{self.text}" if self.heading \
            else f"{lead_in}{self.text}"

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
    base: _RecordMeta = {
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


def _activity_text(activity: Activity) -> str:
    labels = (("Aktivitet", activity.aktivitet), ("Åtgärd", activity.atgard),
              ("Uppföljning", activity.uppfoljning), ("Mål", activity.mal))
    return "\n".join(f"{label}: {value}" for label, value in labels if value)


@dataclass(frozen=True)
class Part:
    """One passage the agreement model gives, with the commitment it came from (if any)."""

    kind: str
    text: str
    party: str | None = None
    focus_area: str | None = None
    commitment: Commitment | None = None


def model_parts(agreement: Agreement) -> list[Part]:
    """Commitments, focus areas and activity rows in document order."""
    found = [Part("commitment", c.text, c.party, None, c) for c in agreement.commitments]
    for area in agreement.all_focus_areas():
        found.append(Part("focus_area", _focus_area_text(area), None, area.title))
        found.extend(Part("commitment", c.text, c.party, area.title, c) for c in area.commitments)
        found.extend(Part("text", _activity_text(a), None, area.title) for a in area.activities)
    return found


def agreement_parts(agreement: Agreement) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, text, party, focus area) for commitments, focus areas and activity rows."""
    return [(p.kind, p.text, p.party, p.focus_area) for p in model_parts(agreement)]


def _agreement_prose(agreement: Agreement) -> list[str]:
    """The agreement's prose fields, used as text when the record has no extracted pages."""
    prose = [agreement.background, agreement.purpose]
    for forum in agreement.forums:
        prose.append("\n".join(x for x in (forum.name, forum.description, forum.members,
                                           forum.meets) if x))
    prose.append(agreement.follow_up)
    return [p for p in prose if p and p.strip()]


# ---------------------------------------------------------------------------------------------
# Lead-ins: how a document introduces a party's commitments

_VERB = r"(?:förbinder|åtar|förpliktar)\s+(?:sig|oss)|(?:har\s+)?åtagit\s+(?:sig|oss)|åtar"
_ADVERB = r"(?:gemensamt|även|också|dessutom|därför|vidare|tillsammans|härmed)"
# A commitment inside a sentence: "Kommun och polis åtar sig att varje vecka närvara …".
_SENTENCE_VERB = re.compile(rf"\b(?:{_VERB})(?:\s+{_ADVERB})?\s+att\b", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[\"”«(]?[A-ZÅÄÖ0-9])")
_SUBJECT_WORDS = 12


def _lead_in_of(block: Block, following: Block | None) -> str | None:
    """The lead-in a block is ("Polisen förbinder sig att"), as the reader recognises it."""
    from samverkan.reader.commitments import lead_in_text

    return lead_in_text(block, following)


def _party_of_lead_in(lead_in: str) -> str | None:
    from samverkan.reader.commitments import party_of_lead_in

    return party_of_lead_in(lead_in)


def _sentence_lead_in(text: str, commitment: str) -> str | None:
    """"Kommun och polis åtar sig att" when `text` says it right before the commitment."""
    wanted = analysis.tokens(commitment)[:4]
    if not wanted:
        return None
    for found in _SENTENCE_VERB.finditer(text):
        if analysis.tokens(text[found.end():found.end() + 200])[:len(wanted)] != wanted:
            continue
        head = text[:found.start()]
        cut = max(head.rfind(". "), head.rfind(": "), head.rfind("; "), head.rfind("\n"))
        subject = " ".join(head[cut + 1:].split()[-_SUBJECT_WORDS:])
        return f"{subject} {' '.join(found.group(0).split())}".strip()
    return None


# ---------------------------------------------------------------------------------------------
# The structure of extracted pages: headings, lead-ins, list items and paragraphs

_LETTERS = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”«(])")
HEADING, LEAD_IN, ITEM, PARAGRAPH = "heading", "lead_in", "item", "paragraph"
ITEM_MAX_WORDS = 30  # an unmarked list item (DOCX lists lose their bullets) is short
LOOK_BACK_BLOCKS = 40  # how far above a list item its lead-in may stand


@dataclass(frozen=True)
class Section:
    """One text passage: a paragraph or list under its heading, on the page it starts."""

    page: int | None
    text: str
    heading: str | None = None
    lead_in: str | None = None  # the lead-in of a list this section continues
    focus_area: str | None = None


def _short(block: Block) -> bool:
    """Short enough to be an unmarked list item: a few words, at most two sentences."""
    return len(block.text.split()) <= ITEM_MAX_WORDS and \
        len(_SENTENCE_END.split(block.text)) <= 2


def _glyph(block: Block) -> bool:
    """A bulleted item ("- Skapa trygga offentliga miljöer" in a list of the focus areas)."""
    from samverkan.reader import text as tx

    return block.kind == "bullet" and tx.marker_class(block.marker) == "glyph"


def _numbered(block: Block | None) -> bool:
    from samverkan.reader import text as tx

    return block is not None and block.kind == "bullet" and \
        tx.marker_class(block.marker) == "number"


def _marker_prefix(block: Block) -> str:
    from samverkan.reader import text as tx

    kind = tx.marker_class(block.marker)
    if kind == "number":
        return f"{block.marker}. "
    if kind == "letter":
        return f"{block.marker}) "
    if kind == "multi":
        return f"{block.marker} "
    return "- "


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


@dataclass
class _Draft:
    """The section being assembled."""

    parts: list[tuple[str, str]] = field(default_factory=list)  # (role, text)
    page: int | None = None
    size: int = 0
    lead_in: str | None = None  # context: the list this section continues
    list_lead_in: str | None = None  # the lead-in whose list this section holds

    def add(self, role: str, text: str, page: int | None) -> None:
        if not self.parts:
            self.page = page
        self.parts.append((role, text))
        self.size += len(text) + 2

    @property
    def lead_in_only(self) -> bool:
        """Only a lead-in so far: what follows is its list, even without bullets."""
        return len(self.parts) == 1 and self.parts[0][0] == LEAD_IN

    def text(self) -> str:
        out = ""
        previous = None
        for role, text in self.parts:
            joint = "\n" if role == ITEM or previous == LEAD_IN else "\n\n"
            out += joint + text if out else text
            previous = role
        return out


class Structure:
    """The blocks of one version's pages (furniture dropped by reader.layout) and their roles.

    Built once per version: text sections and commitment lead-ins both read it.
    """

    def __init__(self, pages: Sequence[str], agreement: Agreement | None = None,
                 numbered: bool = True):
        from samverkan.reader import layout

        self.numbered = numbered
        self.agreement = agreement
        self.blocks: list[Block] = layout.build(list(pages)).blocks \
            if any(p.strip() for p in pages) else []
        self.blocks = [b for b in self.blocks if b.text.strip() and not layout.is_dash_line(b.text)]
        self.titles: dict[str, str] = {}
        self.items: set[str] = set()
        if agreement is not None:
            self.titles = {analysis.normalise(a.title): a.title
                           for a in agreement.all_focus_areas()}
            self.items = {analysis.normalise(c.text) for _, c in agreement.all_commitments()}
            self.blocks = [part for b in self.blocks for part in self._split_title(b)]
        self.keys = [analysis.normalise(b.text) for b in self.blocks]
        self.lead_ins = [_lead_in_of(b, self.blocks[i + 1] if i + 1 < len(self.blocks) else None)
                         for i, b in enumerate(self.blocks)]
        self.roles = self._roles()

    def _split_title(self, block: Block) -> list[Block]:
        """A focus area's title that extraction ran into the paragraph under it, split off.

        A long title line looks wrapped to the layout ("Främja … för kriminalitet" +
        "Samverkan syftar …"); the agreement knows the title, so the heading is restored.
        """
        from samverkan.reader.layout import Block as LayoutBlock

        if block.kind != "para" or len(block.lines) < 2:
            return [block]
        for title in self.titles.values():
            rest = block.text[len(title):].lstrip()
            if block.text.startswith(title) and rest[:1].isupper():
                heading = LayoutBlock("para", block.lines[:1], gap_before=block.gap_before,
                                      text=title, heading_like=True)
                body = LayoutBlock("para", block.lines[1:], text=rest)
                return [heading, body]
        return [block]

    # -- roles ---------------------------------------------------------------------------

    def _roles(self) -> list[str]:
        roles: list[str] = []
        in_list = False
        marked: bool | None = None  # whether the list going on has bullets
        parties: set[str] = set()  # lead-in parties of the run of lists going on
        for i, block in enumerate(self.blocks):
            previous = self.blocks[i - 1] if i else None
            following = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            role = PARAGRAPH
            if self.lead_ins[i]:
                role = LEAD_IN
            elif self.keys[i] in self.items and self.keys[i] not in self.titles:
                role = ITEM
            elif self.keys[i] in self.titles and not _glyph(block) or \
                    self._heading(i, block, previous, following, in_list and not marked,
                                  parties):
                role = HEADING
            elif block.kind == "bullet" or in_list and marked is not True and _short(block):
                role = ITEM  # bullets; without them, short lines under a lead-in
            if role == LEAD_IN:
                in_list, marked = True, None
                party = _party_of_lead_in(self.lead_ins[i] or "")
                if party:
                    parties.add(party)
            elif role == ITEM:
                if in_list and marked is None:
                    marked = block.kind == "bullet"
            elif role == HEADING:
                in_list, marked = False, None
            else:
                in_list, marked = block.text.rstrip().endswith(":"), None
                parties.clear()
            roles.append(role)
        return roles

    def _heading(self, index: int, block: Block, previous: Block | None,
                 following: Block | None, unmarked_list: bool, parties: set[str]) -> bool:
        """A heading: short, unpunctuated, and not an item of an unmarked list going on."""
        from samverkan.reader import text as tx

        if not block.heading_like or following is None:
            return False  # a heading has something under it; the last line is body
        if block.kind == "bullet":
            kind = tx.marker_class(block.marker)
            if kind == "multi":
                return True  # "4.1 Främja positiv utveckling …"
            # "5. Organisation": a number alone, not one of a numbered list's items.
            return kind == "number" and not _numbered(previous) and not _numbered(following)
        if block.kind != "para":
            return False
        if not unmarked_list:
            return True
        # Unmarked items look like headings. A heading is what a paragraph follows, or a
        # lead-in of a party whose list already came (parties list in a fixed order); set
        # off by a blank line above and none below, it stands over what follows.
        lead_in = self.lead_ins[index + 1]
        if lead_in:
            return _party_of_lead_in(lead_in) in parties
        if following.kind != "para" or following.heading_like:
            return False
        return len(following.text.split()) > ITEM_MAX_WORDS // 2 or \
            block.gap_before and not following.gap_before

    # -- text sections -------------------------------------------------------------------

    def _page(self, block: Block) -> int | None:
        return block.page if self.numbered else None

    def sections(self, min_chars: int = SECTION_MIN_CHARS,
                 max_chars: int = SECTION_MAX_CHARS) -> list[Section]:
        """One paragraph or list under its heading each; never across a heading or lead-in."""
        from samverkan.reader.commitments import party_of

        found: list[Section] = []
        heading: list[str] = []
        focus: str | None = None
        fresh = False  # a heading came and no body yet
        draft = _Draft()

        def flush() -> None:
            nonlocal draft
            text = draft.text().strip()
            if len(_LETTERS.findall(text)) >= 15:
                found.append(Section(draft.page, text, " – ".join(heading) or None,
                                     draft.lead_in, focus))
            draft = _Draft()

        for i, (block, role) in enumerate(zip(self.blocks, self.roles, strict=True)):
            if role == HEADING:
                flush()
                title = self.titles.get(self.keys[i])
                # Headings in a row ("Samverkansområden", then an area's title) are context
                # together, so that none of their words is lost to search.
                heading = [*heading, block.text] if fresh else [block.text]
                if title:
                    focus = title
                elif not fresh:
                    focus = None
                fresh = True
                continue
            fresh = False
            page = self._page(block)
            if role == LEAD_IN:
                flush()
                draft.add(LEAD_IN, block.text, page)
                draft.list_lead_in = self.lead_ins[i]
                continue
            if role == ITEM:
                text = (_marker_prefix(block) if block.kind == "bullet" else "") + block.text
                has_items = any(r == ITEM for r, _ in draft.parts)
                if has_items and draft.size + len(text) > max_chars:
                    lead_in = draft.list_lead_in
                    flush()
                    draft.lead_in = draft.list_lead_in = lead_in
                draft.add(ITEM, text, page)
                continue
            # A paragraph: after a party's list, or opening with a party's commitment, it
            # starts a passage of its own.
            verb = _SENTENCE_VERB.search(_SENTENCES.split(block.text, 1)[0])
            opens_party = verb is not None and len(block.text[:verb.start()].split()) <= 8 \
                and party_of(block.text[:verb.start()]) is not None
            # Short paragraphs join the one before (PDF text loses some paragraph breaks).
            if draft.parts and not draft.lead_in_only and (
                    draft.list_lead_in or draft.lead_in or opens_party
                    or draft.size + len(block.text) > max_chars
                    or draft.size >= min_chars and len(block.text) >= min_chars):
                flush()
            pieces = _split_long(block.text, max_chars) \
                if len(block.text) > PARAGRAPH_HARD_MAX else [block.text]
            for piece in pieces:
                if draft.parts and draft.size + len(piece) > max_chars:
                    flush()
                draft.add(PARAGRAPH, piece, page)
        flush()
        return found

    # -- commitment lead-ins -------------------------------------------------------------

    def _block_of(self, commitment: Commitment) -> int | None:
        """The block holding a commitment: where the reader found it, else by its wording."""
        key = analysis.normalise(commitment.text)
        if not key:
            return None
        source = commitment.source
        if source is not None and source.page is not None and source.start is not None:
            for i, block in enumerate(self.blocks):
                page, start, end = block.span()
                if page == source.page and start <= source.start <= max(end, start) and \
                        key[:40] in self.keys[i]:
                    return i
        candidates = [i for i, k in enumerate(self.keys) if key in k]
        if not candidates:
            short = " ".join(key.split()[:6])
            candidates = [i for i, k in enumerate(self.keys) if short and short in k]
        for i in candidates:
            lead_in = self._lead_in_at(i, commitment.text)
            if lead_in and _party_of_lead_in(lead_in) == commitment.party:
                return i
        return candidates[0] if candidates else None

    def _lead_in_at(self, index: int, text: str) -> str | None:
        """The lead-in of the commitment `text` in block `index`: in its sentence or above."""
        found = _sentence_lead_in(self.blocks[index].text, text)
        if found:
            return found
        for j in range(index - 1, max(-1, index - LOOK_BACK_BLOCKS), -1):
            if self.lead_ins[j]:
                return self.lead_ins[j]
            if self.roles[j] != ITEM:
                return None
        return None

    def _written_verb(self) -> str | None:
        """The commitment verb as this document writes it ("åtar sig att"), most used first."""
        verbs: Counter[str] = Counter()
        for i, block in enumerate(self.blocks):
            lead_in = self.lead_ins[i]
            match = _SENTENCE_VERB.search(lead_in) if lead_in and lead_in.endswith("att") \
                else None
            if match:
                verbs[" ".join(match.group(0).lower().split())] += 1
            for found in _SENTENCE_VERB.finditer(block.text):
                verbs[" ".join(found.group(0).lower().split())] += 1
        return verbs.most_common(1)[0][0] if verbs else None

    def lead_in(self, commitment: Commitment) -> str:
        """The commitment's lead-in, preferring what the document says.

        In order: the one the reader stored; the one in the document before the commitment
        (in its sentence, or the lead-in line over its list); another lead-in of the same
        party in the document; the party with the document's verb; the drafting wording.
        """
        if commitment.lead_in:
            return commitment.lead_in
        index = self._block_of(commitment)
        if index is not None:
            found = self._lead_in_at(index, commitment.text)
            if found:
                return found
        same_party = [x for x in self.lead_ins if x and _party_of_lead_in(x) == commitment.party]
        if same_party:
            return Counter(same_party).most_common(1)[0][0]
        count = len(self.agreement.parties.municipalities) if self.agreement else 1
        verb = self._written_verb()
        if verb:
            return f"{party_subject(commitment.party, count)} {verb}"
        from samverkan.docgen.context import commitment_heading

        return commitment_heading(commitment.party, count).rstrip(" :")


def text_sections(pages: Sequence[str], min_chars: int = SECTION_MIN_CHARS,
                  max_chars: int = SECTION_MAX_CHARS) -> list[tuple[int | None, str]]:
    """(page number, section text): one paragraph or list under its heading each."""
    return [(s.page, s.text) for s in Structure(pages).sections(min_chars, max_chars)]


# ---------------------------------------------------------------------------------------------
# All passages of a version

def passages(record: VersionRecord, is_latest: bool | None = None) -> list[Passage]:
    """All passages of one version, in document order (agreement parts, then text)."""
    meta = version_meta(record, is_latest)
    found: list[Passage] = []

    def add(kind: str, text: str, party: str | None = None, focus: str | None = None,
            page: int | None = None, heading: str | None = None,
            lead_in: str | None = None) -> None:
        text = text.strip()
        if text:
            found.append(Passage(meta, len(found) + 1, kind, text, party, focus, page,
                                 heading, lead_in))

    agreement = record.agreement
    pages: Sequence[str] = record.pages
    numbered = True
    if not record.pages and agreement is not None:
        pages, numbered = ["\n\n".join(_agreement_prose(agreement))], False
    structure = Structure(pages, agreement, numbered)
    if agreement is not None:
        for part in model_parts(agreement):
            lead_in = structure.lead_in(part.commitment) if part.commitment else None
            add(part.kind, part.text, part.party, part.focus_area, lead_in=lead_in)
    for section in structure.sections():
        add("text", section.text, None, section.focus_area, section.page, section.heading,
            section.lead_in)
    return found


def with_lead_in(lead_in: str | None, text: str) -> str:
    """A commitment after its lead-in, as the document reads: "Polisen åtar sig att:
    Delta i …", or "Kommun och polis åtar sig att varje vecka …" (a sentence)."""
    if not lead_in:
        return text
    return f"{lead_in}{' ' if text[:1].islower() else ': '}{text}"


def indexed_text(passage: Passage) -> tuple[str, str]:
    """(heading, body) as search reads them: the heading apart, so that no phrase runs
    from it into the body; a commitment's lead-in before its text, so that "åtar sig att"
    finds it and "åtar sig att genomföra" runs on into it as in the document."""
    if passage.kind == "commitment":
        return "", with_lead_in(passage.lead_in, passage.text)
    lead_in = f"{passage.lead_in}:\n" if passage.lead_in else ""
    return passage.heading or "", f"{lead_in}{passage.text}"
