"""Build the agreement templates (.docx) in this folder.

The .docx files are the committed artefacts: drafters may open and edit them in Word or
LibreOffice. This script is how they were made, so a change of layout is reproducible:

    .venv/bin/python templates/build.py

Every template speaks the same context (docgen/context.py); they differ in structure only.
Layout choices: A4, Calibri (Carlito in LibreOffice, metric compatible), headings numbered
through a Word multi-level list bound to the heading styles (so numbering survives editing),
a footer with the agreement reference and real PAGE/NUMPAGES fields, and a signature page
that starts on a new page and whose rows cannot split.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
TEXT_WIDTH_MM = 160  # A4 210 mm minus 25 mm margins on each side
DARK = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x59, 0x59, 0x59)
BULLET_NUM_ID = 20
HEADING_NUM_ID = 21
FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


# --- low-level XML helpers -------------------------------------------------------------

def _w(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _replace_child(parent, tag: str, new) -> None:
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    parent.append(new)


def _set_fonts(rpr) -> None:
    """Explicit Calibri in every script slot; theme fonts would override it otherwise."""
    fonts = _w("rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    existing = rpr.find(qn("w:rFonts"))
    if existing is not None:
        rpr.replace(existing, fonts)
    else:
        rpr.insert(0, fonts)


def _bottom_border(ppr, size: int = 6, space: int = 1, color: str = "404040") -> None:
    borders = _w("pBdr")
    borders.append(_w("bottom", val="single", sz=str(size), space=str(space), color=color))
    _replace_child(ppr, "pBdr", borders)


# Word rejects properties in the wrong order, so every property element is put in schema order
# (ECMA-376 part 1, 17.3.1.26 pPr, 17.3.2.28 rPr, 17.4.60 tblPr, 17.4.70 tcPr) before saving.
_SCHEMA_ORDER = {
    "pPr": ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
            "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
            "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
            "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
            "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"),
    "rPr": ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
            "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
            "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"),
    "tblPr": ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
              "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
              "tblDescription"),
    "tcPr": ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
             "tcFitText vAlign hideMark"),
}


def _schema_order(root) -> None:
    for tag_name, order in _SCHEMA_ORDER.items():
        rank = {qn(f"w:{name}"): index for index, name in enumerate(order.split())}
        for element in root.iter(qn(f"w:{tag_name}")):
            children = list(element)
            children.sort(key=lambda child: rank.get(child.tag, len(rank)))
            for child in children:
                element.append(child)


# --- styles and numbering ----------------------------------------------------------------

def _page_setup(doc: DocumentType) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _doc_defaults(doc: DocumentType) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _replace_child(rpr, "sz", _w("sz", val="22"))
    _replace_child(rpr, "szCs", _w("szCs", val="22"))
    _replace_child(rpr, "lang", _w("lang", val="sv-SE", eastAsia="sv-SE", bidi="ar-SA"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _replace_child(ppr, "spacing", _w("spacing", after="120", line="264", lineRule="auto"))
    _replace_child(ppr, "widowControl", _w("widowControl"))  # no lone first or last lines
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "sv-SE")
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        found = settings.find(qn(f"w:{tag}"))
        if found is not None:
            found.set(qn("w:val"), value)


def _clean_style(style) -> None:
    """Drop theme fonts, theme colours and stray numbering inherited from python-docx."""
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr)
    for tag_name in ("color", "spacing", "kern"):
        found = rpr.find(qn(f"w:{tag_name}"))
        if found is not None:
            rpr.remove(found)
    ppr = style.element.get_or_add_pPr()
    for tag in ("numPr", "pBdr"):
        found = ppr.find(qn(f"w:{tag}"))
        if found is not None:
            ppr.remove(found)


def _heading_numbering(doc: DocumentType) -> None:
    """One multi-level list bound to Heading 1-4 (1, 1.1, 1.1.1 ...) and a bullet list."""
    numbering = doc.part.numbering_part.element
    bullet = _w("abstractNum", abstractNumId=str(BULLET_NUM_ID))
    bullet.append(_w("nsid", val="5A4D0B01"))
    bullet.append(_w("multiLevelType", val="hybridMultilevel"))
    for level, (char, indent) in enumerate((("•", 357), ("–", 714), ("•", 1071))):
        lvl = _w("lvl", ilvl=str(level))
        lvl.append(_w("start", val="1"))
        lvl.append(_w("numFmt", val="bullet"))
        lvl.append(_w("lvlText", val=char))
        lvl.append(_w("lvlJc", val="left"))
        ppr = _w("pPr")
        ppr.append(_w("ind", left=str(indent), hanging="357"))
        lvl.append(ppr)
        rpr = _w("rPr")
        _set_fonts(rpr)
        lvl.append(rpr)
        bullet.append(lvl)

    headings = _w("abstractNum", abstractNumId=str(HEADING_NUM_ID))
    headings.append(_w("nsid", val="5A4D0B02"))
    headings.append(_w("multiLevelType", val="multilevel"))
    for level in range(4):
        lvl = _w("lvl", ilvl=str(level))
        lvl.append(_w("start", val="1"))
        lvl.append(_w("numFmt", val="decimal"))
        lvl.append(_w("pStyle", val=f"Heading{level + 1}"))
        lvl.append(_w("lvlText", val=".".join(f"%{i + 1}" for i in range(level + 1))))
        lvl.append(_w("lvlJc", val="left"))
        ppr = _w("pPr")
        tabs = _w("tabs")
        tabs.append(_w("tab", val="num", pos="680"))
        ppr.append(tabs)
        ppr.append(_w("ind", left="680", hanging="680"))
        lvl.append(ppr)
        headings.append(lvl)

    last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
    last_abstract.addnext(headings)
    last_abstract.addnext(bullet)
    for num_id in (BULLET_NUM_ID, HEADING_NUM_ID):
        num = _w("num", numId=str(num_id))
        num.append(_w("abstractNumId", val=str(num_id)))
        numbering.append(num)


def _num_pr(style, num_id: int, level: int = 0) -> None:
    ppr = style.element.get_or_add_pPr()
    num_pr = _w("numPr")
    num_pr.append(_w("ilvl", val=str(level)))
    num_pr.append(_w("numId", val=str(num_id)))
    _replace_child(ppr, "numPr", num_pr)
    # numPr must come early in pPr (after pStyle/keepNext...); Word is strict about order.
    ppr.remove(num_pr)
    anchor = None
    for tag in ("pageBreakBefore", "widowControl", "keepLines", "keepNext", "pStyle"):
        anchor = ppr.find(qn(f"w:{tag}"))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addnext(num_pr)
    else:
        ppr.insert(0, num_pr)


def _paragraph_style(doc: DocumentType, name: str, *, base: str = "Normal", size: float = 11,
                     bold: bool = False, italic: bool = False, color: RGBColor | None = None,
                     before: float = 0, after: float = 6, keep_next: bool = False,
                     next_style: str | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if base else None
    _clean_style(style)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color or RGBColor(0, 0, 0)
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    style.paragraph_format.keep_with_next = keep_next
    if next_style:
        style.next_paragraph_style = styles[next_style]
    style.quick_style = True
    return style


def _styles(doc: DocumentType) -> None:
    _doc_defaults(doc)
    _heading_numbering(doc)
    _clean_style(doc.styles["Normal"])
    _paragraph_style(doc, "Title", size=24, bold=True, color=DARK, after=4, keep_next=True)
    _paragraph_style(doc, "Subtitle", size=13, color=GREY, after=14, keep_next=True)
    for level, (size, before, after) in enumerate(((15, 20, 6), (12.5, 14, 4), (11.5, 10, 3),
                                                    (11, 8, 2)), start=1):
        style = _paragraph_style(doc, f"Heading {level}", size=size, bold=True, color=DARK,
                                 before=before, after=after, keep_next=True, next_style="Normal")
        style.paragraph_format.keep_together = True
        _num_pr(style, HEADING_NUM_ID, level - 1)
    unnumbered = _paragraph_style(doc, "Rubrik utan nummer", size=15, bold=True, color=DARK,
                                  before=0, after=8, keep_next=True, next_style="Normal")
    unnumbered.element.get_or_add_pPr().append(_w("outlineLvl", val="0"))
    _paragraph_style(doc, "Bilagerubrik", size=12.5, bold=True, color=DARK, before=14, after=4,
                     keep_next=True, next_style="Normal")
    for name, level in (("List Bullet", 0), ("List Bullet 2", 1)):
        # Space after the list only: contextual spacing drops it between items.
        bullet = _paragraph_style(doc, name, after=6)
        bullet.element.get_or_add_pPr().append(_w("contextualSpacing"))
        for extra in bullet.element.pPr.findall(qn("w:contextualSpacing"))[1:]:
            bullet.element.pPr.remove(extra)
        _num_pr(bullet, BULLET_NUM_ID, level)
    _paragraph_style(doc, "Ledtext", bold=True, before=6, after=2, keep_next=True)
    _paragraph_style(doc, "Ingress", size=10, color=GREY, after=2)
    _paragraph_style(doc, "Tabelltext", size=9.5, after=2)
    _paragraph_style(doc, "Tabellhuvud", size=9.5, bold=True, after=2, keep_next=True)
    # The signature grid is compact so that eight blocks fit one page with the QR code.
    label = _paragraph_style(doc, "Etikett", size=7, color=GREY, after=0)
    label.paragraph_format.line_spacing = 1.0
    party = _paragraph_style(doc, "Underskrift part", size=10.5, bold=True, after=0)
    party.paragraph_format.line_spacing = 1.0
    line = _paragraph_style(doc, "Underskriftsrad", size=10.5, after=0)
    line.paragraph_format.line_spacing = 1.0
    _bottom_border(line.element.get_or_add_pPr())
    footer = _paragraph_style(doc, "Footer", size=8, color=GREY, after=0)
    footer.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), alignment=2)

    strong = doc.styles["Strong"]
    strong.font.bold = True


# --- building blocks -------------------------------------------------------------------

def para(container, text: str = "", style: str | None = None) -> Paragraph:
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def tag(container, statement: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); removed on render."""
    return para(container, "{%p " + statement + " %}")


def text_blocks(container, variable: str) -> None:
    """Render a list of text blocks (docgen.context.text_blocks): paragraphs and bullets.

    The first paragraph usually follows a heading. LibreOffice 7 leaves a heading alone at the
    foot of a page when the paragraph after it moves whole because of widow control, so that
    paragraph may split instead; the heading then keeps with its first line as intended.
    """
    tag(container, f"for block in {variable}")
    tag(container, "if block.bullet")
    para(container, "{{ block.text }}", "List Bullet")
    tag(container, "elif loop.first")
    first = para(container, "{{ block.text }}")
    first.paragraph_format.widow_control = False
    tag(container, "else")
    para(container, "{{ block.text }}")
    tag(container, "endif")
    tag(container, "endfor")


def bullets(container, variable: str, item: str = "item") -> None:
    tag(container, f"for {item} in {variable}")
    para(container, "{{ " + item + " }}", "List Bullet")
    tag(container, "endfor")


def commitment_groups(container, variable: str) -> None:
    tag(container, f"for group in {variable}")
    para(container, "{{ group.heading }}", "Ledtext")
    bullets(container, "group.points")
    tag(container, "endfor")


def _cell_margins(table: Table, left_mm: float, right_mm: float, top_mm: float = 0.8,
                  bottom_mm: float = 0.8) -> None:
    tbl_pr = table._tbl.tblPr
    margins = _w("tblCellMar")
    for side, value in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm),
                        ("right", right_mm)):
        margins.append(_w(side, w=str(int(value * 56.7)), type="dxa"))
    _replace_child(tbl_pr, "tblCellMar", margins)


def _no_borders(table: Table) -> None:
    borders = _w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_w(side, val="nil"))
    _replace_child(table._tbl.tblPr, "tblBorders", borders)


def _fixed_widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    layout = _w("tblLayout", type="fixed")
    _replace_child(table._tbl.tblPr, "tblLayout", layout)
    width = _w("tblW", w=str(int(sum(widths_mm) * 56.7)), type="dxa")
    _replace_child(table._tbl.tblPr, "tblW", width)
    for column, value in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(value)
        for cell in column.cells:
            cell.width = Mm(value)


def _row_props(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_w("cantSplit"))
    if header:
        tr_pr.append(_w("tblHeader"))


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    _replace_child(tc_pr, "shd", _w("shd", val="clear", color="auto", fill=fill))


def _first_paragraph(cell: _Cell, text: str, style: str) -> Paragraph:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)
    return paragraph


def loop_row(table: Table, statement: str) -> None:
    """A table row holding only a docxtpl row tag ({%tr ... %}); removed on render."""
    row = table.add_row()
    _first_paragraph(row.cells[0], "{%tr " + statement + " %}", "Tabelltext")


def activity_table(container, variable: str) -> None:
    """Aktivitet / Åtgärd / Uppföljning / Mål, header repeated on every page."""
    headers = ("Aktivitet", "Åtgärd", "Uppföljning", "Mål/effekt")
    keys = ("aktivitet", "atgard", "uppfoljning", "mal")
    table = container.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _first_paragraph(cell, text, "Tabellhuvud")
        _shade(cell, "DCE3EC")
    _row_props(table.rows[0], header=True)
    loop_row(table, f"for row in {variable}")
    body = table.add_row()
    _row_props(body)
    for cell, key in zip(body.cells, keys, strict=True):
        _first_paragraph(cell, "{{ row." + key + " }}", "Tabelltext")
    loop_row(table, "endfor")
    _fixed_widths(table, [39, 40, 43, 38])
    _cell_margins(table, 1.6, 1.6)


# One table row per line of the signature blocks, so the lines of the two blocks side by side
# stay level even when an organisation or a title wraps: (field, style, label, space before).
_SIGNATURE_LINES = (
    ("organisation", "Underskrift part", None, 10),
    ("place_date", "Underskriftsrad", "Ort och datum", 5),
    (None, "Underskriftsrad", "Underskrift", 20),
    ("name", "Underskriftsrad", "Namnförtydligande", 3),
    ("title", "Underskriftsrad", "Titel", 3),
)


def _signature_line(cell: _Cell, who: str, line: tuple) -> None:
    """One line of a signature block: the text (or blank) on a rule, its label below."""
    field, style, label, before = line
    text = "{{ " + f"{who}.{field}" + " }}" if field else ""
    paragraph = para(cell, text, style)
    paragraph.paragraph_format.space_before = Pt(before)
    if label:
        para(cell, label, "Etikett")


def _grid_widths(table: Table, grid_mm: list[float]) -> None:
    """Fixed column grid; every cell's width is the sum of the grid columns it spans."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _replace_child(tbl_pr, "tblLayout", _w("tblLayout", type="fixed"))
    _replace_child(tbl_pr, "tblW", _w("tblW", w=str(int(sum(grid_mm) * 56.7)), type="dxa"))
    grid = table._tbl.tblGrid
    for col, value in zip(grid.findall(qn("w:gridCol")), grid_mm, strict=True):
        col.set(qn("w:w"), str(int(value * 56.7)))
    for tr in table._tbl.findall(qn("w:tr")):
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span = tc.grid_span
            tc.width = Mm(sum(grid_mm[column:column + span]))
            column += span


def _tight_right(cell: _Cell) -> None:
    margins = _w("tcMar")
    margins.append(_w("right", w="0", type="dxa"))
    tc_pr = cell._tc.get_or_add_tcPr()
    _replace_child(tc_pr, "tcMar", margins)


def signature_page(doc: DocumentType) -> None:
    """Heading, copies sentence, reference and QR code, then the blocks two by two.

    One outer table: a header row (text beside the QR code), then one row per pair of
    signatories holding an inner table with a row per line, so the lines of two blocks stay
    level when a name wraps. Outer rows cannot split, so a block is never divided between
    pages, and the grid is sized so that eight blocks fit one page with the QR code. A 1 pt
    paragraph carries the page break (a table cannot).
    """
    breaker = para(doc, "", "Etikett")
    breaker.paragraph_format.page_break_before = True
    breaker.paragraph_format.line_spacing = Pt(1)
    breaker.paragraph_format.keep_with_next = True

    table = doc.add_table(rows=1, cols=3)
    _row_props(table.rows[0])
    text = table.cell(0, 0).merge(table.cell(0, 1))
    code = table.cell(0, 2)
    heading = _first_paragraph(text, "Underskrifter", "Rubrik utan nummer")
    heading.paragraph_format.keep_with_next = True
    sentence = para(text, "{{ copies_sentence }}")
    sentence.paragraph_format.keep_with_next = True
    note = para(text, "Referens: {{ reference.footer }}. ", "Ingress")
    note.add_run("QR-koden kopplar den undertecknade handlingen till överenskommelsen i arkivet.")
    note.paragraph_format.keep_with_next = True
    note.paragraph_format.space_after = Pt(4)
    qr = _first_paragraph(code, "{{ qr }}", None)
    qr.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    qr.paragraph_format.keep_with_next = True
    _tight_right(code)

    loop_row(table, "for pair in signature_rows")
    pair_row = table.add_row()
    _row_props(pair_row)
    holder = pair_row.cells[0].merge(pair_row.cells[2])
    inner = holder.add_table(rows=0, cols=2)
    for paragraph in list(holder.paragraphs)[:-1]:  # keep the one Word requires after it
        holder._tc.remove(paragraph._p)
    holder.paragraphs[-1].style = "Etikett"  # LibreOffice drops it; Word shows a 7 pt line
    for line in _SIGNATURE_LINES:
        row = inner.add_row()
        _row_props(row)
        left, right = row.cells
        for cell in (left, right):
            for paragraph in list(cell.paragraphs):
                cell._tc.remove(paragraph._p)
        _signature_line(left, "pair.left", line)
        tag(right, "if pair.right")
        _signature_line(right, "pair.right", line)
        tag(right, "else")
        para(right, "", "Etikett")  # a table cell must hold a paragraph
        tag(right, "endif")
    _no_borders(inner)
    _fixed_widths(inner, [80, 80])
    _cell_margins(inner, 0, 8, top_mm=0, bottom_mm=0)
    loop_row(table, "endfor")
    _no_borders(table)
    _cell_margins(table, 0, 0, top_mm=0, bottom_mm=0)
    _grid_widths(table, [80, 48, 32])


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A real Word field (PAGE, NUMPAGES) so page numbers are computed by the word processor."""
    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    run_with(_w("fldChar", fldCharType="begin"))
    instr = _w("instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(_w("fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(_w("fldChar", fldCharType="end"))


def footer(doc: DocumentType) -> None:
    section = doc.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    _bottom_border(paragraph._p.get_or_add_pPr(), size=4, space=4, color="A6A6A6")
    border = paragraph._p.pPr.find(qn("w:pBdr"))
    border.remove(border[0])
    border.append(_w("top", val="single", sz="4", space="4", color="A6A6A6"))
    paragraph.add_run("{{ reference.footer }} · Sida ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES", "1")


# --- the document body -------------------------------------------------------------------

def front_matter(doc: DocumentType, *, list_parties: str) -> None:
    """Title, parties, background and purpose; `list_parties`: always, never or auto (>2)."""
    para(doc, "{{ title_with_period }}", "Title")
    para(doc, "{{ subtitle }}", "Subtitle")
    para(doc, "Giltighetstid: {{ period_label }}", "Ingress")
    para(doc, "Referens: {{ reference.id }}, version {{ reference.version }}", "Ingress")
    para(doc, "", "Ingress")
    para(doc, "Parter", "Heading 1")
    para(doc, "{{ parties_sentence }}")
    if list_parties == "auto":
        tag(doc, "if parties|length > 2")
    if list_parties in ("auto", "always"):
        para(doc, "Parter i överenskommelsen:", "Ledtext")
        bullets(doc, "parties", "party")
    if list_parties == "auto":
        tag(doc, "endif")
    tag(doc, "if background")
    para(doc, "Bakgrund", "Heading 1")
    text_blocks(doc, "background")
    tag(doc, "endif")
    tag(doc, "if purpose")
    para(doc, "Syfte och mål", "Heading 1")
    text_blocks(doc, "purpose")
    tag(doc, "endif")


def _area_heading(doc: DocumentType) -> None:
    tag(doc, "if area.level == 1")
    para(doc, "{{ area.title }}", "Heading 2")
    tag(doc, "elif area.level == 2")
    para(doc, "{{ area.title }}", "Heading 3")
    tag(doc, "else")
    para(doc, "{{ area.title }}", "Heading 4")
    tag(doc, "endif")


def _area_body(doc: DocumentType, *, activities_in_appendix: bool) -> None:
    text_blocks(doc, "area.description")
    tag(doc, "if area.goals")
    para(doc, "Mål", "Ledtext")
    bullets(doc, "area.goals", "goal")
    tag(doc, "endif")
    commitment_groups(doc, "area.commitment_groups")
    tag(doc, "if area.activities")
    if activities_in_appendix:
        para(doc, "{{ appendix_note }}", "Ingress")
    else:
        para(doc, "Aktiviteter", "Ledtext")
        activity_table(doc, "area.activities")
        para(doc, "", "Etikett").paragraph_format.space_after = Pt(6)
    tag(doc, "endif")


def focus_areas(doc: DocumentType, *, activities_in_appendix: bool) -> None:
    """Every area as a numbered heading with its text, goals, commitments and activities.

    With the appendix, the areas are first listed (as the originals do), and only areas with
    text of their own get a heading; their activity tables are in Bilaga 1.
    """
    tag(doc, "if focus_areas")
    para(doc, "Fokusområden", "Heading 1")
    if activities_in_appendix:
        para(doc, "{{ focus_list_intro }}").paragraph_format.keep_with_next = True
        tag(doc, "for area in focus_areas")
        tag(doc, "if area.level == 1")
        para(doc, "{{ area.title }}", "List Bullet")
        tag(doc, "else")
        para(doc, "{{ area.title }}", "List Bullet 2")
        tag(doc, "endif")
        tag(doc, "endfor")
        tag(doc, "if appendix_areas")
        para(doc, "{{ appendix_summary }}").paragraph_format.space_before = Pt(6)
        tag(doc, "endif")
        tag(doc, "for area in focus_areas")
        tag(doc, "if area.has_body")
        _area_heading(doc)
        _area_body(doc, activities_in_appendix=True)
        tag(doc, "endif")
        tag(doc, "endfor")
    else:
        para(doc, "{{ focus_intro }}")
        tag(doc, "for area in focus_areas")
        _area_heading(doc)
        _area_body(doc, activities_in_appendix=False)
        tag(doc, "endfor")
    tag(doc, "endif")


def closing_sections(doc: DocumentType) -> None:
    tag(doc, "if commitment_groups")
    para(doc, "Gemensamma åtaganden", "Heading 1")
    commitment_groups(doc, "commitment_groups")
    tag(doc, "endif")
    tag(doc, "if forums")
    para(doc, "Organisation och samverkansforum", "Heading 1")
    tag(doc, "for forum in forums")
    para(doc, "{{ forum.name }}", "Heading 2")
    tag(doc, "if forum.members")
    members = para(doc)
    members.add_run("Deltagare: ", style="Strong")
    members.add_run("{{ forum.members }}")
    tag(doc, "endif")
    tag(doc, "if forum.meets")
    meets = para(doc)
    meets.add_run("Möten: ", style="Strong")
    meets.add_run("{{ forum.meets }}")
    tag(doc, "endif")
    text_blocks(doc, "forum.description")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "for section in sections")
    para(doc, "{{ section.heading }}", "Heading 1")
    text_blocks(doc, "section.text")
    tag(doc, "endfor")
    tag(doc, "if follow_up")
    para(doc, "Uppföljning", "Heading 1")
    text_blocks(doc, "follow_up")
    tag(doc, "endif")
    para(doc, "Giltighetstid", "Heading 1")
    para(doc, "{{ period_sentence }}").paragraph_format.keep_with_next = True
    tag(doc, "if extension")
    para(doc, "Förlängning och revidering", "Ledtext")
    text_blocks(doc, "extension")
    tag(doc, "endif")
    tag(doc, "if termination")
    para(doc, "Uppsägning", "Ledtext")
    text_blocks(doc, "termination")
    tag(doc, "endif")


def appendix(doc: DocumentType) -> None:
    tag(doc, "if appendix_areas")
    heading = para(doc, "Bilaga 1", "Rubrik utan nummer")
    heading.paragraph_format.page_break_before = True
    para(doc, "Aktiviteter, åtgärder, uppföljning och mål per fokusområde", "Subtitle")
    para(doc, "Bilaga till {{ title_with_period }} mellan {{ parties_joined }}.", "Ingress")
    tag(doc, "for area in appendix_areas")
    para(doc, "{{ area.title }}", "Bilagerubrik")
    activity_table(doc, "area.activities")
    tag(doc, "endfor")
    tag(doc, "endif")


# --- the templates -----------------------------------------------------------------------

TEMPLATES = {
    "tvapartsavtal": (
        "Tvåpartsavtal",
        "Överenskommelse mellan en kommun och Polismyndigheten: fokusområden med åtaganden "
        "per part, forum, uppföljning, giltighetstid och signatursida.",
        {"list_parties": "never", "appendix": False},
    ),
    "flerkommunsavtal": (
        "Flerkommunsavtal",
        "Överenskommelse mellan flera kommuner och Polismyndigheten: samma innehåll som "
        "tvåpartsavtalet, med parterna listade och en signatursida för upp till åtta "
        "undertecknare.",
        {"list_parties": "always", "appendix": False},
    ),
    "med-bilaga": (
        "Överenskommelse med bilaga",
        "Överenskommelse där fokusområdenas aktiviteter (aktivitet, åtgärd, uppföljning, mål) "
        "redovisas i tabeller i Bilaga 1 efter signatursidan.",
        {"list_parties": "auto", "appendix": True},
    ),
}


def build(name: str) -> DocumentType:
    title, description, options = TEMPLATES[name]
    doc = Document()
    # python-docx's default document starts with one empty paragraph; drop it.
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _page_setup(doc)
    _styles(doc)
    footer(doc)
    front_matter(doc, list_parties=options["list_parties"])
    focus_areas(doc, activities_in_appendix=options["appendix"])
    closing_sections(doc)
    signature_page(doc)
    if options["appendix"]:
        appendix(doc)
    for root in (doc.element, doc.styles.element, doc.sections[0].footer._element,
                 doc.part.numbering_part.element):
        _schema_order(root)
    props = doc.core_properties
    props.title = title
    props.comments = description
    props.subject = "Mall för samverkansöverenskommelse"
    props.author = "samverkan"
    props.last_modified_by = "samverkan"
    props.language = "sv-SE"
    props.keywords = "samverkansöverenskommelse; mall"
    props.category = "Mall"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return doc


def main() -> None:
    for name in TEMPLATES:
        path = HERE / f"{name}.docx"
        build(name).save(path)
        print(path)


if __name__ == "__main__":
    main()
