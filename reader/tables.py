"""Activity tables in appendices: Aktivitet | Åtgärd | Uppföljning | Mål.

Tab-separated rows (DOCX) and rows whose cells stand apart by runs of spaces (layout PDF
text) are read cell by cell. Serialised cells (each cell a paragraph, as plain PDF text
extraction gives them) are grouped into rows that end with the goal ("… ska minska").
"""

from __future__ import annotations

import re

from samverkan.docgen.model import Activity
from samverkan.reader.layout import Block
from samverkan.reader.sections import is_appendix_heading

_HEADER_WORDS = re.compile(r"\b(aktivitet(?:er)?|åtgärd(?:er)?|uppföljning|mål(?:/effekt)?|"
                           r"effekt|ansvarig|ansvar|tidsplan|tid)\b", re.IGNORECASE)
_GOAL = re.compile(r"\bska\b|\bskall\b|\bminska|\böka\b|\bnoll\b|\binga?\b", re.IGNORECASE)


def is_table_header(text: str) -> bool:
    words = {m.group(1).lower() for m in _HEADER_WORDS.finditer(text)}
    return len(words) >= 2 and len(text.split()) <= 8 and any(w.startswith("aktivitet")
                                                              for w in words)


def _activity(cells: list[str], header: list[str | None]) -> Activity | None:
    cells = [re.sub(r"\s+", " ", cell).strip() for cell in cells]
    if not cells or not cells[0]:
        return None
    named = {name: cell for name, cell in zip(header[1:], cells[1:], strict=False)
             if cell and name}
    return Activity(aktivitet=named.get("aktivitet", cells[0]), atgard=named.get("atgard"),
                    uppfoljning=named.get("uppfoljning"), mal=named.get("mal"))


def _header_keys(text: str) -> list[str | None]:
    """Model field per column, None for columns the model has no field for (Ansvarig)."""
    keys: list[str | None] = []
    for match in _HEADER_WORDS.finditer(text):
        word = match.group(1).lower()
        key = ("aktivitet" if word.startswith("aktivitet") else
               "atgard" if word.startswith("åtgärd") else
               "uppfoljning" if word.startswith("uppföljning") else
               "mal" if word.startswith(("mål", "effekt")) else None)
        if key is None or key not in keys:
            keys.append(key)
    return keys


def find_activities(blocks: list[Block]) -> dict[int, list[Activity]]:
    """Activities per table, keyed by the block index of the table header."""
    tables: dict[int, list[Activity]] = {}
    for index, block in enumerate(blocks):
        if not is_table_header(block.text):
            continue
        header = _header_keys(block.text)
        rows: list[Activity] = []
        position = index + 1
        pending: list[str] = []
        while position < len(blocks):
            current = blocks[position]
            if is_table_header(current.text) or current.heading_like and not pending and rows:
                break
            if is_appendix_heading(current) or (current.heading_like and current.marker
                                                 and current.marker[0].isdigit()):
                break
            raw = current.first.raw
            if "\t" in raw or current.kind == "columns":
                cells = [c for c in re.split(r"\t|\s{3,}", raw.strip())]
                activity = _activity(cells, header)
                if activity:
                    rows.append(activity)
            else:
                pending.append(current.text)
                if len(pending) >= 3 and _GOAL.search(current.text):
                    cells = [pending[0], pending[1], ", ".join(pending[2:-1]) or None,
                             pending[-1]]
                    activity = _activity([c or "" for c in cells], header)
                    if activity:
                        rows.append(activity)
                    pending = []
            position += 1
            if position - index > 80:
                break
        if rows:
            tables[index] = rows
    return tables
