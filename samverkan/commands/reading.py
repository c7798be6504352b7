"""`samverkan read FILE [--json]`: what the reader recognises in one document.

Text comes from archive.extract (PDF text layer, DOCX, plain text, OCR for scans); the
reader turns it into the agreement record. The summary is Swedish because registrars read
it; unreadable files fail with the file named and exit code 2 (ExitCode.bad_input).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from samverkan.commands.common import InputError, NotFound, emit_json, output_options
from samverkan.docgen.party_labels import party_label

METHOD_SV = {"pdf-text": "PDF-text", "docx": "Word-dokument", "text": "textfil",
             "ocr": "textigenkänning (OCR)"}


def _dash(value: Any) -> str:
    return str(value) if value not in (None, "") else "–"


def summary_sv(record: dict[str, Any], flags: list[str], source: str, method: str) -> str:
    """A readable Swedish summary of a reading (what `samverkan read` prints)."""
    period = record["period"]
    signed = record["signed"]
    end = period["end"] if period["end"] else ("tills vidare" if period["start"] else "–")
    lines = [
        f"Fil: {source} (läst som {METHOD_SV.get(method, method)})",
        f"Kommuner: {', '.join(record['municipalities']) or '–'}",
        f"Polisområde: {_dash(record['police_area'])}",
        f"Period: {_dash(period['start'])} – {end}",
        f"Undertecknad: {_dash(signed['place'])}, {_dash(signed['date'])}",
        "Undertecknare:",
    ]
    for person in record["signatories"] or []:
        lines.append(f"  - {_dash(person['name'])}, {_dash(person['title'])}, "
                     f"{_dash(person['organisation'])}")
    if not record["signatories"]:
        lines.append("  –")
    lines.append(f"Fokusområden ({len(record['focus_areas'])}):")
    lines.extend(f"  - {area}" for area in record["focus_areas"])
    lines.append(f"Åtaganden ({len(record['commitments'])}):")
    lines.extend(f"  - [{party_label(item['party'])}] {item['text']}"
                 for item in record["commitments"])
    if flags:
        lines.append("Att kontrollera:")
        lines.extend(f"  ! {flag}" for flag in flags)
    return "\n".join(lines)


@click.command("read")
@click.argument("file", type=click.Path(path_type=Path), metavar="FIL")
@output_options(answer="posten")
@click.option("--no-ocr", is_flag=True, help="Gör ingen textigenkänning av skannade sidor.")
def read(file: Path, as_json: bool, no_ocr: bool) -> None:
    """Läs en överenskommelse (PDF, DOCX, text eller skanning) och visa vad som känns igen."""
    from samverkan.archive.extract import ExtractionError, extract
    from samverkan.reader import read_pages

    if not file.exists():
        raise NotFound(f"{file}: filen finns inte")
    if file.is_dir():
        raise InputError(f"{file}: är en mapp, inte en fil")
    try:
        extracted = extract(file, ocr=not no_ocr)
    except ExtractionError as error:
        raise InputError(f"{file}: {error.reason}") from None
    if not any(page.strip() for page in extracted.pages):
        raise InputError(f"{file}: ingen text kunde läsas ur filen")
    reading = read_pages(extracted.pages, scanned=extracted.method == "ocr")
    flags = list(reading.flags)
    if extracted.method == "ocr" and not any("(OCR)" in flag for flag in flags):
        flags.append("Texten är läst med textigenkänning (OCR); kontrollera stavning och siffror")
    if extracted.needs_ocr:
        flags.append("Några sidor saknar text och lästes inte (textigenkänning avstängd)")
    if as_json:
        emit_json({**reading.to_json(), "flags": flags, "source": str(file),
                   "method": extracted.method})
        return
    click.echo(summary_sv(reading.record, flags, str(file), extracted.method))


COMMANDS = [read]
