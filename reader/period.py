"""The period the agreement runs: year ranges, full dates, "from signing", "tills vidare".

Agreements mention many years (statistics, earlier periods, follow-up dates). Each
candidate is scored by where it stands: in the title, in a validity clause ("gäller",
"giltighetstid", "avser perioden", "löper") or near statistics words that disqualify it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from samverkan.docgen import dates
from samverkan.reader import text as tx
from samverkan.reader.layout import Document

_MONTHS = "|".join(dates.MONTHS_SV)
_ISO = r"(?:19|20)\d{2}\s?[-–.]\s?[01]?\d\s?[-–.]\s?[0-3]?\d"
_LONG = rf"(?:den\s+)?[0-3]?\d(?::e|:a)?\s+(?:{_MONTHS})\s+(?:19|20)\d{{2}}"
DATE = rf"(?:{_ISO}|{_LONG})"
_YEAR = r"(?:19|20)\d{2}"
_TO = r"\s*(?:-{1,2}|[–—]|till\s+och\s+med|t\.\s?o\.\s?m\.?|tom|till|och)\s*(?:den\s+)?"

_DATE_RANGE = re.compile(rf"(?P<start>{DATE}){_TO}(?P<end>{DATE})", re.IGNORECASE)
_YEAR_RANGE = re.compile(
    rf"(?<![\d\-–])(?P<start>{_YEAR})\s*(?P<sep>[-–—/]|till(?:\s+och\s+med)?|t\.o\.m\.?|och)\s*"
    rf"(?P<end>{_YEAR})(?![\d\-–]\d)", re.IGNORECASE)
_TITLE_YEAR = re.compile(rf"(?<![\d\-–]){_YEAR}(?![\d\-–])")
_IN_FORCE = re.compile(rf"träder\s+i\s+kraft\s+(?:den\s+)?(?P<start>{DATE}|{_YEAR})(?![\d\-–])",
                       re.IGNORECASE)
_NUMBERS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6}
_DURATION = re.compile(
    r"(?:gäller|löper|giltig\w*|avser|period\w*)[^.]{0,40}?\b(?:i|under|på)?\s*"
    r"(?P<n>ett|en|två|tre|fyra|fem|sex|[1-6])\s+år\b|\b(?P<adj>ett|två|tre|fyr|fem)(?:å|a)rig",
    re.IGNORECASE)
_FROM_DATE = re.compile(
    rf"(?:från\s+och\s+med|fr\.\s?o\.\s?m\.?|from|från|fr\s?o\s?m)\s+(?:den\s+)?(?P<start>{DATE}|{_YEAR})"
    rf"(?![\d\-–])", re.IGNORECASE)
_TO_DATE = re.compile(
    rf"(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|tom|till|fram\s+till|längst\s+till)\s+(?:den\s+)?"
    rf"(?:utgången\s+av\s+(?:år\s+)?)?(?P<end>{DATE}|{_YEAR})(?![\d\-–])", re.IGNORECASE)
_FROM_SIGNING = re.compile(
    r"(?:från|fr\.\s?o\.\s?m\.?|fr\s?o\s?m|och\s+med)\s+(?:och\s+med\s+)?[^.\n]{0,45}?"
    r"(?:underskrift|underteckna|signer|påskrift)"
    r"|(?:gäller|giltig|löper|träder\s+i\s+kraft)[^.]{0,40}?(?:när|då|efter\s+att|i\s+och\s+med\s+att)"
    r"[^.]{0,40}?(?:underteckna|signer)",
    re.IGNORECASE)
_OPEN = re.compile(r"\btills?\s*vidare\b", re.IGNORECASE)
_VALIDITY = re.compile(
    r"giltig|gäller|gälla|löper|avser\s+(?:tids)?perioden|avtalstid|avtalsperiod|"
    r"överenskommelseperiod|perioden|period|träder\s+i\s+kraft|undertecknas|"
    r"samverkansöverenskommelse|överenskommelse|avtal", re.IGNORECASE)
_STRONG_VALIDITY = re.compile(
    r"giltig|gäller\s+(?:från|för|under|mellan|perioden|\d)|löper|avser\s+(?:tids)?perioden|"
    r"avtalstid|avtalsperiod|tidsperiod|gäller\s+fr|träder\s+i\s+kraft|under\s+perioden|"
    r"för\s+perioden",
    re.IGNORECASE)
_STATISTICS = re.compile(
    r"statistik|mätning|mätperiod|undersökning|enkät|jämfört|jämförelse|sedan|\bsen\b|ökade|"
    r"minskade|trend|anmälda|procent|%|folkhälsa|tidigare\s+(?:period|överenskommelse)|"
    r"föregående|förra|utvärdering\s+av|resultat|halvtid|följas\s+upp|uppföljning|"
    r"förläng|rapport",
    re.IGNORECASE)
_EXTENSION = re.compile(r"[^.\n]*förläng[^.]*\.", re.IGNORECASE)
_TERMINATION = re.compile(r"[^.\n]*(?:uppsäg|säga\s+upp|sägas\s+upp)[^.]*\.", re.IGNORECASE)


@dataclass
class PeriodFinding:
    start: str | None = None
    end: str | None = None
    open_ended: bool = False
    from_signing: bool = False
    extension: str | None = None
    termination: str | None = None
    span: tuple[int, int] | None = None
    confidence: float = 0.0
    uncertain: bool = False


@dataclass
class _Candidate:
    start: str | None
    end: str | None
    span: tuple[int, int]
    score: float


@dataclass
class _Range:
    """A candidate with both ends."""

    start: str
    end: str
    span: tuple[int, int]
    score: float


def parse_date(raw: str) -> str | None:
    """ISO date for "2021-01-01", "2021 -01-01" (OCR) or "1 januari 2021"; None if invalid."""
    raw = re.sub(r"\s+", " ", raw.strip().lower())
    raw = re.sub(r"^den\s+", "", raw)
    found = re.fullmatch(r"((?:19|20)\d{2}) ?[-–.] ?([01]?\d) ?[-–.] ?([0-3]?\d)", raw)
    if found:
        value = f"{found.group(1)}-{int(found.group(2)):02d}-{int(found.group(3)):02d}"
    else:
        found = re.fullmatch(rf"([0-3]?\d)(?::e|:a)? ({_MONTHS}) ((?:19|20)\d{{2}})", raw)
        if not found:
            return None
        month = dates.MONTHS_SV.index(found.group(2)) + 1
        value = f"{found.group(3)}-{month:02d}-{int(found.group(1)):02d}"
    try:
        return dates.check_partial(value)
    except ValueError:
        return None


def _partial(raw: str) -> str | None:
    raw = raw.strip()
    if re.fullmatch(_YEAR, raw):
        return raw
    return parse_date(raw)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind(".\n", 0, start), text.rfind(":\n", 0, start))
    left = 0 if left < 0 else left + 2
    right_candidates = [i for i in (text.find(". ", end), text.find(".\n", end),
                                    text.find(":\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return max(left, start - 200), min(right, end + 200)


def _context_score(doc: Document, start: int, end: int, title: int | None = None) -> float:
    text = doc.stream
    left, right = _sentence_bounds(text, start, end)
    sentence = text[left:right]
    before = text[max(left, start - 90):start]
    score = 0.0
    if _STRONG_VALIDITY.search(sentence):
        score += 4.0
    elif _VALIDITY.search(sentence):
        score += 2.0
    if _STATISTICS.search(before) or (
            _STATISTICS.search(sentence) and not _STRONG_VALIDITY.search(sentence)):
        score -= 4.0
    if start < (title if title is not None else title_end(doc)):
        score += 3.0
    heading = text.rfind("\n", 0, start)
    line_text = text[heading + 1:text.find("\n", end) if text.find("\n", end) >= 0 else len(text)]
    if len(line_text.split()) <= 6 and not line_text.rstrip().endswith("."):
        score += 1.5  # a heading such as "Fokusområden 2023 – 2026"
    return score


def title_end(doc: Document, lines: int = 3) -> int:
    """Stream offset where the title lines (the first few content lines) end."""
    content = doc.content
    if not content:
        return 0
    last = content[min(lines, len(content)) - 1]
    return doc.stream_offset(last) + len(last.text)


def _valid_range(start: str | None, end: str | None) -> bool:
    if not start or not end:
        return True
    first, last = dates.first_day(start), dates.last_day(end)
    return first <= last and (last.year - first.year) <= 12


def _add_duration(start: str, match: re.Match[str]) -> str | None:
    """End of a period that runs N years from `start` ("gäller i tre år", "treårig")."""
    raw = (match.group("n") or match.group("adj") or "").lower()
    years = _NUMBERS.get(raw) or {"fyr": 4}.get(raw) or (int(raw) if raw.isdigit() else 0)
    if not years:
        return None
    if len(start) == 4:
        return str(int(start) + years - 1)
    end = dates.first_day(dates.add_years(start, years)) - timedelta(days=1)
    return end.isoformat()


_CLAUSE_VERB = re.compile(
    r"\b(?:löper|gäller|gälla|giltig\w*|avser\s+(?:tids)?perioden|träder\s+i\s+kraft|"
    r"avtalstid\w*|avtalsperiod\w*|giltighetstid\w*|tidsperiod\w*)\b", re.IGNORECASE)
_ONE_YEAR = re.compile(rf"\b(?:under|för|avser)\s+(?:år(?:et)?\s+|kalenderåret\s+)?"
                       rf"(?P<year>{_YEAR})\b(?!\s*(?:[-–—/]|och|till|samt)\s*\d)", re.IGNORECASE)
_NOT_CLAUSE = re.compile(r"förläng|uppsäg|säga\s+upp|sägas\s+upp|revider|ses\s+över|"
                         r"följas\s+upp|utvärder|rapport", re.IGNORECASE)


def _clause(sentence: str) -> PeriodFinding | None:
    """The period one validity sentence states, when it states both ends.

    "Överenskommelsen löper från och med datum för underskrift till och med den 31 december
    2018" or "gäller från 2023-03-01 och löper tills vidare" say what the agreement runs;
    a year range in the title or in prose ("för kommande period 2017-2018") only hints.
    """
    found = PeriodFinding()
    ranged = _DATE_RANGE.search(sentence)
    if ranged:
        found.start, found.end = parse_date(ranged.group("start")), parse_date(ranged.group("end"))
    else:
        if _FROM_SIGNING.search(sentence):
            found.from_signing = True
        else:
            start = _FROM_DATE.search(sentence) or _IN_FORCE.search(sentence)
            if start:
                found.start = _partial(start.group("start"))
        end = _TO_DATE.search(sentence)
        if end and not (found.start and end.start() < sentence.find(found.start[:4])):
            found.end = _partial(end.group("end"))
        if not found.start and not found.from_signing and not found.end:
            years = _YEAR_RANGE.search(sentence)
            if years and years.group("sep").lower() != "och":
                found.start, found.end = years.group("start"), years.group("end")
    if not (found.start or found.end or found.from_signing):
        single = _ONE_YEAR.search(sentence)  # "gäller under 2024"
        if single:
            found.start = found.end = single.group("year")
    if _OPEN.search(sentence) and not found.end:
        found.open_ended = True
    has_start = bool(found.start) or found.from_signing
    has_end = bool(found.end) or found.open_ended
    if not (has_start and has_end) or not _valid_range(found.start, found.end):
        return None
    return found


def _validity_clauses(doc: Document) -> list[PeriodFinding]:
    """Every sentence that states the whole period, in document order (span set)."""
    text = doc.stream
    seen: set[tuple[int, int]] = set()
    found = []
    for verb in _CLAUSE_VERB.finditer(text):
        left, right = _sentence_bounds(text, *verb.span())
        if (left, right) in seen:
            continue
        seen.add((left, right))
        sentence = re.sub(r"\s+", " ", text[left:right])  # a clause wraps over lines
        # OCR specks inside "till och med": "till: och med den 31 december 2026".
        sentence = re.sub(r"\b(till|från)[:;,.]\s+(och\s+med)\b", r"\1 \2", sentence)
        if _NOT_CLAUSE.search(sentence) or (_STATISTICS.search(sentence)
                                            and not _STRONG_VALIDITY.search(sentence)):
            continue
        clause = _clause(sentence)
        if clause is not None:
            clause.span = (left, right)
            found.append(clause)
    return found


def _from_clause(clauses: list[PeriodFinding], text: str) -> PeriodFinding:
    """The first full validity clause; uncertain when another clause says otherwise."""
    chosen = clauses[0]
    key = (chosen.start, chosen.end, chosen.open_ended, chosen.from_signing)
    chosen.uncertain = any((c.start, c.end, c.open_ended, c.from_signing) != key
                           for c in clauses[1:])
    chosen.confidence = 0.95 if not chosen.uncertain else 0.6
    if chosen.open_ended:
        chosen.end = None
    _clauses_about_the_end(chosen, text)
    return chosen


def _clause_sentence(pattern: re.Pattern[str], text: str) -> str | None:
    """The first sentence `pattern` finds, without a heading it ran into: "Förlängning och
    revidering" over "Överenskommelsen förlängs …" is the section's title, not the clause's."""
    for match in pattern.finditer(text):
        lines = match.group(0).split("\n")
        while len(lines) > 1 and _heading_line(lines[0]) and lines[1].strip()[:1].isupper():
            lines = lines[1:]
        sentence = re.sub(r"\s+", " ", " ".join(lines)).strip()
        if pattern.search(sentence):
            return sentence
    return None


def _heading_line(line: str) -> bool:
    line = line.strip()
    return bool(line) and not tx.ends_sentence(line) and len(line.split()) <= 8 and \
        not line.endswith((",", "-")) and tx.last_word(line) not in tx.FUNCTION_WORDS


def _clauses_about_the_end(found: PeriodFinding, text: str) -> None:
    """The extension ("förlängs …") and termination ("sägas upp …") sentences, as written."""
    found.extension = _clause_sentence(_EXTENSION, text)
    found.termination = _clause_sentence(_TERMINATION, text)


def find_period(doc: Document) -> PeriodFinding:
    clauses = _validity_clauses(doc)
    if clauses:
        return _from_clause(clauses, doc.stream)
    found = _from_candidates(doc)
    # A validity sentence with a date that could not be read as a clause (OCR, odd wording)
    # may say something else than the years read elsewhere.
    if _unread_clause(doc):
        found.uncertain = True
    return found


def _unread_clause(doc: Document) -> bool:
    text = doc.stream
    for verb in _CLAUSE_VERB.finditer(text):
        sentence = text[slice(*_sentence_bounds(text, *verb.span()))]
        if re.search(rf"{DATE}|underteckn|underskrift", sentence, re.IGNORECASE) and \
                not _NOT_CLAUSE.search(sentence) and not _STATISTICS.search(sentence):
            return True
    return False


def _from_candidates(doc: Document) -> PeriodFinding:
    text = doc.stream
    ranges: list[_Range] = []
    taken: list[tuple[int, int]] = []
    for match in _DATE_RANGE.finditer(text):
        start, end = parse_date(match.group("start")), parse_date(match.group("end"))
        if start and end and _valid_range(start, end):
            ranges.append(_Range(start, end, match.span(),
                                 _context_score(doc, *match.span()) + 1.0))
            taken.append(match.span())
    for match in _YEAR_RANGE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        start, end = match.group("start"), match.group("end")
        penalty = 1.5 if match.group("sep").lower() == "och" else 0.0
        if _valid_range(start, end) and start != end:
            ranges.append(_Range(start, end, match.span(),
                                 _context_score(doc, *match.span()) - penalty))
    singles_from: list[_Candidate] = []
    for match in [*_FROM_DATE.finditer(text), *_IN_FORCE.finditer(text)]:
        if any(a <= match.start("start") < b for a, b in taken):
            continue
        value = _partial(match.group("start"))
        if value:
            singles_from.append(_Candidate(value, None, match.span(),
                                           _context_score(doc, *match.span())))
    singles_to: list[_Candidate] = []
    for match in _TO_DATE.finditer(text):
        if any(a <= match.start("end") < b for a, b in taken):
            continue
        value = _partial(match.group("end"))
        if value:
            singles_to.append(_Candidate(None, value, match.span(),
                                         _context_score(doc, *match.span())))

    found = PeriodFinding()
    _clauses_about_the_end(found, text)

    signing = next((m for m in _FROM_SIGNING.finditer(text)
                    if _VALIDITY.search(text[slice(*_sentence_bounds(text, *m.span()))])), None)
    open_match = None
    for match in _OPEN.finditer(text):
        left, right = _sentence_bounds(text, *match.span())
        sentence = text[left:right]
        if re.search(r"förläng", sentence, re.IGNORECASE):
            continue
        if not _VALIDITY.search(sentence):
            continue
        if _DATE_RANGE.search(sentence) or _YEAR_RANGE.search(sentence):
            continue
        open_match = match
        break

    best = max(ranges, key=lambda c: (c.score, -c.span[0]), default=None)
    if best and best.score < 0:
        best = None
    if best is not None:
        # A full-date range that agrees with the chosen years is the more precise answer.
        for candidate in ranges:
            if (candidate is not best and len(candidate.start) > len(best.start)
                    and candidate.start[:4] == best.start[:4]
                    and candidate.end[:4] == best.end[:4] and candidate.score >= 0):
                best = candidate
                break
        rivals = [c for c in ranges if c.score >= best.score - 1.0
                  and (c.start[:4], c.end[:4]) != (best.start[:4], best.end[:4])]
        found.start, found.end, found.span = best.start, best.end, best.span
        found.confidence = 0.95 if best.score >= 4 else 0.75 if best.score >= 2 else 0.5
        found.uncertain = bool(rivals) or best.score < 2
    if open_match is not None and (best is None or best.score < 4):
        found.open_ended = True
        found.end = None
        if best is not None and best.score < 2:
            found.start = None
        found.span = found.span or open_match.span()
    if signing is not None and (best is None or best.score < 4):
        found.from_signing = True
        found.start = None
        found.span = signing.span()
        found.confidence = 0.8
        if best is not None and not found.open_ended:
            found.end = best.end
    if found.start is None and not found.from_signing:
        first = max((c for c in singles_from if c.score >= 2), key=lambda c: c.score, default=None)
        if first:
            found.start, found.span = first.start, found.span or first.span
            found.confidence = max(found.confidence, 0.7)
    if found.end is None and not found.open_ended and (found.start or found.from_signing):
        last = max((c for c in singles_to if c.score >= 2 and
                    _valid_range(found.start, c.end)), key=lambda c: c.score, default=None)
        if last:
            found.end = last.end
    if found.start and not found.end and not found.open_ended:
        duration = next((m for m in _DURATION.finditer(text)), None)
        if duration:
            found.end = _add_duration(found.start, duration)
    if found.start is None and found.end is None and not found.from_signing \
            and not found.open_ended:
        title = next((m for line in doc.content[:2] if not tx.ends_sentence(line.text)
                      for m in [_TITLE_YEAR.search(line.text)] if m), None)
        if title:  # "Samverkansöverenskommelse 2024": one year, to confirm
            found.start = found.end = title.group(0)
            offset = doc.stream.find(title.string)
            found.span = (offset + title.start(), offset + title.end())
            found.confidence = 0.5
            found.uncertain = True
            return found
    if found.open_ended and found.confidence == 0.0:
        found.confidence = 0.8
    if found.start is None and found.end is None and not found.from_signing:
        found.uncertain = True
    return found
