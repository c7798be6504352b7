"""Harder variants of one agreement text, made at test time for the reader's evaluation.

A gold text (tests/reader/gold/README.md) is plain lines with a light markup: `#` headings,
list items with their own markers, `| pipe | tables |`, `::: underskrifter` … `:::` signature
areas and `=== sidbrytning ===`. Plain text without markup is valid too. From one text this
module makes what registrars actually receive: the plain text, a single-column text PDF, a
two-column letterhead brochure, a Word file with real headings, lists and tables, and a bad
copier scan. Everything is generated from the text, so no binaries live in git.

Everything here is pure (text in, bytes out) except the write_* helpers.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.fixtures import _font_path, scan_pdf_bytes

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "VARIANT_KINDS", "Blank", "Block", "Heading", "ListItem", "PageBreak", "Paragraph",
    "Signatures", "Table", "docx_bytes", "letterhead_for", "make_variant", "markup", "parse",
    "plain_text", "poor_scan_bytes", "reference_for", "reflow", "text_pdf_bytes",
    "two_column_pdf_bytes", "variant_suffix", "write_variant",
]

VARIANT_KINDS = ("text", "pdf", "two-column", "docx", "scan")


# --- blocks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class ListItem:
    marker: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Signatures:
    blocks: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Blank:
    """An empty line between paragraphs: the renderers turn it into vertical space."""


Block = Heading | ListItem | Paragraph | Table | Signatures | PageBreak | Blank
_FLOW = (Heading, ListItem, Paragraph, Blank)

_HEADING = re.compile(r"^(#{1,3})\s+(\S.*?)\s*$")
_SIGNATURES_START = re.compile(r"^:::\s*underskrifter\s*$", re.IGNORECASE)
_SIGNATURES_END = ":::"
_PAGE_BREAK = re.compile(r"^=+\s*sidbrytning\s*=+$", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
# Bullets as documents print them (Word's symbol bullets, dashes, "o" for the second level),
# numbers "1." / "1)" and letters "a)". A lone "o" is only a bullet before a capital letter.
_LIST_ITEM = re.compile(
    r"^(?P<marker>[-–—•▪■◦●○∙·*\uf0b7\uf0a7]+|o(?=\s+[A-ZÅÄÖ])|\d{1,2}[.)]|[a-zåäö]\))"
    r"\s+(?P<text>\S.*?)\s*$")
_RULE_LINE = re.compile(r"^[_.\-–—\s]{5,}$")
_PAGE = "\f"  # sentinel line for a page break found as a form feed
# Fewer flow blocks than this between wide blocks are set in one column even in the brochure.
SHORT_FLOW_BLOCKS = 4


def parse(text: str) -> list[Block]:
    """The markup (or plain text) as typed blocks, so every renderer shares one reading.

    A form feed is a page break as `=== sidbrytning ===` is. An indented line right after a
    list item continues that item (documents wrap items with a hanging indent). Runs of
    blank lines become one Blank; blanks at the start, the end and around page breaks go.
    """
    blocks: list[Block] = []
    signatures: list[list[str]] | None = None
    current: list[str] = []

    def close_signature_block() -> None:
        nonlocal current
        if current and signatures is not None:
            signatures.append(current)
        current = []

    for raw in _lines(text):
        stripped = raw.strip()
        if signatures is not None:
            if stripped == _SIGNATURES_END:
                close_signature_block()
                blocks.append(Signatures(signatures))
                signatures = None
            elif raw == _PAGE or _PAGE_BREAK.match(stripped):
                close_signature_block()
                if signatures:
                    blocks.append(Signatures(signatures))
                blocks.append(PageBreak())
                signatures = []
            elif not stripped:
                close_signature_block()
            else:
                current.append(stripped)
            continue
        if raw == _PAGE or _PAGE_BREAK.match(stripped):
            blocks.append(PageBreak())
        elif _SIGNATURES_START.match(stripped):
            signatures, current = [], []
        elif not stripped:
            blocks.append(Blank())
        elif heading := _HEADING.match(stripped):
            blocks.append(Heading(len(heading.group(1)), heading.group(2)))
        elif stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            if _TABLE_RULE.match(stripped):
                continue
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Table([cells]))
        elif item := _LIST_ITEM.match(stripped):
            blocks.append(ListItem(item.group("marker"), item.group("text")))
        elif raw[:2] in ("  ", "\t", " \t") and blocks and isinstance(blocks[-1], ListItem):
            previous = blocks[-1]
            blocks[-1] = ListItem(previous.marker, f"{previous.text} {stripped}")
        else:
            blocks.append(Paragraph(stripped))
    if signatures is not None:  # an area left open at the end of the text
        close_signature_block()
        blocks.append(Signatures(signatures))
    return _tidy_blanks(blocks)


def _lines(text: str) -> list[str]:
    """Source lines, with every form feed as a line of its own (the page-break sentinel)."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parts = line.split(_PAGE)
        lines.append(parts[0])
        for part in parts[1:]:
            lines.extend((_PAGE, part))
    return lines


def _tidy_blanks(blocks: list[Block]) -> list[Block]:
    tidy: list[Block] = []
    for block in blocks:
        if isinstance(block, Blank) and (not tidy or isinstance(tidy[-1], Blank | PageBreak)):
            continue
        if isinstance(block, PageBreak) and tidy and isinstance(tidy[-1], Blank):
            tidy.pop()
        tidy.append(block)
    while tidy and isinstance(tidy[-1], Blank):
        tidy.pop()
    return tidy


def markup(blocks: list[Block]) -> str:
    """The blocks written back as gold markup (parse(markup(b)) == b), for round trips."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, ListItem):
            lines.append(f"{block.marker} {block.text}")
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend("| " + " | ".join(row) + " |" for row in block.rows)
        elif isinstance(block, Signatures):
            lines.append("::: underskrifter")
            for index, signature in enumerate(block.blocks):
                if index:
                    lines.append("")
                lines.extend(signature)
            lines.append(_SIGNATURES_END)
        elif isinstance(block, PageBreak):
            lines.append("=== sidbrytning ===")
        else:
            lines.append("")
    return "\n".join(lines) + "\n"


def plain_text(blocks: list[Block]) -> str:
    """What a single-column text extraction shows: no markup, markers as written, pages
    separated by form feeds. This is the text the reader gets for the "text" kind."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        lines = pages[-1]
        if isinstance(block, Heading | Paragraph):
            lines.append(block.text)
        elif isinstance(block, ListItem):
            lines.append(f"{block.marker} {block.text}")
        elif isinstance(block, Table):
            lines.extend("   ".join(row) for row in block.rows)
        elif isinstance(block, Signatures):
            for index, signature in enumerate(block.blocks):
                if index:
                    lines.append("")
                lines.extend(signature)
        elif isinstance(block, PageBreak):
            pages.append([])
        else:
            lines.append("")
    return "\f".join("\n".join(lines) for lines in pages)


def reflow(blocks: list[Block]) -> list[Block]:
    """Join lines a narrower layout would have wrapped anyway into paragraphs.

    Extracted texts are hard-wrapped at the source's width; set in a two-column brochure or
    a Word file each such line would become a ragged paragraph of its own. A line is joined
    with the next paragraph line when it ends in a hyphen before a lower-case word (the
    hyphen goes), or when it is nearly as long as the text's wrap width and does not end a
    sentence. Short lines (headings, last lines of paragraphs) are never joined.
    """
    lengths = sorted(len(_flow_text(block)) for block in blocks
                     if isinstance(block, Paragraph | ListItem))
    width = lengths[int(0.95 * (len(lengths) - 1))] if lengths else 0
    joined: list[Block] = []
    last_line = ""  # the source line the last block ends with (joins look at that line)
    for block in blocks:
        previous = joined[-1] if joined else None
        # A PDF extraction's stray blank line inside an item ("… samt övrig" / "" /
        # "narkotikahantering"): the document it came from had one item there.
        if isinstance(block, Paragraph) and isinstance(previous, Blank) and len(joined) > 1 \
                and isinstance(joined[-2], Paragraph | ListItem) and block.text[:1].islower() \
                and joined[-2].text[-1:] not in ".:;!?":
            joined.pop()
            previous = joined[-1]
            joined[-1] = (Paragraph(f"{previous.text} {block.text}") if isinstance(
                previous, Paragraph) else ListItem(previous.marker, f"{previous.text} {block.text}"))
            last_line = block.text
            continue
        if isinstance(block, Paragraph) and isinstance(previous, Paragraph | ListItem):
            text = _joined(last_line, previous.text, block.text, width)
            if text is not None:
                joined[-1] = (Paragraph(text) if isinstance(previous, Paragraph)
                              else ListItem(previous.marker, text))
                last_line = block.text
                continue
        joined.append(block)
        last_line = _flow_text(block) if isinstance(block, Paragraph | ListItem) else ""
    return joined


def _flow_text(block: Paragraph | ListItem) -> str:
    return f"{block.marker} {block.text}" if isinstance(block, ListItem) else block.text


def _joined(last_line: str, text: str, following: str, width: int) -> str | None:
    if re.search(r"\w-$", text) and following[:1].islower():
        return text[:-1] + following
    if text[-1:] in ".:;!?":
        return None
    if width >= 40 and len(last_line) >= 0.85 * width:
        return f"{text} {following}"
    # A line in lower case after a long unfinished one is its wrap, however short the
    # source's line was ("… kontinuerligt uppdaterad" / "lägesbild, delta i …").
    if following[:1].islower() and len(last_line) >= 40:
        return f"{text} {following}"
    return None


# --- furniture ------------------------------------------------------------------------------

_ORGANISATION = re.compile(
    r"\b((?:[A-ZÅÄÖ][\w-]*[ ])?([A-ZÅÄÖ][\w-]*)[ ](?:kommun|Stad|stad))\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def letterhead_for(text: str) -> str:
    """The first municipality the text names, as written ("Marks kommun"), else the Police:
    whose paper the brochure is printed on."""
    from samverkan.docgen.municipalities import lookup

    for found in _ORGANISATION.finditer(text):
        whole = found.group(1)
        suffix = whole.rsplit(" ", 1)[1]
        for candidate in (whole, f"{found.group(2)} {suffix}"):
            if lookup(candidate):
                return candidate
    return "Polismyndigheten"


def reference_for(text: str, *, seed: int) -> str:
    """A plausible diarienummer for the letterhead (its year is the text's first year)."""
    year = _YEAR.search(text)
    number = random.Random(f"{seed}:{text[:400]}").randint(100, 1999)
    return f"Dnr KS {year.group(1) if year else '2024'}/{number}"


# --- PDF layouts ----------------------------------------------------------------------------

_CREATED = datetime(2024, 1, 1, tzinfo=UTC)  # fixed, so equal inputs give equal bytes


@dataclass(frozen=True)
class _Style:
    body: float
    headings: tuple[float, float, float]
    columns: int
    line_height: float = 1.25
    gutter: float = 8.0


def _bold_font_path(regular: str) -> str | None:
    """The bold face beside the regular one (LiberationSerif-Bold, DejaVuSans-Bold, …)."""
    path = Path(regular)
    stem = path.stem
    bold = stem.replace("-Regular", "-Bold") if stem.endswith("-Regular") else f"{stem}-Bold"
    candidate = path.with_name(bold + path.suffix)
    return str(candidate) if candidate.exists() else None


def _new_pdf(pdf: FPDF) -> FPDF:
    """Fonts, margins and metadata shared by both PDF layouts."""
    regular = _font_path()
    pdf.add_font("Body", "", regular)
    pdf.add_font("Body", "B", _bold_font_path(regular) or regular)
    fallback = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if fallback.exists() and regular != str(fallback):
        pdf.add_font("Fallback", "", str(fallback))
        pdf.add_font("Fallback", "B", _bold_font_path(str(fallback)) or str(fallback))
        pdf.set_fallback_fonts(["Fallback"])
    pdf.set_creation_date(_CREATED)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=22)
    return pdf


def _pdf_text(text: str) -> str:
    return text.replace("\t", "    ")


def _render(pdf: FPDF, blocks: list[Block], style: _Style, *, signatures_per_row: int) -> None:
    """Lay the blocks out: flow blocks in `style.columns` columns, tables and signatures over
    the full width below them, page breaks as new pages."""
    pdf.set_font("Body", size=style.body)
    pdf.add_page()
    flow: list[Block] = []
    for block in blocks:
        if isinstance(block, _FLOW):
            flow.append(block)
            continue
        _flow(pdf, flow, style)
        flow = []
        if isinstance(block, PageBreak):
            pdf.add_page()
        elif isinstance(block, Table):
            _table(pdf, block, style)
        elif isinstance(block, Signatures):
            per_row = signatures_per_row if signatures_per_row else (
                3 if len(block.blocks) >= 5 else 2)
            _signatures(pdf, block, style, per_row)
    _flow(pdf, flow, style)


def _flow(pdf: FPDF, blocks: list[Block], style: _Style) -> None:
    gap = style.body * 0.35 * 0.8  # mm: about two thirds of a line
    while blocks and isinstance(blocks[0], Blank):
        blocks = blocks[1:]
    if not blocks:
        return
    # A few lines (a lead-in above the signatures) stay in one column, as brochures set them.
    columns_wanted = style.columns if sum(
        not isinstance(block, Blank) for block in blocks) >= SHORT_FLOW_BLOCKS else 1
    with pdf.text_columns(ncols=columns_wanted, gutter=style.gutter,
                          balance=columns_wanted > 1, line_height=style.line_height) as columns:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            after = gap if isinstance(following, Blank) else 0
            if isinstance(block, Heading):
                size = style.headings[block.level - 1]
                pdf.set_font("Body", "B", size)
                with columns.paragraph(top_margin=gap, bottom_margin=gap / 2 + after) as part:
                    part.write(_pdf_text(block.text))
                pdf.set_font("Body", "", style.body)
            elif isinstance(block, ListItem):
                indent = 4 + pdf.get_string_width(block.marker)
                with columns.paragraph(indent=indent, bullet_string=block.marker,
                                       bullet_r_margin=2, bottom_margin=after) as part:
                    part.write(_pdf_text(block.text))
            elif isinstance(block, Paragraph):
                with columns.paragraph(bottom_margin=after) as part:
                    part.write(_pdf_text(block.text))
    if isinstance(blocks[-1], Blank):
        pdf.ln(gap)


def _table(pdf: FPDF, block: Table, style: _Style) -> None:
    from fpdf.fonts import FontFace

    width = max(len(row) for row in block.rows)
    rows = [[_pdf_text(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
    pdf.set_font("Body", "", style.body * 0.95)
    pdf.ln(1.5)
    with pdf.table(rows=rows, text_align="LEFT", line_height=style.body * 0.35 * 1.3,
                   padding=1.2, headings_style=FontFace(emphasis="BOLD"),
                   width=pdf.epw):
        pass
    pdf.ln(3)
    pdf.set_font("Body", "", style.body)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """A signature rule (underscores, dots) cut to the column; other lines stay whole."""
    if not _RULE_LINE.match(text):
        return text
    while text and pdf.get_string_width(text) > width - 2 * pdf.c_margin:
        text = text[:-1]
    return text


def _signatures(pdf: FPDF, block: Signatures, style: _Style, per_row: int) -> None:
    """Signature blocks side by side, line by line across the row, as signature pages are
    set (so a text extraction reads "För A   För B" on one line, as it does for real)."""
    line_height = style.body * 0.35 * 1.35
    rule_gap = line_height * 1.6  # room to sign above the line
    width = (pdf.epw - style.gutter * (per_row - 1)) / per_row
    pdf.set_font("Body", "", style.body)
    pdf.ln(line_height)
    for start in range(0, len(block.blocks), per_row):
        row = block.blocks[start:start + per_row]
        wrapped = [
            [(line, _RULE_LINE.match(line) is not None)
             for text in signature
             for line in pdf.multi_cell(width, line_height, _fit(pdf, _pdf_text(text), width),
                                        dry_run=True, output="LINES")]
            for signature in row
        ]
        depth = max(len(lines) for lines in wrapped)
        gaps = sum(rule_gap for index in range(depth)
                   if any(index < len(lines) and lines[index][1] for lines in wrapped))
        if pdf.y + depth * line_height + gaps > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.y
        for index in range(depth):
            if any(index < len(lines) and lines[index][1] for lines in wrapped):
                y += rule_gap
            for column, lines in enumerate(wrapped):
                if index < len(lines):
                    pdf.set_xy(pdf.l_margin + column * (width + style.gutter), y)
                    pdf.cell(width, line_height, lines[index][0])
            y += line_height
        pdf.set_xy(pdf.l_margin, y + line_height * 1.5)


def text_pdf_bytes(blocks: list[Block]) -> bytes:
    """Single-column A4 text PDF: bold larger headings, hanging-indent lists, table grids,
    signature blocks two per row, page breaks honoured."""
    from fpdf import FPDF

    pdf = _new_pdf(FPDF(format="A4", unit="mm"))
    _render(pdf, blocks, _Style(body=11, headings=(16, 13, 11.5), columns=1),
            signatures_per_row=2)
    return bytes(pdf.output())


def two_column_pdf_bytes(blocks: list[Block], *, letterhead: str, reference: str,
                         reflow_lines: bool = True) -> bytes:
    """A letterhead brochure: letterhead and "Dnr" on every page, "Sida X av Y" below, the
    body in two columns, tables and signatures (three per row from five) over the full width.

    Hard-wrapped lines are reflowed first (`reflow`) unless `reflow_lines` is False.
    """
    from fpdf import FPDF

    class Brochure(FPDF):
        def header(self) -> None:
            self.set_font("Body", "B", 12)
            self.set_text_color(30, 50, 100)
            self.cell(self.epw * 0.65, 6, letterhead)
            self.set_font("Body", "", 9)
            self.set_text_color(0, 0, 0)
            self.cell(self.epw * 0.35, 6, reference, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(30, 50, 100)
            self.set_line_width(0.4)
            self.line(self.l_margin, self.y + 1, self.w - self.r_margin, self.y + 1)
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.2)
            self.ln(6)
            self.set_font("Body", "", 10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Body", "", 9)
            self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="C")

    pdf = _new_pdf(Brochure(format="A4", unit="mm"))
    pdf.set_title(letterhead)
    _render(pdf, reflow(blocks) if reflow_lines else blocks,
            _Style(body=10, headings=(13, 11.5, 10.5), columns=2), signatures_per_row=0)
    return bytes(pdf.output())


# --- Word -----------------------------------------------------------------------------------

def docx_bytes(blocks: list[Block], *, letterhead: str | None = None,
               reference: str | None = None, reflow_lines: bool = True) -> bytes:
    """A Word file as people make them: Heading 1–3 styles, list paragraphs whose markers
    Word draws (so they are not in the text), tables, the signatures as a table with one
    block per cell, hard page breaks, a letterhead header and a "Sida X av Y" footer."""
    import io

    import docx
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    if letterhead or reference:
        header = section.header.paragraphs[0]
        header.text = f"{letterhead or ''}\t\t{reference or ''}"
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    footer.add_run("Sida ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" av ")
    _add_field(footer, "NUMPAGES", "1")

    paragraph = None
    numbered_run = False
    for block in reflow(blocks) if reflow_lines else blocks:
        if isinstance(block, Blank):
            if paragraph is not None:
                paragraph.paragraph_format.space_after = Pt(10)
            continue
        if not isinstance(block, ListItem):
            numbered_run = False
        if isinstance(block, Heading):
            paragraph = document.add_heading(block.text, level=block.level)
        elif isinstance(block, ListItem):
            numbered = bool(re.match(r"^(\d+|[a-zåäö])[.)]$", block.marker))
            if numbered:
                paragraph = document.add_paragraph(block.text, style="List Number")
                if not numbered_run:
                    _restart_numbering(document, paragraph)
            else:
                nested = len(block.marker) > 1 and block.marker[0] in "•▪"  # "••"
                paragraph = document.add_paragraph(
                    block.text, style="List Bullet 2" if nested else "List Bullet")
            numbered_run = numbered
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
        elif isinstance(block, Table):
            _docx_table(document, block)
            paragraph = document.add_paragraph()
        elif isinstance(block, Signatures):
            _docx_signatures(document, block)
            paragraph = None
        elif isinstance(block, PageBreak):
            document.add_page_break()
            paragraph = None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_field(paragraph: object, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with the value Word showed when the file was saved."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(tag: str, **attributes: str) -> None:
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        paragraph.add_run()._r.append(element)  # type: ignore[attr-defined]

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)  # type: ignore[attr-defined]
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(shown)  # type: ignore[attr-defined]
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _restart_numbering(document: object, paragraph: object) -> None:
    """Start a numbered list at 1 again (Word otherwise continues the previous list)."""
    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    style = document.styles["List Number"]  # type: ignore[attr-defined]
    num_id = style.element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    numbering_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()  # type: ignore[attr-defined]
    numbering_properties.get_or_add_ilvl().val = 0
    numbering_properties.get_or_add_numId().val = num.numId


def _docx_table(document: object, block: Table) -> None:
    width = max(len(row) for row in block.rows)
    table = document.add_table(rows=0, cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            run = cell.paragraphs[0].add_run(text)
            run.bold = index == 0


# Characters of a signature rule ("____", "....") that fit a cell of a 2- or 3-column table.
DOCX_RULE_CHARS = {2: 30, 3: 20}


def _docx_signatures(document: object, block: Signatures) -> None:
    from docx.shared import Pt

    per_row = 3 if len(block.blocks) >= 5 else 2
    document.add_paragraph()  # type: ignore[attr-defined]
    table = document.add_table(rows=0, cols=per_row)  # type: ignore[attr-defined]
    for start in range(0, len(block.blocks), per_row):
        cells = table.add_row().cells
        for cell, signature in zip(cells, block.blocks[start:start + per_row], strict=False):
            for index, line in enumerate(signature):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                if _RULE_LINE.match(line):  # a rule as long as the cell is wide
                    line = line.strip()[:DOCX_RULE_CHARS[per_row]]
                    paragraph.paragraph_format.space_before = Pt(24)
                paragraph.add_run(line)
            cell.add_paragraph()


# --- scans and the entry point --------------------------------------------------------------

def poor_scan_bytes(pdf_bytes: bytes, *, seed: int, dpi: int = 200) -> bytes:
    """An image-only PDF like a bad copier: every page skewed 0.5–1.5° either way, speckled,
    blurred a little and stored as JPEG at quality 60."""
    return scan_pdf_bytes(pdf_bytes, dpi=dpi, seed=seed, noise=0.08, min_skew_degrees=0.5,
                          max_skew_degrees=1.5, blur_radius=0.7, jpeg_quality=60)


def make_variant(kind: str, text: str, *, seed: int = 0) -> bytes | str:
    """One variant of `text`: a str for "text", the file's bytes for the others.

    The letterhead and its "Dnr" come from the text (its first municipality and year) and
    the seed; the scan is a poor scan of the single-column PDF.
    """
    blocks = parse(text)
    if kind == "text":
        return plain_text(blocks)
    if kind == "pdf":
        return text_pdf_bytes(blocks)
    if kind == "two-column":
        return two_column_pdf_bytes(blocks, letterhead=letterhead_for(text),
                                    reference=reference_for(text, seed=seed))
    if kind == "docx":
        return docx_bytes(blocks, letterhead=letterhead_for(text),
                          reference=reference_for(text, seed=seed))
    if kind == "scan":
        return poor_scan_bytes(text_pdf_bytes(blocks), seed=seed)
    raise ValueError(f"unknown variant kind {kind!r}; expected one of {', '.join(VARIANT_KINDS)}")


def variant_suffix(kind: str) -> str:
    """The file suffix the archive expects for a variant of `kind`."""
    return {"text": ".txt", "docx": ".docx"}.get(kind, ".pdf")


def write_variant(kind: str, text: str, folder: Path | str, *, name: str,
                  seed: int = 0) -> Path:
    """Write one variant as `folder/name.kind.suffix` and return its path."""
    path = Path(folder) / f"{name}.{kind}{variant_suffix(kind)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = make_variant(kind, text, seed=seed)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
