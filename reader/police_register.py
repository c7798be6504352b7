"""Sweden's police organisation (region → polisområde → lokalpolisområde) as a lookup.

Agreements name their police party in many forms ("Polismyndigheten, lokalpolisområde
Borås", "LPO Sollentuna", "polisområdet Storgöteborgs organisering", OCR'd "Sollentuua");
the reader needs one spelling to compare, file and search by. The register itself is
data (``reader/data/police_areas.csv``, see ``reader/data/README.md``) so it can be
corrected without touching code. Every function here is pure: the register is loaded
once and never changes.

    lookup("lokalpolisområde södra Lappland")   # PoliceUnit(kind="lokalpolisområde", ...)
    canonical("Polisområde Storgöteborgs")      # "Storgöteborg"
    units_for_municipality("Marks kommun")      # [PoliceUnit(name="Borås", ...)]
    find_in_text(text)                          # [(start, end, PoliceUnit), ...]
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from samverkan.docgen.municipalities import normalise as _municipality_name

Kind = Literal["region", "polisområde", "lokalpolisområde"]

REGION: Kind = "region"
POLISOMRADE: Kind = "polisområde"
LPO: Kind = "lokalpolisområde"

# Without a hint, the most local unit wins a tie ("Gotland" is both a polisområde and
# its only lokalpolisområde); agreements are signed by lokalpolisområden.
_KIND_PREFERENCE: tuple[Kind, ...] = (LPO, POLISOMRADE, REGION)

# OCR typos are accepted only this close (rapidfuzz's fuzz.ratio / 100: 2 × the longest
# common subsequence / both lengths).
FUZZY_CUTOFF = 0.9
_FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class PoliceUnit:
    """One unit of the Police: a region, a polisområde or a lokalpolisområde."""

    kind: Kind
    name: str
    region: str
    polisomrade: str | None
    municipalities: tuple[str, ...]


# --- normalisation -------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212/_]+")
_EDGE_PUNCTUATION = " \t\n.,;:!?()[]{}\"'«»“”‘’*"
_OCR_DIGITS = str.maketrans({"0": "o", "1": "l", "|": "l"})

_PREFIX = re.compile(
    r"^(?:polismyndigheten\s*,?\s*)?(?:"
    r"(?P<lpo>lokalpolisomr[aå]det?s?|lpo)"
    r"|(?P<po>polisomr[aå]det?s?|po)"
    r"|(?P<region>polisregion(?:en)?s?|region(?:en)?s?)"
    r")\s*:?\s+"
)
_SUFFIX = re.compile(r"\s+(?P<kind>lokalpolisomr[aå]de(?:t)?|lpo|polisomr[aå]de(?:t)?)$")


def normalise(text: str) -> str:
    """The comparison key of a name: case, whitespace, hyphens and slashes folded.

    "Kungälv-Ale", "kungälv ale" and "Kungälv / Ale" all give "kungälv ale", so a name
    is found however the agreement (or OCR) happened to join its parts.
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _SEPARATORS.sub(" ", text.casefold())
    return text.strip(_EDGE_PUNCTUATION).strip()


def _strip_affixes(key: str) -> tuple[str, Kind | None]:
    """Remove a police word around a name and say which kind of unit it names."""
    hint: Kind | None = None
    match = _PREFIX.match(key)
    if match:
        hint = LPO if match["lpo"] else POLISOMRADE if match["po"] else REGION
        key = key[match.end():]
    match = _SUFFIX.search(key)
    if match:
        if hint is None:
            hint = POLISOMRADE if match["kind"].startswith("polis") else LPO
        key = key[: match.start()]
    return key.strip(_EDGE_PUNCTUATION).strip(), hint


# --- the register ----------------------------------------------------------------------


@cache
def _rows() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    resource = resources.files("samverkan.reader") / "data" / "police_areas.csv"
    text = resource.read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        municipalities = tuple(m.strip() for m in row["municipalities"].split(";") if m.strip())
        rows.append((row["region"].strip(), row["polisomrade"].strip(),
                     row["lokalpolisomrade"].strip(), municipalities))
    return tuple(rows)


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        seen.update(dict.fromkeys(group))
    return tuple(seen)


@cache
def all_units() -> tuple[PoliceUnit, ...]:
    """Every unit of the register: regions, then polisområden, then lokalpolisområden."""
    rows = _rows()
    regions = [
        PoliceUnit(REGION, region, region, None,
                   _union(r[3] for r in rows if r[0] == region))
        for region in dict.fromkeys(r[0] for r in rows)
    ]
    areas = [
        PoliceUnit(POLISOMRADE, area, region, area,
                   _union(r[3] for r in rows if r[1] == area))
        for region, area in dict.fromkeys((r[0], r[1]) for r in rows)
    ]
    local = [PoliceUnit(LPO, lpo, region, area, municipalities)
             for region, area, lpo, municipalities in rows]
    return (*regions, *areas, *local)


def units(kind: Kind) -> tuple[PoliceUnit, ...]:
    """The register's units of one kind, in register order."""
    return tuple(u for u in all_units() if u.kind == kind)


def _aliases(unit: PoliceUnit) -> set[str]:
    """Shorter names the Police also uses: "Uppsala" for "Uppsala län", "Syd" for
    "Storgöteborg Syd" (after "lokalpolisområde"), "nord" for "Stockholm nord"."""
    key = normalise(unit.name)
    aliases: set[str] = set()
    if key.endswith(" län"):
        base = key[: -len(" län")]
        aliases.add(base)
        if base.endswith("s"):  # "Jönköpings län" -> "Jönköping"
            aliases.add(base[:-1])
    parent = unit.polisomrade if unit.kind == LPO else unit.region
    if unit.kind != REGION and parent:
        prefix = normalise(parent) + " "
        if key.startswith(prefix) and len(key) > len(prefix):
            aliases.add(key[len(prefix):])
    aliases.discard(key)
    return aliases


@cache
def _index() -> tuple[dict[str, tuple[PoliceUnit, ...]], dict[str, tuple[PoliceUnit, ...]]]:
    """Exact names and aliases, each key -> the units it may name."""
    names: dict[str, list[PoliceUnit]] = {}
    aliases: dict[str, list[PoliceUnit]] = {}
    for unit in all_units():
        names.setdefault(normalise(unit.name), []).append(unit)
        for alias in _aliases(unit):
            aliases.setdefault(alias, []).append(unit)
    return ({k: tuple(v) for k, v in names.items()},
            {k: tuple(v) for k, v in aliases.items()})


@cache
def _fuzzy_keys() -> tuple[str, ...]:
    names, aliases = _index()
    return tuple(sorted({*names, *aliases}))


def _choose(candidates: Iterable[PoliceUnit], hint: Kind | None) -> PoliceUnit | None:
    """Pick one unit: the hinted kind first, then the most local; None if ambiguous."""
    unique = tuple(dict.fromkeys(candidates))
    if not unique:
        return None
    order = ((hint,) if hint else ()) + _KIND_PREFERENCE
    for kind in order:
        of_kind = [u for u in unique if u.kind == kind]
        if len(of_kind) == 1:
            return of_kind[0]
        if of_kind:
            return None
    return None


def _exact(key: str, hint: Kind | None) -> PoliceUnit | None:
    names, aliases = _index()
    # With a hint, a unit of that kind wins even through an alias
    # ("polisområde Uppsala" is Uppsala län, not the lokalpolisområde Uppsala).
    pools = [names.get(key, ()), aliases.get(key, ())]
    if hint:
        hinted = [u for pool in pools for u in pool if u.kind == hint]
        if hinted:
            return _choose(hinted, hint)
    found = _choose(pools[0], hint)
    if found or hint:
        return found or _choose(pools[1], hint)
    # A bare alias naming units of different kinds ("City": Storgöteborg City or
    # Stockholm city) is a guess; only an unambiguous one is taken.
    return pools[1][0] if len(set(pools[1])) == 1 else None


def _genitive_base(key: str) -> str | None:
    """"storgöteborgs" -> "storgöteborg"; names ending in s, x, z take no genitive s."""
    if key.endswith("s") and len(key) > 2 and not key[:-1].endswith(("s", "x", "z")):
        return key[:-1]
    return None


def _fuzzy(key: str, hint: Kind | None) -> PoliceUnit | None:
    """The register name an OCR typo most likely stands for, or None when unsure."""
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    words = key.count(" ")
    # "Boråss" is no genitive of "Borås" (names ending in s take none), so it is
    # not read as one through the back door of a one-letter typo either.
    pool = [k for k in _fuzzy_keys() if k.count(" ") == words
            and not (key == k + "s" and k.endswith(("s", "x", "z")))]
    if not pool:
        return None
    scored = [(k, s / 100) for k, s, _ in process.extract(
        key, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF * 100, limit=None)]
    if not scored:
        return None
    best = max(score for _, score in scored)
    top = [k for k, score in scored if score == best]
    names, aliases = _index()
    return _choose((u for k in top for u in (*names.get(k, ()), *aliases.get(k, ()))), hint)


@dataclass(frozen=True)
class _Match:
    unit: PoliceUnit
    genitive: bool  # the text carried a genitive s the name does not have


def _resolve(key: str, hint: Kind | None, fuzzy: bool = True) -> _Match | None:
    """Find the unit a normalised key names: exact, alias, genitive, OCR, fuzzy."""
    if not key:
        return None
    found = _exact(key, hint)
    if found:
        return _Match(found, False)
    base = _genitive_base(key)
    if base:
        found = _exact(base, hint)
        if found:
            return _Match(found, True)
    ocr = key.translate(_OCR_DIGITS)
    if ocr != key:
        match = _resolve(ocr, hint, fuzzy)
        if match:
            return match
    if not fuzzy:
        return None
    found = _fuzzy(key, hint)
    if found:
        return _Match(found, False)
    if base:
        found = _fuzzy(base, hint)
        if found:
            return _Match(found, True)
    return None


# --- public API ------------------------------------------------------------------------


def lookup(name: str, kind: Kind | None = None) -> PoliceUnit | None:
    """The unit a name refers to, as an agreement might write it, or None.

    Accepts a leading police word ("Polisområde", "lokalpolisområdet", "LPO",
    "Polisregion", "region") which also says which kind is meant, any case and spacing,
    hyphens or slashes between parts, a genitive s and small OCR typos. ``kind``
    prefers that kind when the name alone is ambiguous ("Uppsala", "Gotland").
    """
    key, hint = _strip_affixes(normalise(name))
    match = _resolve(key, kind or hint)
    return match.unit if match else None


def canonical(name: str, kind: Kind | None = None) -> str | None:
    """The register's spelling of a unit name ("lpo södra lappland" -> "Södra Lappland")."""
    unit = lookup(name, kind)
    return unit.name if unit else None


def units_for_municipality(short_name: str) -> list[PoliceUnit]:
    """The lokalpolisområden covering a municipality (several for Stockholm, Göteborg,
    Malmö); their region and polisområde are on each unit. Empty if unknown."""
    name = _municipality_name(short_name) or short_name.strip()
    key = name.casefold()
    return [u for u in units(LPO) if any(m.casefold() == key for m in u.municipalities)]


_TRIGGER = re.compile(
    r"(?<![\w])(?:"
    r"(?P<lpo>lokalpolisomr[aå]det?|lpo)"
    r"|(?P<po>polisomr[aå]det?)"
    r"|(?P<region>polisregion(?:en)?|(?<=polismyndigheten )region|(?<=polismyndigheten, )region)"
    r")(?![\w])[ \t]*:?",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\S+")
_MAX_NAME_WORDS = 4
_MAX_GAP = 3  # characters of whitespace allowed between trigger/name words


def _candidate_tokens(text: str, start: int) -> list[re.Match[str]]:
    tokens: list[re.Match[str]] = []
    position = start
    for token in _TOKEN.finditer(text, start):
        if token.start() - position > _MAX_GAP or len(tokens) == _MAX_NAME_WORDS:
            break
        tokens.append(token)
        position = token.end()
        if token.group().rstrip(_EDGE_PUNCTUATION) != token.group():
            break  # a comma or full stop ends the name
    return tokens


def _span(text: str, start: int, end: int, genitive: bool) -> tuple[int, int]:
    """Trim punctuation around a matched name, and its genitive s, from the span."""
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    if genitive and end > start and text[end - 1] in "sS":
        end -= 1
    return start, end


def find_in_text(text: str) -> list[tuple[int, int, PoliceUnit]]:
    """Every police unit named in a text after a police word, with the name's span.

    Only names that follow "lokalpolisområde(t)", "LPO", "polisområde(t)",
    "polisregion(en)" or "Polismyndigheten[,] region" count, so a municipality that
    happens to share a lokalpolisområde's name ("Borås kommun") is not a police unit.
    The span covers the name as written, without a genitive s ("Polisområde
    Storgöteborgs organisering" -> the span of "Storgöteborg").
    """
    found: list[tuple[int, int, PoliceUnit]] = []
    for trigger in _TRIGGER.finditer(text):
        hint = LPO if trigger["lpo"] else POLISOMRADE if trigger["po"] else REGION
        tokens = _candidate_tokens(text, trigger.end())
        match: tuple[int, int, PoliceUnit] | None = None
        for fuzzy in (False, True):  # an exact longer name beats a fuzzy shorter one
            for count in range(len(tokens), 0, -1):
                start, end = tokens[0].start(), tokens[count - 1].end()
                result = _resolve(normalise(text[start:end]), hint, fuzzy)
                if result:
                    s, e = _span(text, start, end, result.genitive)
                    match = (s, e, result.unit)
                    break
            if match:
                break
        if match:
            found.append(match)
    return sorted(found, key=lambda item: item[0])
