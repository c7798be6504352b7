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
from difflib import SequenceMatcher
from functools import cache

from docgen import municipalities as register
from reader import text as tx
from reader.layout import Document, Line, is_column_line, is_dash_line
from reader.period import DATE, parse_date

_TITLE = re.compile(
    r"(?i:(?:chef|ordförande|direktör|kommunalråd|oppositionsråd|mästare|kommissarie|"
    r"sekreterare|samordnare|strateg|kommunpolis|inspektör|intendent|ansvarig|"
    r"förvaltningschef|stadsdirektör|borgmästare|ledamot|handläggare)(?:en|n)?)\b")
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
        if len(label) >= 8 and SequenceMatcher(None, phrase, label).ratio() >= 0.85:
            return label
    return None


@cache
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
            if len(tokens[position]) > 2:
                return None
            noise += 1
            position += 1
    return tuple(kinds) if kinds and noise <= len(kinds) else None


@cache
def classify(cell: str) -> str:
    """One of dash, label, signing, org, title, name, other."""
    cell = cell.strip()
    if not cell:
        return "other"
    if is_dash_line(cell):
        return "dash"
    if _LABEL.match(cell) or label_row(cell):
        return "label"
    if _LABEL_VALUE.match(cell):
        return "name"
    if _SIGNED.match(cell) or _DATE_ONLY.match(cell):
        return "signing"
    words = cell.split()
    if len(words) > 8 or tx.ends_sentence(cell) and len(words) > 4:
        return "other"
    # Signature cells start with a capital and do not run on into the next line.
    if not cell[0].isupper() or cell.endswith((",", ";")) or tx.last_word(cell) in tx.FUNCTION_WORDS:
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


def _cells(line: Line) -> list[tuple[int, str]]:
    if is_column_line(line):
        return [(offset, _ANNOTATION.sub("", cell)) for offset, cell in line.cells()]
    lead = len(line.raw) - len(line.raw.lstrip())
    text = _ANNOTATION.sub("", line.text)
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
    found = []
    for first in range(1, count - parts + 2):
        found.extend([first, *rest] for rest in _compositions(count - first, parts - 1))
    return found


@cache
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


def find_signing_place_date(doc: Document) -> SigningFinding:
    found = SigningFinding()
    candidates: list[tuple[str | None, str, Line]] = []
    place_only: str | None = None
    for line in doc.content:
        for _, cell in _cells(line):
            match = _SIGNED.match(cell)
            if match and _is_place(match.group("place")):
                value = parse_date(match.group("date"))
                if value:
                    candidates.append((match.group("place"), value, line))
                continue
            match = _DATE_ONLY.match(cell)
            if match and (cell.lower().startswith("datum") or len(doc.content) > 0):
                value = parse_date(match.group("date"))
                if value and _near_signature(doc, line):
                    candidates.append((None, value, line))
                continue
            match = _PLACE_ONLY.match(cell)
            if match:
                place_only = match.group("place")
    if not candidates:
        if place_only:
            found.place = place_only
            found.confidence = 0.6
        return found
    with_place = [c for c in candidates if c[0]]
    pool = with_place or candidates
    latest = max(pool, key=lambda c: c[1])
    found.place = latest[0] or place_only
    found.date = latest[1]
    found.line = latest[2]
    found.uncertain = len({c[1] for c in pool}) > 1 or len({c[0] for c in pool}) > 1
    found.confidence = 0.9 if not found.uncertain and found.place else 0.6
    return found


def _near_signature(doc: Document, line: Line) -> bool:
    """A bare date counts as the signing date only beside signature lines."""
    content = doc.content
    position = next((i for i, other in enumerate(content) if other is line), None)
    if position is None:
        return False
    window = content[max(0, position - 3): position + 5]
    return any(classify(cell) in ("dash", "title", "label") for other in window
               for _, cell in _cells(other) if other is not line)


def _signature_lines(doc: Document) -> list[list[tuple[Line, list[tuple[int, str, str]]]]]:
    """Clusters of consecutive lines made only of signature cells."""
    clusters: list[list[tuple[Line, list[tuple[int, str, str]]]]] = []
    current: list[tuple[Line, list[tuple[int, str, str]]]] = []
    for line in doc.content:
        marker, _ = tx.strip_marker(line.text)
        typed = [(offset, cell, classify(cell)) for offset, cell in _cells(line)]
        if marker is None and all(kind != "other" for _, _, kind in typed):
            current.append((line, typed))
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


def _columns(cluster: list[tuple[Line, list[tuple[int, str, str]]]]
             ) -> list[list[tuple[str, str, Line]]]:
    width = max(len(typed) for _, typed in cluster)
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
    lengths = {len(run) for run in content_runs}
    # Serialised side-by-side cells: org, org, name, name, title, title.
    if len(lengths) == 1 and lengths.pop() >= 2 and len(content_runs) >= 2:
        size = len(content_runs[0])
        zipped = []
        for i in range(size):
            block = SignatoryFinding()
            for run in content_runs:
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
