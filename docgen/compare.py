"""Compare two agreements clause by clause: focus areas, commitments, parties, period, signatories.

Used for two periods of the same partnership, two versions of one agreement, and above all for
the registrar's first question when a signed copy comes back: is the signed text the text that
was sent out? Read copies carry OCR noise, so matching works on normalised text, and tiny
character-level differences can be set apart as "OCR-avvikelser" instead of real changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from samverkan.docgen import dates
from samverkan.docgen.model import Agreement, Commitment, FocusArea, Signatory
from samverkan.docgen.swedish import count_sv

Kind = Literal["unchanged", "ocr", "reworded", "added", "removed"]
Mode = Literal["versions", "signed"]

REWORDED_MIN = 0.6  # below this two texts are different clauses, not one reworded
OCR_MIN = 0.97  # at or above this, character-level differences may be OCR noise
SIGNATORY_NAME_MIN = 0.85


# --- text normalisation and word diffs -------------------------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                         "»": '"', "«": '"', "–": "-", "—": "-", "‐": "-", "‑": "-",
                         "\u00a0": " "})
_LINE_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(?!(?:och|eller|samt|respektive|som)\b)([a-zåäö])")
# The project's own page footer (docgen.reference), which extraction can drop into a clause
# that runs over a page break: "Överenskommelse SV-7F3K-9Q2M · version 1 · Sida 2 av 5".
_OWN_FOOTER = re.compile(
    r"Överenskommelse\s+SV\s?[-–—]?\s?[0-9A-Z]{4}\s?[-–—]?\s?[0-9A-Z]{4}\W{0,6}version\s*\d{1,3}"
    r"(?:\W{0,6}Sida\s+\d+\s+av\s+\d+)?", re.IGNORECASE)
_LEADING_MARK = re.compile(r"^(?:[-•▪●◦○■□*–—]+|\(?\d+(?:\.\d+)*[.)]|\(?[a-zåäö][.)])\s+")


def normalise(text: str) -> str:
    """Text as compared: NFKC (OCR ligatures), typographic quotes and dashes made plain,
    line-end hyphenation joined, the project's own page footer removed, whitespace
    collapsed, no list mark, lower-case first letter and no trailing punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").translate(_QUOTES)
    text = _LINE_HYPHEN.sub(r"\1\2", text)
    text = _OWN_FOOTER.sub(" ", text)
    text = " ".join(text.split())
    text = _LEADING_MARK.sub("", text)
    text = text.rstrip(" .;:,!")
    return text[:1].lower() + text[1:]


def similarity(a: str, b: str) -> float:
    """difflib ratio of two normalised texts (0..1)."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class WordOp:
    """One step of a word-level diff: op is equal, delete, insert or replace."""

    op: Literal["equal", "delete", "insert", "replace"]
    old: str
    new: str


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level difference of two texts (difflib on whitespace-separated words)."""
    old_words, new_words = old.split(), new.split()
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    return tuple(
        WordOp(op, " ".join(old_words[i1:i2]), " ".join(new_words[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def wdiff_text(ops: tuple[WordOp, ...] | list[WordOp]) -> str:
    """A word diff as one line: removed words as [-old-], added words as {+new+}."""
    parts = []
    for item in ops:
        if item.op == "equal":
            parts.append(item.old)
        else:
            if item.old:
                parts.append(f"[-{item.old}-]")
            if item.new:
                parts.append(f"{{+{item.new}+}}")
    return " ".join(parts)


def _char_noise(old: str, new: str) -> bool:
    """Whether old -> new (one differing stretch of words) looks like OCR misreading."""
    if not old or not new:
        # A whole word added or removed is wording; a stray mark is noise.
        return not any(ch.isalnum() for ch in old + new)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = old[i1:i2], new[j1:j2]
        if max(len(before), len(after)) > 2:
            return False
        # A changed number (2022 -> 2023, 3 -> 5) is a real change, whatever its size.
        if any(ch.isdigit() for ch in before) and any(ch.isdigit() for ch in after):
            return False
        if (before.isdigit() and not after) or (after.isdigit() and not before):
            return False
    return True


def is_ocr_noise(a: str, b: str) -> bool:
    """Two normalised texts that differ only as OCR differs from print (ratio ≥ 0.97, only
    character-level changes within words, no word added or removed, no number changed)."""
    if a == b:
        return True
    if similarity(a, b) < OCR_MIN:
        return False
    words_a, words_b = a.split(), b.split()
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and not _char_noise("".join(words_a[i1:i2]), "".join(words_b[j1:j2])):
            return False
    return True


def _classify(a: str, b: str, ocr_tolerant: bool) -> tuple[Kind, float]:
    score = similarity(a, b)
    if score == 1.0:
        return "unchanged", 1.0
    if ocr_tolerant and is_ocr_noise(a, b):
        return "ocr", score
    return "reworded", score


# --- results -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """What one compared document is: a label for people, and what identifies it."""

    label: str
    agreement_id: str | None = None
    version: int | None = None
    period: str = ""
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaChange:
    kind: Kind
    old_title: str | None
    new_title: str | None
    similarity: float
    words: tuple[WordOp, ...] = ()

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or ""


@dataclass(frozen=True)
class CommitmentChange:
    kind: Kind
    party: str
    old_party: str | None
    old_text: str | None
    new_text: str | None
    old_area: str | None
    new_area: str | None
    similarity: float
    moved: bool = False
    words: tuple[WordOp, ...] = ()

    @property
    def party_changed(self) -> bool:
        return self.old_party is not None and self.kind != "added" and self.old_party != self.party

    @property
    def area(self) -> str | None:
        """The focus area the clause belongs to in the report (B's, or A's when removed)."""
        return self.old_area if self.kind == "removed" else self.new_area

    @property
    def changed(self) -> bool:
        return self.kind in ("reworded", "added", "removed") or self.moved or self.party_changed


@dataclass(frozen=True)
class FieldChange:
    """A changed simple field: kommuner, polisområde, period, ort, datum."""

    field: str
    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SignatoryChange:
    kind: Literal["unchanged", "changed", "added", "removed"]
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextChange:
    """A section of running text (Bakgrund, a forum, an area's description …) in A and B."""

    kind: Kind
    key: str
    label: str
    old_text: str | None
    new_text: str | None
    similarity: float
    words: tuple[WordOp, ...] = ()


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    mode: Mode
    ocr_tolerant: bool
    parties: tuple[FieldChange, ...]
    period: FieldChange | None
    signing: tuple[FieldChange, ...]
    signatories: tuple[SignatoryChange, ...]
    areas: tuple[AreaChange, ...]
    commitments: tuple[CommitmentChange, ...]
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what could not be compared, in Swedish
    texts: tuple[TextChange, ...] = ()  # every section of running text, in document order

    @property
    def text_matches(self) -> bool:
        """Same parties, period, focus areas and commitments (OCR deviations allowed)."""
        return not (self.parties or self.period
                    or any(area.kind in ("reworded", "added", "removed") for area in self.areas)
                    or any(self.text_counts_as_change(text) for text in self.texts)
                    or any(self.counts_as_change(change) for change in self.commitments))

    def text_counts_as_change(self, text: TextChange) -> bool:
        """A section found on one side only is a reading gap when a side was read from a
        document (the reader may miss a heading); it is listed, not counted."""
        if text.kind == "reworded":
            return True
        return text.kind in ("added", "removed") and not self.ocr_tolerant

    def counts_as_change(self, change: CommitmentChange) -> bool:
        """Moves count only between agreements known structurally (not read documents,
        where the reader may place a clause under the wrong heading); they are still listed."""
        if change.kind in ("reworded", "added", "removed") or change.party_changed:
            return True
        return change.moved and not self.ocr_tolerant

    @property
    def ocr_deviations(self) -> int:
        changes: tuple[AreaChange | CommitmentChange, ...] = (*self.areas, *self.commitments)
        return sum(1 for item in changes if item.kind == "ocr")

    @property
    def verdict(self) -> str:
        """The Swedish verdict line (see verdict_sv)."""
        return verdict_sv(self)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["text_matches"] = self.text_matches
        data["ocr_deviations"] = self.ocr_deviations
        data["verdict"] = self.verdict
        for change, item in zip(self.commitments, data["commitments"], strict=True):
            item["party_changed"] = change.party_changed
            item["wdiff"] = wdiff_text(change.words) if change.words else None
        for area, item in zip(self.areas, data["areas"], strict=True):
            item["wdiff"] = wdiff_text(area.words) if area.words else None
        for text, item in zip(self.texts, data["texts"], strict=True):
            item["wdiff"] = wdiff_text(text.words) if text.words else None
        return data


# --- matching ----------------------------------------------------------------------------

def _greedy(candidates: list[tuple[tuple[Any, ...], int, int]], used_a: set[int],
            used_b: set[int]) -> list[tuple[int, int]]:
    """Best-first one-to-one assignment of (key, i, j) candidates (higher key wins)."""
    chosen = []
    for _, i, j in sorted(candidates, key=lambda item: item[0], reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            chosen.append((i, j))
    return chosen


def _match_areas(old: list[FocusArea], new: list[FocusArea], ocr_tolerant: bool,
                 ) -> tuple[list[AreaChange], dict[int, int]]:
    norm_old = [normalise(area.title) for area in old]
    norm_new = [normalise(area.title) for area in new]
    used_a: set[int] = set()
    used_b: set[int] = set()
    exact = [((-abs(i - j),), i, j) for i, a in enumerate(norm_old)
             for j, b in enumerate(norm_new) if a == b]
    pairs = _greedy(exact, used_a, used_b)
    fuzzy = []
    for i, a in enumerate(norm_old):
        for j, b in enumerate(norm_new):
            if i in used_a or j in used_b:
                continue
            score = similarity(a, b)
            if score >= REWORDED_MIN:
                fuzzy.append(((score, -abs(i - j)), i, j))
    pairs += _greedy(fuzzy, used_a, used_b)
    mapping = dict(pairs)
    changes: list[AreaChange] = []
    by_new = {j: i for i, j in pairs}
    for j, area in enumerate(new):
        if j in by_new:
            i = by_new[j]
            kind, score = _classify(norm_old[i], norm_new[j], ocr_tolerant)
            words = word_diff(old[i].title, area.title) if kind != "unchanged" else ()
            changes.append(AreaChange(kind, old[i].title, area.title, round(score, 3), words))
        else:
            changes.append(AreaChange("added", None, area.title, 0.0))
    for i, area in enumerate(old):
        if i not in mapping:
            changes.append(AreaChange("removed", area.title, None, 0.0))
    return changes, mapping


@dataclass
class _Item:
    area: int | None
    area_title: str | None
    commitment: Commitment
    norm: str


def _items(agreement: Agreement, areas: list[FocusArea]) -> list[_Item]:
    index = {id(area): number for number, area in enumerate(areas)}
    found = []
    for area, commitment in agreement.all_commitments():
        number = index.get(id(area)) if area is not None else None
        found.append(_Item(number, area.title if area else None, commitment,
                           normalise(commitment.text)))
    return found


def _match_commitments(old: list[_Item], new: list[_Item], area_map: dict[int, int],
                       ocr_tolerant: bool) -> list[CommitmentChange]:
    def same_area(a: _Item, b: _Item) -> bool:
        if a.area is None or b.area is None:
            return a.area is None and b.area is None
        return area_map.get(a.area) == b.area

    def moved(a: _Item, b: _Item) -> bool:
        """From one focus area to another. A read document whose clause the reader could not
        place under an area (None on one side) says nothing about a move."""
        if ocr_tolerant and (a.area is None) != (b.area is None):
            return False
        return not same_area(a, b)

    used_a: set[int] = set()
    used_b: set[int] = set()
    exact = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a.norm == b.norm:
                same_party = a.commitment.party == b.commitment.party
                exact.append(((same_party, same_area(a, b), -abs(i - j)), i, j))
    pairs = _greedy(exact, used_a, used_b)
    fuzzy = []
    for j, b in enumerate(new):
        if j in used_b:
            continue
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(b.norm)  # difflib caches its index of the second sequence
        for i, a in enumerate(old):
            if i in used_a:
                continue
            matcher.set_seq1(a.norm)
            if matcher.real_quick_ratio() < REWORDED_MIN or matcher.quick_ratio() < REWORDED_MIN:
                continue
            score = matcher.ratio()
            if score >= REWORDED_MIN:
                same_party = a.commitment.party == b.commitment.party
                bonus = 0.05 if same_area(a, b) else 0.0
                fuzzy.append(((same_party, score + bonus, -abs(i - j)), i, j))
    pairs += _greedy(fuzzy, used_a, used_b)

    by_new = {j: i for i, j in pairs}
    changes: list[CommitmentChange] = []
    for j, b in enumerate(new):
        if j in by_new:
            a = old[by_new[j]]
            kind, score = _classify(a.norm, b.norm, ocr_tolerant)
            words = word_diff(a.commitment.text, b.commitment.text) if kind != "unchanged" else ()
            changes.append(CommitmentChange(
                kind, b.commitment.party, a.commitment.party, a.commitment.text, b.commitment.text,
                a.area_title, b.area_title, round(score, 3), moved=moved(a, b), words=words))
        else:
            changes.append(CommitmentChange(
                "added", b.commitment.party, None, None, b.commitment.text, None, b.area_title, 0.0))
    for i, a in enumerate(old):
        if i not in used_a:
            changes.append(CommitmentChange(
                "removed", a.commitment.party, a.commitment.party, a.commitment.text, None,
                a.area_title, None, 0.0))
    return changes


# --- parties, period, signing, signatories --------------------------------------------------

def _parties(a: Agreement, b: Agreement) -> list[FieldChange]:
    changes = []
    if a.parties.municipalities != b.parties.municipalities:
        changes.append(FieldChange("municipalities", "Kommuner",
                                   ", ".join(a.parties.municipalities),
                                   ", ".join(b.parties.municipalities)))
    old_police, new_police = a.parties.police, b.parties.police
    if (old_police.name or "").casefold() != (new_police.name or "").casefold() or (
            old_police.name and old_police.kind != new_police.kind):
        changes.append(FieldChange("police_area", "Polisen", old_police.label, new_police.label))
    if a.parties.others != b.parties.others:
        changes.append(FieldChange("others", "Övriga parter", ", ".join(a.parties.others) or None,
                                   ", ".join(b.parties.others) or None))
    return changes


def _period(a: Agreement, b: Agreement) -> FieldChange | None:
    old, new = a.period, b.period
    old_start, new_start = old.start, new.start
    if old.from_signing or new.from_signing:
        # "from signing": the start is the signing date, which a draft cannot know.
        old_start = new_start = None
    old_end = None if old.open_ended else old.end
    new_end = None if new.open_ended else new.end

    # Precision is not a change: "2022" starts on 2022-01-01, "2024" ends on 2024-12-31.
    def span(start: str | None, end: str | None) -> tuple[Any, Any]:
        return (start and dates.first_day(start), end and dates.last_day(end))

    if (span(old_start, old_end), old.open_ended) == (span(new_start, new_end), new.open_ended):
        return None
    return FieldChange("period", "Period", old.label_sv, new.label_sv)


def _signing(a: Agreement, b: Agreement) -> list[FieldChange]:
    changes = []
    if (a.signing.place or "").casefold() != (b.signing.place or "").casefold():
        changes.append(FieldChange("place", "Ort", a.signing.place, b.signing.place))
    if a.signing.date != b.signing.date:
        changes.append(FieldChange("date", "Datum", a.signing.date, b.signing.date))
    return changes


def _signatory_dict(signatory: Signatory) -> dict[str, Any]:
    return {"name": signatory.name, "title": signatory.title,
            "organisation": signatory.organisation}


def _text_equal(a: str | None, b: str | None) -> bool:
    return normalise(a or "") == normalise(b or "")


def _signatories(a: Agreement, b: Agreement) -> list[SignatoryChange]:
    old, new = a.signatories, b.signatories
    used_a: set[int] = set()
    used_b: set[int] = set()
    candidates = []
    for i, x in enumerate(old):
        for j, y in enumerate(new):
            if x.name and y.name:
                score = similarity(normalise(x.name), normalise(y.name))
                if score >= SIGNATORY_NAME_MIN:
                    candidates.append(((2, score), i, j))
            organisation = similarity(normalise(x.organisation), normalise(y.organisation))
            title = similarity(normalise(x.title or ""), normalise(y.title or ""))
            if organisation >= REWORDED_MIN and title >= REWORDED_MIN:
                candidates.append(((1, organisation + title), i, j))
    pairs = _greedy(candidates, used_a, used_b)
    by_new = {j: i for i, j in pairs}
    changes = []
    for j, y in enumerate(new):
        if j not in by_new:
            changes.append(SignatoryChange("added", None, _signatory_dict(y)))
            continue
        x = old[by_new[j]]
        fields = tuple(name for name in ("name", "title", "organisation")
                       if not _text_equal(getattr(x, name), getattr(y, name)))
        changes.append(SignatoryChange("changed" if fields else "unchanged", _signatory_dict(x),
                                       _signatory_dict(y), fields))
    for i, x in enumerate(old):
        if i not in used_a:
            changes.append(SignatoryChange("removed", _signatory_dict(x), None))
    return changes


# --- the comparison --------------------------------------------------------------------------

def section_texts(agreement: Agreement) -> dict[str, tuple[str, str]]:
    """key -> (Swedish label, text) for every section of running text, in document order.

    Sections are keyed by what they are (a field, a forum's or a section's heading, an
    area's title), so a section moved or renamed elsewhere shows as removed and added.
    """
    found: dict[str, tuple[str, str]] = {}

    def put(key: str, label: str, *parts: str | None) -> None:
        text = "\n".join(part for part in parts if part)
        if text.strip():
            found[key] = (label, text)

    put("background", "Bakgrund", agreement.background)
    put("purpose", "Syfte och mål", agreement.purpose)
    for area in agreement.all_focus_areas():
        put(f"area:{normalise(area.title)}", f"Fokusområdet «{area.title}»", area.description,
            *(f"- {goal}" for goal in area.goals))
    for forum in agreement.forums:
        put(f"forum:{normalise(forum.name)}", f"Forum «{forum.name}»", forum.members,
            forum.meets, forum.description)
    for section in agreement.sections:
        put(f"section:{normalise(section.heading)}", section.heading, section.text)
    put("follow_up", "Uppföljning", agreement.follow_up)
    put("extension", "Förlängning och revidering", agreement.period.extension)
    put("termination", "Uppsägning", agreement.period.termination)
    return found


def _texts(a: Agreement, b: Agreement, ocr_tolerant: bool) -> list[TextChange]:
    old, new = section_texts(a), section_texts(b)
    changes: list[TextChange] = []
    for key in [*old, *(key for key in new if key not in old)]:
        before, after = old.get(key), new.get(key)
        label = (after or before or ("", ""))[0]
        if before is None or after is None:
            changes.append(TextChange("added" if before is None else "removed", key, label,
                                      before and before[1], after and after[1], 0.0))
            continue
        kind, score = _classify(normalise(before[1]), normalise(after[1]), ocr_tolerant)
        words = word_diff(before[1], after[1]) if kind == "reworded" else ()
        changes.append(TextChange(kind, key, label, before[1], after[1], score, words))
    return changes


def side_of(agreement: Agreement, label: str, *, agreement_id: str | None = None,
            version: int | None = None) -> Side:
    """A side described by its agreement; a read document's derived id would mislead, so
    only a given id, the agreement's own, or (for drafting data) its derived id is shown."""
    known = agreement_id or agreement.id or (None if agreement.provenance
                                             else agreement.agreement_id)
    return Side(label, known, version or agreement.version,
                agreement.period.label_sv, tuple(agreement.parties.municipalities))


def compare(a: Agreement, b: Agreement, *, a_label: str = "A", b_label: str = "B",
            a_side: Side | None = None, b_side: Side | None = None, mode: Mode = "versions",
            ocr_tolerant: bool | None = None) -> Comparison:
    """How B differs from A, clause by clause.

    `a_label`/`b_label` name the documents for people ("SV-… version 1", a file name);
    `a_side`/`b_side` give the full description instead. `ocr_tolerant`: tiny
    character-level differences are reported as OCR deviations, not as rewording; by default
    on when either agreement was read from a document (it carries reader provenance).
    `mode="signed"` words the verdict for a signed copy checked against its draft.
    """
    if ocr_tolerant is None:
        ocr_tolerant = bool(a.provenance or b.provenance)
    old_areas, new_areas = a.all_focus_areas(), b.all_focus_areas()
    notes: list[str] = []
    if ocr_tolerant and bool(old_areas) != bool(new_areas):
        # The reader found no focus areas on one side: a reading gap, not a deleted clause.
        missing = (b_side or side_of(b, b_label)) if old_areas else (a_side or side_of(a, a_label))
        notes.append(f"Inga fokusområden kunde läsas i {missing.label}; rubrikerna har inte "
                     "jämförts, bara åtagandena.")
        areas: list[AreaChange] = []
        area_map: dict[int, int] = {}
    else:
        areas, area_map = _match_areas(old_areas, new_areas, ocr_tolerant)
    commitments = _match_commitments(_items(a, old_areas), _items(b, new_areas), area_map,
                                     ocr_tolerant)
    counts: Counter[str] = Counter(change.kind for change in commitments)
    counts["moved"] = sum(1 for change in commitments if change.moved)
    counts["party_changed"] = sum(1 for change in commitments if change.party_changed)
    if ocr_tolerant and counts["moved"]:
        notes.append(f"{count_sv(counts['moved'], 'åtagande står', 'åtaganden står')} under ett "
                     "annat fokusområde än förut; det kan bero på inläsningen av dokumentet och "
                     "räknas inte som en textändring.")
    texts = _texts(a, b, ocr_tolerant)
    one_sided = [text.label for text in texts if text.kind in ("added", "removed")]
    if ocr_tolerant and one_sided:
        notes.append(f"{count_sv(len(one_sided), 'avsnitt', 'avsnitt')} finns bara i den ena "
                     f"texten ({', '.join(one_sided)}); det kan bero på inläsningen av "
                     "dokumentet och räknas inte som en textändring.")
    return Comparison(
        a=a_side or side_of(a, a_label),
        b=b_side or side_of(b, b_label),
        mode=mode,
        ocr_tolerant=ocr_tolerant,
        parties=tuple(_parties(a, b)),
        period=_period(a, b),
        signing=tuple(_signing(a, b)),
        signatories=tuple(_signatories(a, b)),
        areas=tuple(areas),
        commitments=tuple(commitments),
        counts={kind: counts.get(kind, 0) for kind in
                ("unchanged", "ocr", "reworded", "added", "removed", "moved", "party_changed")},
        notes=tuple(notes),
        texts=tuple(texts),
    )



def change_summary_sv(comparison: Comparison) -> list[str]:
    """The differences as short Swedish phrases ("2 åtaganden omformulerade", "perioden ändrad")."""
    counts = dict(comparison.counts)
    if comparison.ocr_tolerant:
        counts["moved"] = 0  # a note, not a change (see Comparison.counts_as_change)
    parts = []
    for kind, one, many in (("reworded", "åtagande omformulerat", "åtaganden omformulerade"),
                            ("added", "åtagande tillagt", "åtaganden tillagda"),
                            ("removed", "åtagande borttaget", "åtaganden borttagna"),
                            ("moved", "åtagande flyttat till ett annat fokusområde",
                             "åtaganden flyttade till andra fokusområden"),
                            ("party_changed", "åtagande med ny part", "åtaganden med ny part")):
        if counts.get(kind):
            parts.append(count_sv(counts[kind], one, many))
    areas: Counter[str] = Counter(area.kind for area in comparison.areas)
    for kind, one, many in (("reworded", "fokusområde omformulerat", "fokusområden omformulerade"),
                            ("added", "fokusområde tillagt", "fokusområden tillagda"),
                            ("removed", "fokusområde borttaget", "fokusområden borttagna")):
        if areas.get(kind):
            parts.append(count_sv(areas[kind], one, many))
    texts: Counter[str] = Counter(text.kind for text in comparison.texts
                    if comparison.text_counts_as_change(text))
    for kind, one, many in (("reworded", "avsnitt omformulerat", "avsnitt omformulerade"),
                            ("added", "avsnitt tillagt", "avsnitt tillagda"),
                            ("removed", "avsnitt borttaget", "avsnitt borttagna")):
        if texts.get(kind):
            parts.append(count_sv(texts[kind], one, many))
    if any(change.field in ("municipalities", "others") for change in comparison.parties):
        parts.append("parterna ändrade")
    if any(change.field == "police_area" for change in comparison.parties):
        parts.append("polisområdet ändrat")
    if comparison.period:
        parts.append("perioden ändrad")
    return parts


def verdict_sv(comparison: Comparison) -> str:
    """One line a registrar can act on."""
    if comparison.mode == "signed":
        subject = "Texten i den undertecknade versionen"
        same, differs = "stämmer med utkastet", "skiljer sig från utkastet"
    else:
        subject = f"Texten i {comparison.b.label}"
        same, differs = f"stämmer med {comparison.a.label}", f"skiljer sig från {comparison.a.label}"
    ocr = comparison.ocr_deviations
    ocr_note = f" ({count_sv(ocr, 'OCR-avvikelse', 'OCR-avvikelser')})" if ocr else ""
    if comparison.text_matches:
        return f"{subject} {same}{ocr_note}."
    return f"{subject} {differs}: {', '.join(change_summary_sv(comparison))}{ocr_note}."
