"""Place and date of signing, and the signature blocks (name, title, organisation).

Signature pages come out of PDFs in three shapes: one block under the other; two blocks
side by side on the same lines ("Ann Kajson Carlqvist      Lars-Gunnar Björnqvist"); or
side-by-side cells serialised one after the other (org, org, name, name, title, title).
Each cell is classified (dashes, label, organisation, title, name) and the blocks are
rebuilt per column. When no names are printed, "undertecknas av kommunstyrelsens
ordförande i Marks kommun och av lokalpolisområdeschef Borås" still tells who signs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from samverkan.docgen import municipalities as register
from samverkan.reader import parties
from samverkan.reader import text as tx
from samverkan.reader.layout import Document, Line, is_column_line, is_dash_line
from samverkan.reader.period import DATE, parse_date

_TITLE = re.compile(
    r"(?i:(?:chef|ordförande|direktör|kommunalråd|oppositionsråd|mästare|kommissarie|"
    r"sekreterare|samordnare|strateg|kommunpolis|inspektör|intendent|ansvarig|"
    r"förvaltningschef|stadsdirektör|borgmästare|ledamot|handläggare)(?:en|n)?)\b")
_TITLE_START = re.compile(r"(?:\d:[ae]|vice|tf\.?|t\.f\.|bitr\.|biträdande|"
                          r"ställföreträdande|tillförordnad)\s", re.IGNORECASE)
_ORG = re.compile(
    r"^(?:(?i:för)\s+)?(?:(?:[A-ZÅÄÖ][\wåäö-]+\s+){1,2}(?:kommun|[Ss]tad|kommunstyrelse)|"
    r"Polisen|Polismyndigheten.*|(?:[Ll]okal)?[Pp]olisområde\s+.+|LPO\s+.+|"
    r"Region\s+\w+|[Kk]ommunen|[Ss]taden|Polisregion\s+.+|Kommunstyrelsen)$")
_LABEL = re.compile(
    r"^(?i:underskrift|namnteckning|namnförtydligande|namn|titel|befattning|datum|ort|"
    r"ort och datum|datum och ort|signatur|för kännedom|undertecknad)\s*:?$")
# What a label under a signature line asks for (None: the handwritten signature itself).
_LABEL_KINDS: dict[str, str | None] = {
    "underskrift": None, "namnteckning": None, "signatur": None, "undertecknad": None,
    "namnförtydligande": "name", "namn": "name", "titel": "title", "befattning": "title",
    "ort och datum": "place", "datum och ort": "place", "ort": "place", "datum": "place",
}
# Parenthesised notes after a name: "Maria Olsson (bekräfta)", "(tf.)", "(ersättare)".
_ANNOTATION = re.compile(r"\s*\((?:[a-zåäö][\wåäö .\-]*)\)")
_LABEL_VALUE = re.compile(r"^(?i:namnförtydligande|namn)\s*:\s*(?P<value>.+)$")
_PLACE = r"[A-ZÅÄÖ][\wåäö\-]+(?:[ ][A-ZÅÄÖ][\wåäö\-]+){0,2}"
_SIGNED = re.compile(
    rf"^(?:(?i:ort\s+och\s+datum|datum\s+och\s+ort|undertecknat|undertecknad|signerat|"
    rf"underskrivet)\s*[:.]?\s*)?(?:(?i:i)\s+)?(?P<place>{_PLACE})\s*[,:]?\s+(?i:den\s+)?"
    rf"(?P<date>{DATE})\s*\.?$")
_DATE_ONLY = re.compile(rf"^(?:(?i:datum)\s*:?\s*)?(?P<date>{DATE})\s*$")
_PLACE_ONLY = re.compile(rf"^(?i:ort)\s*:\s*(?P<place>{_PLACE})\s*$")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÅÄÖÉ][a-zåäöéüA-ZÅÄÖ'’]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?|[A-ZÅÄÖ]\.)$")
_SIGNED_BY = re.compile(r"undertecknas\s+(?:av|för)\s+(?P<body>[^.]{5,300})\.", re.IGNORECASE)
_NOT_NAME_WORDS = {"kommun", "kommunen", "stad", "polisen", "polismyndigheten", "region",
                   "bilaga", "samverkansöverenskommelse", "överenskommelse", "sida", "för",
                   "och", "datum", "ort", "underskrift", "namnförtydligande", "lokalpolisområde",
                   "polisområde", "kommunstyrelsen", "innehåll", "bakgrund", "syfte"}


@dataclass
class SignatoryFinding:
    name: str | None = None
    title: str | None = None
    organisation: str | None = None
    lines: list[Line] = field(default_factory=list)
    inferred_org: bool = False
    confidence: float = 0.9
    column: int = 0
    marked: bool = False  # the name carries "(bekräfta)": the drafter asked to confirm it


@dataclass
class SigningFinding:
    place: str | None = None
    date: str | None = None
    line: Line | None = None
    uncertain: bool = False
    confidence: float = 0.0
    signatories: list[SignatoryFinding] = field(default_factory=list)
    zone: tuple[int, int] | None = None  # stream span of the signature lines
    from_sentence: bool = False


# Words that stand before a date without being a place: "Reviderad 2023-01-15", "Dnr …".
_NOT_PLACE = re.compile(
    r"^(?:datum|version|dnr|diarienummer|antagen|antagits|utskriven|giltig|gäller|senast|sida|"
    r"beslut|protokoll|utgåva|rev|reviderad|beslutad|upprättad|daterad|uppdaterad|fastställd|"
    r"undertecknad|godkänd|\w+(?<!st)(?:ad|ade|ades|lld|ts))$", re.IGNORECASE)


def _is_place(place: str) -> bool:
    if register.lookup(place):
        return True
    words = place.split()
    if any(w.lower() in _NOT_NAME_WORDS or w.lower() in tx.FUNCTION_WORDS for w in words):
        return False
    return not _NOT_PLACE.match(words[0])


def _fuzzy_label(phrase: str) -> str | None:
    """The label a phrase spells, allowing OCR slips in long ones ("Namnförtydligaride")."""
    if phrase in _LABEL_KINDS:
        return phrase
    if len(phrase) < 8:
        return None
    for label in _LABEL_KINDS:
        # fuzz.ratio is difflib's ratio() with the longest common subsequence for its
        # matches (never lower; the same decision at this threshold for every phrase of the
        # gold files and the bench corpus), some thirty times faster.
        if len(label) >= 8 and fuzz.ratio(phrase, label, score_cutoff=85) >= 85:
            return label
    return None


# Cells are per document (names, titles, OCR variants), so these caches are bounded. The
# hits are repeats within one document (typed_rows() runs several times over the same
# signature rows, split_merged() classifies its segments) and boilerplate shared between
# documents ("Kommunstyrelsens ordförande"); a document has well under a hundred distinct
# cells, so 4,096 keeps dozens of documents' worth (a few MB at most).
_CELL_CACHE = 4096


@lru_cache(maxsize=_CELL_CACHE)
def label_row(cell: str) -> tuple[str | None, ...] | None:
    """What each label of a cell made only of labels asks for ("Titel Titel" -> title, title).

    None when the cell holds anything but labels and OCR specks ("Underskrift 3 Underskrift").
    """
    tokens = re.sub(r"[^\wåäöÅÄÖ ]", " ", cell).lower().split()
    kinds: list[str | None] = []
    noise = 0
    position = 0
    while position < len(tokens):
        for size in (3, 2, 1):
            if position + size > len(tokens):
                continue
            label = _fuzzy_label(" ".join(tokens[position:position + size]))
            if label is not None:
                kinds.append(_LABEL_KINDS[label])
                position += size
                break
        else:
            if len(tokens[position]) > 3:
                return None
            noise += 1
            position += 1
    return tuple(kinds) if kinds and noise <= len(kinds) else None


@lru_cache(maxsize=_CELL_CACHE)
def classify(cell: str) -> str:
    """One of dash, label, signing, org, title, name, other.

    typed_rows() adds "place" (a value over a place label) and "joined" (a line appended
    to the organisation above it) from the rows around a cell.
    """
    cell = cell.strip()
    if not cell:
        return "other"
    if is_dash_line(cell):
        return "dash"
    if _LABEL.match(cell) or label_row(cell):
        return "label"
    if _LABEL_VALUE.match(cell):
        return "name"
    signed = _SIGNED.match(cell)
    if signed and _is_place(signed.group("place")) or _DATE_ONLY.match(cell):
        return "signing"
    words = cell.split()
    if len(words) > 8 or tx.ends_sentence(cell) and len(words) > 4:
        return "other"
    # Signature cells start with a capital ("2:e vice ordförande …" and "vice …" are titles)
    # and do not run on into the next line.
    if not (cell[0].isupper() or _TITLE_START.match(cell)) or cell.endswith((",", ";")) or \
            tx.last_word(cell) in tx.FUNCTION_WORDS:
        return "other"
    if _TITLE.search(cell) and len(words) <= 8:
        return "title"
    if _ORG.match(cell.rstrip(",")):
        return "org"
    if 2 <= len(words) <= 8 and all(_NAME_TOKEN.match(w) for w in words) and \
            not any(w.lower().strip(".") in _NOT_NAME_WORDS for w in words) and \
            not register.lookup(cell):
        return "name"
    return "other"


def _clean_cell(cell: str) -> str:
    """A cell without OCR specks at its edges ('"Tibro kommun') or for a space ("Thomas.Ek")."""
    cell = _ANNOTATION.sub("", cell).strip().strip("\"'“”„|")
    cell = re.sub(r"(?<=[a-zåäö])\.(?=[A-ZÅÄÖ][a-zåäö])", " ", cell)
    cell = re.sub(r"(?<=\w) -(?=[A-ZÅÄÖ][a-zåäö])", " ", cell)  # "Johanna -Persson"
    # "Johan Petersson." / "Lappland.": a full stop after a short cell is a speck, not the
    # end of an abbreviation ("ordf.").
    if len(cell.split()) <= 3 and re.search(r"[a-zåäö]{5}\.$", cell):
        cell = cell[:-1]
    return cell


def _cells(line: Line) -> list[tuple[int, str]]:
    if is_column_line(line):
        return [(offset, _clean_cell(cell)) for offset, cell in line.cells()]
    lead = len(line.raw) - len(line.raw.lstrip())
    text = _clean_cell(line.text)
    merged = split_merged(text)
    if merged:
        # OCR collapses the gap between side-by-side cells to one space.
        positions, cursor = [], lead
        for part in merged:
            positions.append((cursor, part))
            cursor += len(part) + 20
        return positions
    return [(lead, text)]


_ORG_OR_TITLE_HINT = re.compile(r"kommun|[Pp]olis|Stad|Region|LPO|" + _TITLE.pattern)


def _compositions(count: int, parts: int) -> list[list[int]]:
    """Ways to cut `count` tokens into `parts` non-empty runs (as run lengths)."""
    if parts == 1:
        return [[count]]
    found: list[list[int]] = []
    for first in range(1, count - parts + 2):
        found.extend([first, *rest] for rest in _compositions(count - first, parts - 1))
    return found


@lru_cache(maxsize=_CELL_CACHE)
def split_merged(cell: str) -> tuple[str, ...] | None:
    """Side-by-side organisations or titles run together on one line, split into cells.

    "Trelleborgs kommun Polisen" -> ["Trelleborgs kommun", "Polisen"];
    "Kommunstyrelsens ordförande Lokalpolisområdeschef" -> two titles. Names are split
    later, when the other rows show how many columns there are.
    """
    tokens = cell.split()
    if len(tokens) < 2 or len(tokens) > 8 or not _ORG_OR_TITLE_HINT.search(cell):
        return None
    kind = classify(cell)
    if kind == "signing":
        return None
    if kind != "other" and not (kind == "title" and len(_TITLE.findall(cell)) >= 2):
        return None
    for parts in (2, 3, 4):
        if parts > len(tokens):
            break
        for lengths in _compositions(len(tokens), parts):
            segments, position = [], 0
            for length in lengths:
                segments.append(" ".join(tokens[position:position + length]))
                position += length
            kinds = {classify(segment) for segment in segments}
            if len(kinds) == 1 and kinds <= {"org", "title"}:
                return tuple(segments)
    return None


def _split_names(cell: str, parts: int) -> list[str]:
    """A row of names run together: cut where the parts are most alike in length."""
    tokens = cell.split()
    best: list[str] | None = None
    best_spread = 0
    for lengths in _compositions(len(tokens), parts):
        if min(lengths) < 2:
            continue
        segments, position = [], 0
        for length in lengths:
            segments.append(" ".join(tokens[position:position + length]))
            position += length
        spread = max(map(len, segments)) - min(map(len, segments))
        if best is None or spread < best_spread:
            best, best_spread = segments, spread
    return best or [cell]


Row = tuple[Line, list[tuple[int, str, str]]]  # a content line and its typed cells

_SIGNED_ANY = re.compile(rf"(?P<place>{_PLACE})\s*,?\s+(?i:den\s+)?(?P<date>{DATE})")
_MUNICIPAL_ORG = re.compile(r"^(?:(?i:för)\s+)?(?:[A-ZÅÄÖ][\wåäö-]+\s+){1,2}(?:kommun|[Ss]tad)\b")
_POLICE_ORG = re.compile(r"^(?:(?i:för)\s+)?(?:Polismyndigheten|Polisen)"
                         r"(?:,?\s+(?:[Ll]okal)?[Pp]olisområde\s+(?P<area>.+))?")
_OPEN_ORG = re.compile(r"(?:[Ll]okal)?[Pp]olisområde,?$|Polismyndigheten,$|"
                       r"(?:[Ll]okal)?[Pp]olisområde\s+(?i:norra|södra|östra|västra|mellersta)$")


def split_org_place(cell: str) -> tuple[str, str] | None:
    """"Orsa kommun Mora" -> ("Orsa kommun", "Mora"): an organisation run into the place
    written under it (DOCX cells, one paragraph after the other)."""
    found = _MUNICIPAL_ORG.match(cell)
    if found:
        org, rest = found.group(0), cell[found.end():]
    else:
        found = _POLICE_ORG.match(cell)
        if not found:
            return None
        if found.group("area"):
            area = parties.police_name(found.group("area"))
            org = cell[:found.start("area")] + area
            rest = found.group("area")[len(area):]
        else:
            org, rest = found.group(0), cell[found.end():]
    rest = rest.strip(" ,")
    if not rest or not (_SIGNED_ANY.fullmatch(rest) or _is_place_value(rest)):
        return None
    return org.strip(), rest


def _is_place_value(cell: str) -> bool:
    return bool(re.fullmatch(_PLACE, cell)) and _is_place(cell)


def _split_places(cell: str, parts: int) -> list[str] | None:
    """"Mora Mora" or two "Ort den 1 maj 2024" run together, cut into `parts` values."""
    signed = [match.group(0) for match in _SIGNED_ANY.finditer(cell)]
    if len(signed) == parts and len("".join(signed)) >= len(cell.replace(" ", "")) - parts:
        return signed
    tokens = cell.split()
    if len(tokens) % parts:
        return None
    size = len(tokens) // parts
    pieces = [" ".join(tokens[i * size:(i + 1) * size]) for i in range(parts)]
    return pieces if all(_is_place_value(piece) for piece in pieces) else None


def _wanted(typed: list[tuple[int, str, str]]) -> list[str | None] | None:
    """What a row made only of labels asks for, one entry per label."""
    if not typed or any(kind != "label" for _, _, kind in typed):
        return None
    wants: list[str | None] = []
    for _, cell, _ in typed:
        row = label_row(cell)
        wants.extend(row if row else [_LABEL_KINDS.get(cell.lower().strip(" :"))])
    return wants


def _by_label(typed: list[tuple[int, str, str]], wants: list[str | None]
              ) -> list[tuple[int, str, str]]:
    """Read the cells above a row of labels as what the labels ask for.

    Forms print the value above its label: "Mora" over "Ort och datum", "Maria Olsson"
    over "Namnförtydligande". Names and titles are given only to unclassified cells; over
    a place label a row is also cut into its places ("Mora Mora") and an organisation run
    into its place ("Orsa kommun Mora") is split.
    """
    kinds = {want for want in wants if want}
    if len(kinds) != 1:
        return typed
    want = kinds.pop()
    count = len(wants)
    if want == "place":
        if len(typed) == 1 and count > 1 and typed[0][2] in ("other", "signing", "name"):
            pieces = _split_places(typed[0][1], count)
            if pieces:
                offset = typed[0][0]
                return [(offset + 20 * i, piece, "signing" if _SIGNED_ANY.fullmatch(piece)
                         else "place") for i, piece in enumerate(pieces)]
        out = []
        for offset, cell, kind in typed:
            split = split_org_place(cell) if kind in ("other", "org", "signing") else None
            if split:
                out.append((offset, split[0], "org"))
                out.append((offset + len(split[0]) + 1, split[1],
                            "signing" if _SIGNED_ANY.fullmatch(split[1]) else "place"))
            elif kind in ("other", "name") and _is_place_value(cell):
                out.append((offset, cell, "place"))
            else:
                out.append((offset, cell, kind))
        return out
    if len(typed) != count:
        return typed
    out = []
    for offset, cell, kind in typed:
        words = cell.split()
        if kind == "other" and 1 <= len(words) <= 8 and cell[:1].isupper() and \
                not tx.ends_sentence(cell):
            kind = want
        out.append((offset, cell, kind))
    return out


def typed_rows(doc: Document) -> list[Row]:
    """Every content line with its cells classified, labels applied to the values above."""
    if "signature_rows" in doc.memo:
        return doc.memo["signature_rows"]
    cells = [(line, _cells(line)) for line in doc.content]
    joined = _join_wrapped_cells(cells)
    rows: list[Row] = [(line, [(offset, cell, "joined" if (number, index) in joined
                                else classify(cell))
                               for index, (offset, cell) in enumerate(found)])
                       for number, (line, found) in enumerate(cells)]
    result: list[Row] = []
    for number, (line, typed) in enumerate(rows):
        wants = _wanted(rows[number + 1][1]) if number + 1 < len(rows) else None
        if wants and _wanted(typed) is None:
            typed = _by_label(typed, wants)
        result.append((line, typed))
    # A bare municipality name among signature rows ("Mora kommun" / "Mora" / "Orsa kommun")
    # is the place written in a block whose label OCR has moved away.
    for number, (line, typed) in enumerate(result):
        if len(typed) == 1 and typed[0][2] == "other" and register.lookup(typed[0][1]) and \
                len(typed[0][1].split()) <= 2:
            around = [cell[2] for row in result[max(0, number - 1):number + 2]
                      if row[0] is not line for cell in row[1]]
            if any(kind in ("org", "label", "signing", "place") for kind in around):
                result[number] = (line, [(typed[0][0], typed[0][1], "place")])
    doc.memo["signature_rows"] = result
    return result


def _join_wrapped_cells(rows: list[tuple[Line, list[tuple[int, str]]]]) -> set[tuple[int, int]]:
    """Join a signature cell wrapped onto the next row of its own column, in place.

    "2:e vice ordförande i" over "kommunstyrelsen", "Polismyndigheten, lokalpolisområde" over
    "Sollentuna": the continuation stands at the same offset (blocks side by side) or alone
    on the next line. Returns the (row, cell) positions that were joined into the row above.
    """
    joined: set[tuple[int, int]] = set()
    for number in range(len(rows) - 1):
        here, below = rows[number][1], rows[number + 1][1]
        for index, (offset, cell) in enumerate(here):
            open_org = bool(_OPEN_ORG.search(cell))
            if not (open_org or tx.last_word(cell) in tx.FUNCTION_WORDS and
                    (len(here) > 1 or len(below) > 1)):
                continue
            for position, (other, text) in enumerate(below):
                near = abs(other - offset) <= 6 or len(below) == 1 and (
                    len(here) == 1 or open_org and index == len(here) - 1)
                fits = re.fullmatch(_PLACE, text) if open_org else text[:1].islower()
                if near and fits and (number + 1, position) not in joined:
                    here[index] = (offset, f"{cell} {text}")
                    joined.add((number + 1, position))
                    break
    return joined


def find_signing_place_date(doc: Document) -> SigningFinding:
    found = SigningFinding()
    candidates: list[tuple[str | None, str, Line]] = []
    place_only: tuple[str, Line, float] | None = None
    rows = typed_rows(doc)
    for number, (line, typed) in enumerate(rows):
        for _, cell, kind in typed:
            match = _SIGNED.match(cell) or (_SIGNED_ANY.fullmatch(cell) if kind == "signing"
                                            else None)
            if match and _is_place(match.group("place")):
                value = parse_date(match.group("date"))
                if value:
                    candidates.append((match.group("place"), value, line))
                continue
            match = _DATE_ONLY.match(cell)
            if match:
                value = parse_date(match.group("date"))
                if value and _near_signature(rows, number):
                    candidates.append((None, value, line))
                continue
            match = _PLACE_ONLY.match(cell)
            if match:
                place_only = (match.group("place"), line, 0.6)
            elif kind == "place" and place_only is None:
                place_only = (cell, line, 0.8)
    if not candidates:
        if place_only:
            found.place, found.line, found.confidence = place_only
        return found
    with_place = [c for c in candidates if c[0]]
    pool = with_place or candidates
    latest = max(pool, key=lambda c: c[1])
    found.place = latest[0] or (place_only[0] if place_only else None)
    found.date = latest[1]
    found.line = latest[2]
    found.uncertain = len({c[1] for c in pool}) > 1 or len({c[0] for c in pool}) > 1
    found.confidence = 0.9 if not found.uncertain and found.place else 0.6
    return found


def _near_signature(rows: list[Row], position: int) -> bool:
    """A bare date counts as the signing date only beside signature lines."""
    window = rows[max(0, position - 3): position + 5]
    return any(kind in ("dash", "title", "label") for other, typed in window
               if other is not rows[position][0] for _, _, kind in typed)


_BLOCK_KINDS = ("org", "title", "name", "dash")


def _signature_lines(doc: Document) -> list[list[Row]]:
    """Clusters of consecutive lines made only of signature cells (org, title, name, dash)."""
    clusters: list[list[Row]] = []
    current: list[Row] = []
    for line, typed in typed_rows(doc):
        marker, _ = tx.strip_marker(line.text)
        if marker is None and all(kind != "other" for _, _, kind in typed):
            kept = [cell for cell in typed if cell[2] in _BLOCK_KINDS]
            if kept:
                current.append((line, kept))
            continue
        if current:
            clusters.append(current)
        current = []
    if current:
        clusters.append(current)
    useful = []
    for cluster in clusters:
        kinds = [kind for _, typed in cluster for _, _, kind in typed]
        has_title = "title" in kinds
        has_name = "name" in kinds
        if (has_title and (has_name or "org" in kinds or "dash" in kinds or len(kinds) >= 2)) or \
                (has_name and ("dash" in kinds or "org" in kinds)):
            useful.append(cluster)
    return useful


def _columns(cluster: list[Row]) -> list[list[tuple[str, str, Line]]]:
    width = max(len(typed) for _, typed in cluster)
    single = sum(1 for _, typed in cluster if len(typed) == 1)
    if width > 1 and single > len(cluster) - single and \
            not any(is_column_line(line) for line, _ in cluster):
        # Cells serialised one per line, a few rows run together ("Mora kommun Orsa kommun"):
        # read them in order as one stream (org, org, name, name, title, title); a row of
        # names run together is cut into as many names as the widest row has cells.
        return [[(kind, name, line) for line, typed in cluster for _, cell, kind in typed
                 for name in (_split_names(cell, width) if kind == "name" and
                              len(cell.split()) >= 2 * width else [cell])]]
    if width > 1:
        cluster = [_split_name_row(line, typed, width) for line, typed in cluster]
    if width == 1:
        return [[(kind, cell, line) for line, typed in cluster for _, cell, kind in typed]]
    full = [typed for _, typed in cluster if len(typed) == width]
    anchors = [sum(typed[i][0] for typed in full) / len(full) for i in range(width)]
    columns: list[list[tuple[str, str, Line]]] = [[] for _ in range(width)]
    for line, typed in cluster:
        if len(typed) == width:
            for i, (_, cell, kind) in enumerate(typed):
                columns[i].append((kind, cell, line))
            continue
        for offset, cell, kind in typed:
            if kind == "signing" and len(typed) == 1:
                continue
            nearest = min(range(width), key=lambda i: abs(anchors[i] - offset))
            columns[nearest].append((kind, cell, line))
    return columns


def _split_name_row(line: Line, typed: list[tuple[int, str, str]], width: int
                    ) -> tuple[Line, list[tuple[int, str, str]]]:
    if len(typed) != 1 or typed[0][2] != "name" or len(typed[0][1].split()) < 2 * width:
        return line, typed
    names = _split_names(typed[0][1], width)
    if len(names) != width:
        return line, typed
    return line, [(typed[0][0] + 20 * i, name, "name") for i, name in enumerate(names)]


def _runs(items: list[tuple[str, str, Line]]) -> list[list[tuple[str, str, Line]]]:
    runs: list[list[tuple[str, str, Line]]] = []
    for item in items:
        if runs and runs[-1][0][0] == item[0]:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _blocks(items: list[tuple[str, str, Line]]) -> list[SignatoryFinding]:
    items = [item for item in items if item[0] in ("org", "title", "name", "dash")]
    content_runs = [run for run in _runs(items) if run[0][0] != "dash"]
    # Serialised side-by-side cells: org, org, name, name, title, title (a band per row of
    # blocks; a kind coming back starts the next row of blocks).
    bands: list[list[list[tuple[str, str, Line]]]] = []
    for run in content_runs:
        if not bands or run[0][0] in {other[0][0] for other in bands[-1]}:
            bands.append([])
        bands[-1].append(run)
    if content_runs and any(len(band[0]) >= 2 for band in bands) and all(
            len(band) >= 2 and len({len(run) for run in band}) == 1 for band in bands):
        zipped = []
        for band in bands:
            for i in range(len(band[0])):
                block = SignatoryFinding()
                for run in band:
                    _assign(block, run[i][0], run[i][1], run[i][2])
                zipped.append(block)
        return zipped
    blocks: list[SignatoryFinding] = []
    current = SignatoryFinding()
    # "För Marks kommun" above the name, or "Marks kommun" under the title: the first block
    # tells which layout the page uses.
    org_first = next((kind for kind, _, _ in items if kind != "dash"), None) == "org"

    def close() -> None:
        nonlocal current
        if current.name or current.title:
            blocks.append(current)
        elif current.organisation and blocks and not blocks[-1].organisation:
            blocks[-1].organisation = current.organisation
        current = SignatoryFinding()

    for kind, cell, line in items:
        if kind == "dash":
            if current.name or current.title:
                close()
            continue
        has = {"org": current.organisation, "title": current.title, "name": current.name}
        if has[kind]:
            close()
        elif kind == "org" and (current.name or current.title) and org_first:
            close()  # this layout puts the organisation above each block
        _assign(current, kind, cell, line)
    close()
    return blocks


def _assign(block: SignatoryFinding, kind: str, cell: str, line: Line) -> None:
    cell = cell.strip().rstrip(",")
    if kind == "org":
        block.organisation = re.sub(r"^(?i:för)\s+", "", cell)
    elif kind == "title":
        block.title = tx.capitalise(cell)
    elif kind == "name":
        value = _LABEL_VALUE.match(cell)
        block.name = value.group("value").strip() if value else cell
    block.lines.append(line)


def _split_title(cell: str) -> tuple[str, str | None]:
    """"Kommunstyrelsens ordförande, Marks kommun" -> (title, organisation)."""
    parts = re.split(r",\s*|\s+(?:i|för|vid)\s+(?=[A-ZÅÄÖ])|\s+(?=(?:LPO|[Ll]okalpolisområde|"
                     r"[Pp]olisområde)\s)", cell, maxsplit=1)
    if len(parts) == 2 and (_ORG.match(parts[1]) or register.lookup(parts[1])):
        return parts[0], parts[1]
    return cell, None


def _from_sentence(doc: Document, police_label: str, municipality_labels: list[str]
                   ) -> tuple[list[SignatoryFinding], tuple[int, int] | None]:
    match = _SIGNED_BY.search(doc.stream)
    if not match:
        return [], None
    body = re.sub(r"\s+", " ", match.group("body"))
    parts = re.split(r",\s*|\s+(?:och|samt)\s+(?:av\s+|för\s+)?", body)
    found = []
    for part in parts:
        part = part.strip()
        if not _TITLE.search(part):
            continue
        title_match = re.match(r"(?P<title>.*?\b\w*(?:chef|ordförande|direktör|råd|mästare|"
                               r"polis|sekreterare|samordnare)\w*)(?P<rest>.*)$", part,
                               re.IGNORECASE)
        title = title_match.group("title") if title_match else part
        rest = (title_match.group("rest") if title_match else "").strip()
        rest = re.sub(r"^(?:i|för|vid|inom)\s+", "", rest)
        police = bool(re.search(r"polis", title, re.IGNORECASE))
        organisation: str | None
        if police:
            organisation = police_label
        elif rest and (register.lookup(rest) or _ORG.match(rest)):
            organisation = rest
        else:
            organisation = municipality_labels[0] if municipality_labels else None
        if police and rest and not register.lookup(rest) and not rest[:1].isupper():
            rest = ""
        block = SignatoryFinding(name=None, title=tx.capitalise(title.strip()),
                                 organisation=organisation, confidence=0.7,
                                 inferred_org=organisation is None)
        found.append(block)
    return found, match.span()


def _repair_org(organisation: str, municipality_labels: list[str]) -> str:
    """An OCR-damaged party name ("Älvdaleris kommun") read as the party it is closest to."""
    found = re.fullmatch(r"(?:\S+ ){1,2}(?:kommun|[Ss]tad)", organisation)
    if not found or register.lookup(organisation) or not municipality_labels:
        return organisation
    written = organisation.lower()
    best = max(municipality_labels, key=lambda label: fuzz.ratio(label.lower(), written))
    close = fuzz.ratio(best.lower(), written) >= 85
    return best if close else organisation


def find_signatories(doc: Document, police_label: str,
                     municipality_labels: list[str]) -> tuple[list[SignatoryFinding],
                                                              tuple[int, int] | None, bool]:
    """Signature blocks in document order; (blocks, stream span, read from a sentence)."""
    blocks: list[SignatoryFinding] = []
    span: tuple[int, int] | None = None
    for cluster in _signature_lines(doc):
        found = []
        for number, column in enumerate(_columns(cluster)):
            for block in _blocks(column):
                block.column = number
                found.append(block)
        # Reading order: row by row, left to right.
        found.sort(key=lambda b: (b.lines[0].index if b.lines else 0, b.column))
        blocks.extend(found)
        start = doc.stream_offset(cluster[0][0])
        last = cluster[-1][0]
        end = doc.stream_offset(last) + len(last.text)
        span = (span[0], end) if span else (start, end)
    blocks = [b for b in blocks if b.name or b.title]
    from_sentence = False
    if not blocks or not any(b.name for b in blocks):
        sentence_blocks, sentence_span = _from_sentence(doc, police_label, municipality_labels)
        if sentence_blocks and len(sentence_blocks) >= len(blocks):
            blocks, span, from_sentence = sentence_blocks, sentence_span, True
    municipal_index = 0
    for block in blocks:
        if block.name and re.search(rf"{re.escape(block.name)}\s*\(\s*bekräfta\s*\)", doc.stream,
                                    re.IGNORECASE):
            block.marked = True
        if block.title:
            title, org = _split_title(block.title)
            if org:
                block.title = tx.capitalise(title)
                if not block.organisation:
                    block.organisation = org
                elif re.fullmatch(r"Polis(?:en|myndigheten)", block.organisation) and \
                        re.search(r"polisområde|LPO", org, re.IGNORECASE):
                    block.organisation = f"Polismyndigheten, {org}"
        if block.organisation:
            block.organisation = _repair_org(block.organisation, municipality_labels)
            if not re.search(r"polis|lpo", block.organisation, re.IGNORECASE):
                municipal_index += 1
            continue
        block.inferred_org = True
        block.confidence = min(block.confidence, 0.7)
        if block.title and re.search(r"polis", block.title, re.IGNORECASE):
            block.organisation = police_label
        elif municipality_labels:
            block.organisation = municipality_labels[min(municipal_index,
                                                         len(municipality_labels) - 1)]
            municipal_index += 1
    return blocks[:8], span, from_sentence


def signature_span(doc: Document) -> tuple[int, int] | None:
    """Stream span of the signature lines (for weighing organisation names found there)."""
    clusters = _signature_lines(doc)
    if not clusters:
        return None
    first, last = clusters[0][0][0], clusters[-1][-1][0]
    return doc.stream_offset(first), doc.stream_offset(last) + len(last.text)
