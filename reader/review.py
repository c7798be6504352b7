"""Which of the seven record fields a registrar must confirm, and why (in Swedish).

A reading is only worth its time when an unflagged field can be trusted. The recognisers
report their own doubts (confidence, rival candidates); this module adds cross-checks
between independent evidence in the same document: the parties named in the text against
the organisations in the signature blocks, the number of blocks against the number of
parties, every "åtar sig att" in the text against the commitments read, the shape of what
was read as a focus area. Each check is a pure function of the findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from samverkan.docgen import municipalities as register
from samverkan.docgen.record import AgreementRecord, RecordSignatory

RECORD_FIELDS = ("municipalities", "police_area", "period", "signed", "signatories",
                 "focus_areas", "commitments")

# An undertaking in the text, as the scorer and a registrar count them.
_UNDERTAKING = re.compile(r"\b(?:förbinder\s+(?:sig|oss)|åtar\s+(?:sig|oss)|åtar|"
                          r"(?:har\s+)?åtagit\s+(?:sig|oss))\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"\b(?:ort\s+och\s+datum|datum\s+och\s+ort|datum)\b", re.IGNORECASE)
MAX_AREA_WORDS = 20
MAX_AREAS = 14
MAX_COMMITMENT_WORDS = 70


@dataclass
class Evidence:
    """What the recognisers found beyond the record, for the cross-checks."""

    scanned: bool = False  # the text came from OCR
    municipality_confidences: list[float] = field(default_factory=list)
    police_confidence: float = 0.0
    police_known: bool | None = None  # None: no register verdict (no name read)
    mentions_police: bool = False
    names_police_area: bool = False  # "lokalpolisområde", "polisområde" or "LPO" in the text
    period_uncertain: bool = False
    period_confidence: float = 0.0
    open_ended: bool = False
    from_signing: bool = False
    signed_uncertain: bool = False
    signature_text: str = ""  # the text of the signature area, if one was found
    inferred_orgs: int = 0
    area_confidences: list[float] = field(default_factory=list)
    areas_announced: int | None = None  # "följande tre fokusområden"
    areas_from_appendix: bool = False
    commitment_confidences: list[float] = field(default_factory=list)
    undertakings_in_text: int = 0  # lead-in verbs outside relative clauses and generic lines
    undertaking_blocks_unread: int = 0  # blocks with such a verb that gave no commitment


_NUMBER_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
                 "nio": 9, "tio": 10}
_ANNOUNCED = re.compile(
    rf"\b(?P<n>{'|'.join(_NUMBER_WORDS)})\s+(?:\w+\s+)?(?:fokus|samverkans|mål|problem|insats)?"
    r"områden\b", re.IGNORECASE)


def announced_areas(text: str) -> int | None:
    """How many focus areas the text says it has ("följande tre fokusområden"), if it says so
    once; None when it says nothing or several different numbers."""
    numbers = {_NUMBER_WORDS[m.group("n").lower()] for m in _ANNOUNCED.finditer(text)}
    return numbers.pop() if len(numbers) == 1 else None


# Marks OCR leaves and typed text does not: brackets and guillemets in words, digits inside
# words ("f6r"), stray single letters. Web addresses and footnote numbers are left out.
# A "|" standing alone separates letterhead fields ("Marks kommun | Box 1 | …"); only one
# stuck to a word is OCR's.
_OCR_MARK = re.compile(r"\w[|]|[|]\w|[\[\]{}””°©®¢~^]|[a-zåäö]\d[a-zåäö]|\d[a-zåäö]{2,}")
_SINGLE = re.compile(r"(?<!\S)[b-hj-zB-HJ-Z](?!\S)")
SCANNED_MARKS_PER_MILLE = 2.0


def looks_scanned(text: str) -> bool:
    """Whether text shows the marks of OCR (used when the caller cannot say)."""
    words = [word for word in text.split() if "://" not in word and not word.startswith("www.")]
    if not words:
        return False
    marks = sum(1 for word in words if _OCR_MARK.search(word)) + len(_SINGLE.findall(text))
    return marks >= 3 and marks * 1000 / len(words) >= SCANNED_MARKS_PER_MILLE


_FROM_SCAN = "Läst ur en skanning med textigenkänning (OCR); kontrollera mot originalet"


def count_undertakings(text: str) -> int:
    return len(_UNDERTAKING.findall(text))


def review(record: AgreementRecord, evidence: Evidence) -> dict[str, list[str]]:
    """field -> Swedish reasons to confirm it (empty list: the field can be trusted)."""
    doubts: dict[str, list[str]] = {name: [] for name in RECORD_FIELDS}
    _municipalities(record, evidence, doubts["municipalities"])
    _police(record, evidence, doubts["police_area"])
    _period(record, evidence, doubts["period"])
    _signed(record, evidence, doubts["signed"])
    _signatories(record, evidence, doubts["signatories"])
    _focus_areas(record, evidence, doubts["focus_areas"])
    _commitments(record, evidence, doubts["commitments"])
    return doubts


def _municipal_orgs(signatories: Sequence[RecordSignatory]) -> set[str]:
    """Municipalities named by the organisations of the signature blocks."""
    found = set()
    for block in signatories:
        organisation = block.get("organisation") or ""
        if "polis" in organisation.lower():
            continue
        for match in register.name_pattern().finditer(organisation):
            short = register.normalise(match.group(0))
            if short:
                found.add(short)
    return found


def _municipalities(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    names = record["municipalities"]
    if not names:
        out.append("Ingen kommun kunde läsas ut som part; ange parterna manuellt")
        return
    if any(conf < 0.6 for conf in evidence.municipality_confidences):
        out.append("Någon kommun kunde inte läsas säkert som part")
    signed_by = _municipal_orgs(record["signatories"])
    if signed_by and signed_by != set(names):
        missing = sorted(signed_by - set(names))
        extra = sorted(set(names) - signed_by)
        detail = "; ".join(part for part in (
            f"undertecknar men saknas som part: {', '.join(missing)}" if missing else "",
            f"part utan underskrift: {', '.join(extra)}" if extra else "") if part)
        out.append(f"Kommunerna i underskrifterna stämmer inte med parterna ({detail})")


def _police(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    name = record["police_area"]
    if not name:
        if evidence.names_police_area:
            out.append("Polisområdet kunde inte läsas; ange lokalpolisområde eller polisområde")
        return
    if evidence.police_confidence < 0.9:
        out.append(f"Polisområdet kunde inte läsas säkert (valt: {name})")
    if evidence.police_known is False:
        out.append(f"”{name}” finns inte i registret över polisens organisation")


def _period(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    start, end = record["period"]["start"], record["period"]["end"]
    if not start and not end:
        out.append("Perioden kunde inte läsas; ange giltighetstiden manuellt")
        return
    if evidence.from_signing and not start:
        out.append("Överenskommelsen gäller från undertecknandet, men datum för "
                   "undertecknande saknas")
    elif not start:
        out.append("Periodens början kunde inte läsas")
    if not end and not evidence.open_ended:
        out.append("Periodens slut kunde inte läsas")
    if evidence.period_uncertain or evidence.period_confidence < 0.9:
        out.append("Perioden kunde inte läsas säkert")


def _signed(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    place, date = record["signed"]["place"], record["signed"]["date"]
    if evidence.signed_uncertain:
        out.append("Flera datum eller orter för undertecknande finns; det senaste har valts")
    if date and not place:
        out.append("Orten för undertecknandet kunde inte läsas")
    # A signature area that asks for a date ("Ort och datum") but gave none: filled in by
    # hand on the signed copy, or not read.
    if not date and (_DATE_LABEL.search(evidence.signature_text) or
                     re.search(r"\b(?:19|20)\d{2}\b", evidence.signature_text)):
        out.append("Datum för undertecknande kunde inte läsas i underskrifterna")


def _signatories(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    blocks = record["signatories"]
    if evidence.scanned and blocks:
        out.append(_FROM_SCAN)
    parties = len(record["municipalities"]) + (1 if evidence.mentions_police else 0)
    if not blocks:
        out.append("Inga undertecknare kunde läsas")
        return
    if parties and len(blocks) < parties:
        out.append(f"{len(blocks)} {'underskrift' if len(blocks) == 1 else 'underskrifter'} "
                   f"för {parties} parter")
    if len(blocks) > max(2 * parties, 8):
        out.append(f"Ovanligt många underskrifter ({len(blocks)})")
    if evidence.inferred_orgs and len(blocks) != parties:
        out.append("Organisationen för någon undertecknare är härledd ur titeln")
    named = [block for block in blocks if block.get("name")]
    if named and len(named) < len(blocks):
        out.append("Namn saknas för någon undertecknare")
    if any(not block.get("title") for block in blocks):
        out.append("Titel saknas för någon undertecknare")
    known = set(record["municipalities"])
    for block in blocks:
        organisation = (block.get("organisation") or "").lower()
        if "polis" in organisation:
            continue
        orgs = _municipal_orgs([block])
        if not orgs or not orgs <= known:
            out.append(f"Organisationen ”{block.get('organisation')}” är ingen av parterna")
            break
    for block in blocks:
        for value in (block.get("name"), block.get("title")):
            if value and (len(value.split()) > 8 or re.search(r"\d{4}|_{3,}|\.{3,}", value)):
                out.append(f"Underskriftsblocket ”{value[:40]}” ser sammanslaget ut")
                return


def _focus_areas(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    areas = record["focus_areas"]
    if not areas:
        out.append("Inga fokusområden kunde läsas")
        return
    if evidence.scanned:
        out.append(_FROM_SCAN)
    if evidence.areas_announced and evidence.areas_announced != len(areas):
        out.append(f"Texten nämner {evidence.areas_announced} områden, men {len(areas)} "
                   "lästes")
    if evidence.areas_from_appendix:
        out.append("Fokusområdena är lästa ur en bilaga")
    if len(areas) > MAX_AREAS:
        out.append(f"Ovanligt många fokusområden ({len(areas)})")
    long = [area for area in areas if len(area.split()) > MAX_AREA_WORDS or area.endswith(".")]
    if long:
        out.append(f"Fokusområdet ”{long[0][:50]}” ser ut som en mening, inte ett område")
    if any(conf < 0.6 for conf in evidence.area_confidences):
        out.append("Något fokusområde kunde inte läsas säkert")


def _commitments(record: AgreementRecord, evidence: Evidence, out: list[str]) -> None:
    items = record["commitments"]
    if not items:
        if evidence.undertakings_in_text:
            out.append("Texten nämner åtaganden, men inga kunde läsas")
        return
    if evidence.scanned:
        out.append(_FROM_SCAN)
    if evidence.undertaking_blocks_unread:
        count = evidence.undertaking_blocks_unread
        out.append(f"{count} {'stycke' if count == 1 else 'stycken'} med ”åtar sig” eller "
                   "”förbinder sig” gav inget åtagande")
    if any(conf < 0.6 for conf in evidence.commitment_confidences):
        out.append("Parten för något åtagande kunde inte avgöras")
    for item in items:
        text = item["text"]
        if len(text.split()) > MAX_COMMITMENT_WORDS or _UNDERTAKING.search(text):
            out.append(f"Åtagandet ”{text[:50]}” kan innehålla flera åtaganden")
            break
