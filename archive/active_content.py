"""Active content in a PDF: scripts, actions and embedded files a viewer may run or open.

The archive keeps every original byte for byte, so a PDF with JavaScript is archived as it
came; but a registrar opening it should know, and the web page should rather show a
rendition without it. This finds what kinds there are (a pure function of the bytes, run in
the analysis workers); intake records them on the version ("filed" event), and the pages
and `samverkan show` warn in Swedish.
"""

from __future__ import annotations

import io
from typing import Any

JAVASCRIPT = "javascript"
OPEN_ACTION = "open_action"
LAUNCH = "launch"
EMBEDDED_FILE = "embedded_file"
ADDITIONAL_ACTIONS = "additional_actions"

# What each kind is, for the registrar (web page, CLI, intake log).
KINDS_SV = {
    JAVASCRIPT: "JavaScript",
    OPEN_ACTION: "en åtgärd som körs när filen öppnas (OpenAction)",
    LAUNCH: "en åtgärd som startar ett program eller öppnar en annan fil (Launch)",
    EMBEDDED_FILE: "inbäddade filer",
    ADDITIONAL_ACTIONS: "automatiska åtgärder vid händelser i dokumentet (AA)",
}
MAX_OBJECTS = 500_000  # a bound on the walk; a PDF with more is not looked at further


def describe_sv(kinds: tuple[str, ...] | list[str]) -> str:
    """One Swedish sentence for a version's warning, e.g. on the agreement page."""
    parts = [KINDS_SV.get(kind, kind) for kind in kinds]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
    return (f"Originalet innehåller aktivt innehåll: {listed}. Det är arkiverat oförändrat, "
            "men öppna det bara om du behöver originalet självt.")


def find_active_content(data: bytes) -> tuple[str, ...]:
    """The kinds of active content in a PDF (sorted); () when there is none, or when the
    bytes are not a PDF that pikepdf can open (extraction judges those)."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:  # broken or encrypted: not this function's to report
        return ()
    with pdf:
        found: set[str] = set()
        _look_at_catalogue(pdf.Root, found)
        _walk(pdf, found)
    return tuple(sorted(found))


def _look_at_catalogue(root: Any, found: set[str]) -> None:
    import pikepdf

    action = root.get("/OpenAction")
    # An OpenAction that only goes to a page (an array, or /S /GoTo) is harmless.
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") != pikepdf.Name.GoTo:
        found.add(OPEN_ACTION)
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.add(JAVASCRIPT)
        if "/EmbeddedFiles" in names:
            found.add(EMBEDDED_FILE)


def _walk(pdf: Any, found: set[str]) -> None:
    """Every dictionary in the file, indirect or nested, each looked at once."""
    import pikepdf

    pending: list[Any] = list(pdf.objects)
    seen: set[tuple[int, int]] = set()
    visited = 0
    while pending and visited < MAX_OBJECTS:
        item = pending.pop()
        visited += 1
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            _look_at(item, found)
            pending.extend(value for _key, value in item.items())
        elif isinstance(item, pikepdf.Array):
            pending.extend(item)


def _look_at(dictionary: Any, found: set[str]) -> None:
    import pikepdf

    kind = dictionary.get("/S")
    if kind == pikepdf.Name.JavaScript or "/JS" in dictionary:
        found.add(JAVASCRIPT)
    elif kind == pikepdf.Name.Launch:
        found.add(LAUNCH)
    if dictionary.get("/Type") == pikepdf.Name.EmbeddedFile or "/EF" in dictionary:
        found.add(EMBEDDED_FILE)
    if "/AA" in dictionary:
        found.add(ADDITIONAL_ACTIONS)
