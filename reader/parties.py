"""The parties: which municipalities sign, and which lokalpolisområde or polisområde.

A municipality name in an agreement is often just a place ("Anderslöv", "i Borås",
"lokalpolisområde Borås"). Only forms that name a party count as strong evidence:
"Marks kommun", "Göteborgs Stad", "kommunerna Mora, Orsa och Älvdalen", "mellan Mark och
polisen", the title, and the organisations of signature blocks. Police-area names are
taken out first so "lokalpolisområde Borås" never makes Borås a party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from samverkan.docgen import municipalities as register
from samverkan.reader import lexicon, police_register
from samverkan.reader.layout import Document

_NAME = r"[A-ZÅÄÖ][\wåäöÅÄÖ]+(?:-[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ]+)?"
_DIRECTIONS = ("Norra", "Södra", "Östra", "Västra", "Mellersta", "Centrala", "Nordvästra",
               "Nordöstra", "Sydvästra", "Sydöstra", "Inre", "Yttre", "Stora", "Lilla")
_SECOND_WORDS = ("City", "Centrum", "Syd", "Nord", "Öst", "Väst", "Norr", "Söder", "Innerstad")
# Offices write the direction in lower case as often as not: "lokalpolisområde södra Lappland".
_DIRECTION = "|".join(word.lower() for word in _DIRECTIONS)
_POLICE = re.compile(
    rf"\b(?P<kind>[Ll]okalpolisområde(?:t)?|[Pp]olisområde(?:t)?|LPO|Lpo|PO)"
    rf"(?:\s*\((?:LPO|PO)\))?[ \t]+(?:i[ \t]+)?"
    rf"(?P<name>(?:(?:{_DIRECTION})[ \t]+)?{_NAME}(?:/{_NAME}|[ \t]+{_NAME})?)",
)
_POLICE_CHIEF = re.compile(
    rf"\b(?:lokalpolisområdes|polisområdes)chef(?:en)?[ \t]+(?:i[ \t]+|för[ \t]+)?(?P<name>{_NAME})",
    re.IGNORECASE,
)
_REGION = re.compile(r"\b[Pp]olisregion(?:en)?\s+(?P<name>Nord|Mitt|Bergslagen|Stockholm|Öst|"
                     r"Väst|Syd)\b")
_OTHER_CONTEXT = re.compile(r"\b(?:[Rr]egion|[Pp]olisregion|[Ll]än|[Ll]äns)\s*$")
_PLACE_CONTEXT = re.compile(r"\b(?:i|från|med|till|hos|inom|mot|vid|utanför|liksom)\s+$",
                            re.IGNORECASE)
_SUFFIX = re.compile(r"^[ \t\n]*(?P<suffix>kommuns?|[Ss]tads?|[Ss]tadsdel\w*)\b")
_LIST_HEAD = re.compile(r"\bkommunerna\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"\bmellan\b(?P<body>.{3,160}?)\b(?:och|samt)\s+(?:[Pp]olis|Polismyndigheten"
                      r"|[Ll]okalpolisområde|[Pp]olisområde|LPO)", re.DOTALL)
_MUNICIPALITY_FIRST = re.compile(r"\bmellan\s+(?:[Pp]olisen|Polismyndigheten[^.]{0,60}?)\s+och\s+"
                                 r"(?P<body>.{3,120})", re.DOTALL)


@dataclass
class PoliceFinding:
    name: str | None = None
    kind: str = "lokalpolisområde"
    region: str | None = None
    start: int | None = None
    end: int | None = None
    confidence: float = 0.0
    spans: list[tuple[int, int]] = field(default_factory=list)
    mentions_police: bool = False
    known: bool | None = None  # whether the name is in the register of the police organisation


@dataclass
class MunicipalityFinding:
    name: str
    score: float
    start: int
    end: int
    strong: bool


def police_name(raw: str) -> str:
    """Keep a second word only when it belongs to the name ("Södra Älvsborg", "Upplands Väsby")."""
    words = raw.split()
    if len(words) == 1:
        return words[0]  # also "Haninge/Nynäshamn": one LPO named after two places
    if words[0].capitalize() in _DIRECTIONS or words[1] in _SECOND_WORDS:
        return " ".join(words[:2])
    if register.lookup(" ".join(words[:2])) and not register.lookup(words[0]):
        return " ".join(words[:2])
    return words[0]


_NOT_NAMES = {"Polisen", "Polismyndigheten", "Kommun", "Kommunen", "Samverkan", "Och", "Med",
              "Samt", "Ska", "Har", "Tecknar", "Samverkansöverenskommelse", "Överenskommelse",
              # labels of a signature block: "Lokalpolisområdeschef" over "Titel"
              "Titel", "Namnförtydligande", "Underskrift", "Befattning", "Namnteckning", "Ort",
              "Datum"}


def find_police(doc: Document) -> PoliceFinding:
    """The lokalpolisområde/polisområde the agreement names; the most frequent name wins.

    Names the register of the police organisation knows are read in its spelling, also when
    written in lower case, in the genitive ("Polisområde Storgöteborgs organisering") or
    with an OCR slip; a name it does not know is kept as written and marked unknown.
    """
    text = doc.stream
    found = PoliceFinding(mentions_police=bool(re.search(r"\bpolis", text, re.IGNORECASE)))
    votes: dict[str, list[tuple[int, int, str]]] = {}
    units: dict[str, police_register.PoliceUnit] = {}
    for start, end, unit in police_register.find_in_text(text):
        if unit.kind == police_register.REGION:
            found.region = found.region or unit.name
            found.spans.append((start, end))
            continue
        votes.setdefault(unit.name, []).append((start, end, unit.kind))
        units[unit.name] = unit
        found.spans.append((start, end))
    for match in _POLICE.finditer(text):
        if _overlaps(match.start("name"), match.end("name"), found.spans):
            continue
        name = police_name(match.group("name"))
        if name in _NOT_NAMES:
            continue
        kind = "polisområde" if match.group("kind").lower().startswith(("polisområde", "po")) \
            else "lokalpolisområde"
        end = match.start("name") + len(name)
        votes.setdefault(name, []).append((match.start("name"), end, kind))
        found.spans.append((match.start("name"), end))
    for match in _POLICE_CHIEF.finditer(text):
        name = match.group("name")
        if name in _NOT_NAMES or name.lower() in ("och", "samt"):
            continue
        found.spans.append((match.start("name"), match.end("name")))
        if not votes:
            votes.setdefault(name, []).append((match.start("name"), match.end("name"),
                                               "lokalpolisområde"))
    region = _REGION.search(text)
    if region and not found.region:
        found.region = region.group("name")
        found.spans.append((region.start("name"), region.end("name")))
    if not votes:
        return found

    def weight(name: str) -> tuple[float, int]:
        # An agreement with a lokalpolisområde often names its polisområde too: prefer the LPO.
        value = sum(1.5 if kind == "lokalpolisområde" else 1.0 for _, _, kind in votes[name])
        return value, -votes[name][0][0]

    best = max(votes, key=weight)
    start, end, kind = votes[best][0]
    found.name, found.kind, found.start, found.end = best, kind, start, end
    registered = units.get(best)
    # Before the 2015 names settled, many lokalpolisområden were named after their main town
    # ("lokalpolisområde Skövde"): a municipality the register places in an LPO is a known
    # name too. Anything else is kept as written and flagged.
    found.known = registered is not None or (
        kind == "lokalpolisområde" and bool(police_register.units_for_municipality(best)))
    if registered is not None:
        found.region = registered.region
    # Naming the polisområde the LPO belongs to ("lokalpolisområde Mora i polisområde
    # Dalarna") is no rival reading; another name of the same kind is.
    rivals = [name for name in votes if name != best and
              any(kind == found.kind for _, _, kind in votes[name])
              and not (registered is not None
                       and name in (registered.polisomrade, registered.region))]
    found.confidence = 0.6 if rivals else 0.95
    return found


# Asked only about municipality names as matched in a text (the register's ~600 name forms,
# in the casings documents use): bounded all the same, since the casing comes from the text.
@lru_cache(maxsize=2048)
def _common_word(word: str) -> bool:
    """Municipality names that are also ordinary words (Vara, Mark, Boden, Ale)."""
    return lexicon.is_known(word.lower())


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _names_in(body: str) -> list[tuple[int, int, str]]:
    found = []
    for match in register.name_pattern().finditer(body):
        if match.group(0)[:1].isupper():
            short = register.normalise(match.group(0))
            if short:
                found.append((match.start(), match.end(), short))
    return found


def _enumeration(body: str) -> list[tuple[int, int, str]]:
    """The names listed right at the start of `body`: "Mora, Orsa och Älvdalen har …".

    Only an unbroken enumeration counts; "kommunerna har … kopplingar till … i Umeå" names
    a place, not a party.
    """
    found: list[tuple[int, int, str]] = []
    position = 0
    for start, end, short in _names_in(body):
        gap = body[position:start]
        if found and not re.fullmatch(r"(?:s?\s*(?:kommun|stad)?)\s*(?:,|och|samt|,\s*och)\s*",
                                      gap) or not found and gap.strip():
            break
        found.append((start, end, short))
        position = end
    return found


def find_municipalities(doc: Document, police: PoliceFinding,
                        signature_span: tuple[int, int] | None = None
                        ) -> list[MunicipalityFinding]:
    """Party municipalities in order of first strong mention."""
    text = doc.stream
    total = max(len(text), 1)
    content = doc.content
    intro_lines = content[:6]
    intro_end = min(total, max(250, doc.stream_offset(intro_lines[-1]) + len(intro_lines[-1].text)
                               if intro_lines else 0))
    excluded = list(police.spans)
    scores: dict[str, MunicipalityFinding] = {}

    def vote(name: str, start: int, end: int, weight: float, strong: bool) -> None:
        current = scores.get(name)
        if current is None:
            scores[name] = MunicipalityFinding(name, weight, start, end, strong)
            return
        current.score += weight
        if strong and not current.strong:
            current.strong, current.start, current.end = True, start, end

    for match in register.name_pattern().finditer(text):
        start, end = match.span()
        written = match.group(0)
        if not written[:1].isupper() or _overlaps(start, end, excluded):
            continue
        region_gotland = written.lower() == "gotland" and text[max(0, start - 7):start] == "Region "
        if _OTHER_CONTEXT.search(text[max(0, start - 14):start]) and not region_gotland:
            continue
        if re.match(r"[ \t]*(?:län|läns|region)\b", text[end:end + 8], re.IGNORECASE):
            continue
        if re.match(r"[.@]\w", text[end:end + 2]) or text[max(0, start - 1):start] in ("@", "."):
            continue
        short = register.normalise(written)
        if not short:
            continue
        suffix = _SUFFIX.match(text[end:end + 20])
        # "Region Gotland" is the municipality's own name for itself.
        party_form = bool(suffix) or region_gotland
        suffix_end = suffix.end() if suffix else 0
        # "arbetet i Rättviks kommun", "med Mölndals stad": a place mentioned, not a party.
        as_place = bool(_PLACE_CONTEXT.search(text[max(0, start - 12):start]))
        in_intro = start < intro_end and not as_place
        in_signature = bool(signature_span and signature_span[0] <= start < signature_span[1])
        if party_form:
            weight = 2.0 + (2.0 if in_intro else 0.0) + (2.0 if in_signature else 0.0)
            vote(short, start, end + suffix_end, weight, in_intro or in_signature)
        elif start < min(200, intro_end):
            vote(short, start, end, 3.0, True)
        elif not _common_word(written):  # "Vara en aktiv part", "Mark och vatten"
            vote(short, start, end, 0.5, False)
    for match in _LIST_HEAD.finditer(text):
        body = text[match.end():match.end() + 160]
        body = re.split(r"[.;:]\s|\n\n", body)[0]
        for a, b, short in _enumeration(body):
            vote(short, match.end() + a, match.end() + b, 4.0, True)
    for pattern in (_BETWEEN, _MUNICIPALITY_FIRST):
        for match in pattern.finditer(text):
            body = match.group("body")
            if pattern is _MUNICIPALITY_FIRST:
                body = re.split(r"[.;:]|\s(?:om|avseende|gällande|för|i)\s", body)[0]
            offset = match.start("body")
            for a, b, short in _names_in(body):
                if not _overlaps(offset + a, offset + b, excluded):
                    vote(short, offset + a, offset + b, 4.0, True)
    chosen = [m for m in scores.values() if m.strong and m.score >= 4.0]
    if not chosen:
        chosen = [m for m in scores.values() if m.score >= 4.0]
    if not chosen and scores:
        best = max(scores.values(), key=lambda m: m.score)
        if best.score >= 1.0:
            chosen = [best]
    return sorted(chosen, key=lambda m: m.start)


def municipality_label(doc: Document, name: str) -> str:
    """How the text names the municipality as a party ("Marks kommun", "Göteborgs Stad")."""
    forms = "|".join(re.escape(form) for form in sorted(_forms(name), key=len, reverse=True))
    match = re.search(rf"(?<![\wåäö])(?:{forms})\s+(?:kommun|[Ss]tad)\b", doc.stream,
                      re.IGNORECASE)
    if match:
        label = re.sub(r"\s+", " ", match.group(0))
        return label[:1].upper() + label[1:]
    genitive = name if name.endswith(("s", "x", "z")) else name + "s"
    return f"{genitive} kommun"


def _forms(name: str) -> set[str]:
    return {name, name + "s"} if not name.endswith(("s", "x", "z")) else {name}


def police_label(police: PoliceFinding) -> str:
    if police.name:
        return f"Polismyndigheten, {police.kind} {police.name}"
    return "Polismyndigheten"
