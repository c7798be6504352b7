"""Text that keeps the layout: reading order of columns, grids of signature blocks and
tables in PDFs (archive.pdf_layout, also for OCR'd scans), and what Word holds as
structure in a DOCX (list markers, headings, signature tables).

The pages stay plain text in the reader's convention (reader/layout.py): side-by-side cells
on one line separated by three or more spaces, bullets as "• text", headings on a line of
their own, blank lines between paragraphs.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from samverkan.archive import pdf_layout
from samverkan.archive.extract import _ocr_layout, extract
from samverkan.archive.pdf_layout import Word, lay_out, read_pages
from samverkan.fixtures import _font_path, scan_pdf_bytes

LETTERHEAD = ("GÖTEBORGS STAD | Stadsledningskontoret", "Dnr 0934/24")
FOOTER = "Överenskommelse SV-7F3K-9Q2M · version 1"
LEFT = [
    "Inledning",
    "Kommunen och lokalpolisområdet har under flera år arbetat tillsammans mot "
    "brottsligheten i centrum. Samarbetet bygger på gemensamma lägesbilder som tas fram "
    "varje kvartal och som redovisas för kommunstyrelsen.",
    "Syftet med överenskommelsen är att minska antalet inbrott i bostadsområden och att "
    "öka tryggheten vid skolor, fritidsgårdar och idrottsplatser i hela kommunen.",
]
RIGHT = [
    "Giltighetstid",
    "Avtalet gäller från undertecknandet till utgången av år tjugohundratjugofem. "
    "Därefter görs en utvärdering av parterna gemensamt med stöd av statistiken.",
    "Uppföljning sker två gånger per år i styrgruppen där polischefen och "
    "stadsdirektören deltar. Resultaten publiceras på webbplatsen varje vår.",
]
BLOCKS = [("Göteborgs Stad", "Jonas Attenius", "Kommunstyrelsens ordförande"),
          ("Göteborgs Stad", "Eva Andersson", "Stadsdirektör"),
          ("Polismyndigheten", "Erik Nord", "Polisområdeschef")]


def _words(texts: list[str]) -> set[str]:
    return {word for text in texts for word in re.findall(r"\w+", text)}


LEFT_ONLY = _words(LEFT) - _words(RIGHT)
RIGHT_ONLY = _words(RIGHT) - _words(LEFT)


def _new_pdf():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    class Brochure(FPDF):
        def header(self) -> None:
            self.set_font("Body", size=9)
            self.set_xy(20, 10)
            self.cell(90, 5, LETTERHEAD[0])
            self.set_xy(150, 10)
            self.cell(40, 5, LETTERHEAD[1], align="R")

        def footer(self) -> None:
            self.set_font("Body", size=9)
            self.set_xy(20, -15)
            self.cell(120, 5, FOOTER)
            self.set_xy(150, -15)
            self.cell(40, 5, f"Sida {self.page_no()} av 1", align="R")

    pdf = Brochure(format="A4", unit="mm")
    pdf.set_margins(20, 25, 20)
    pdf.add_font("Body", "", _font_path())
    pdf.add_page()
    pdf.set_xy(20, 25)
    pdf.set_font("Body", size=16)
    pdf.cell(0, 8, "Samverkansöverenskommelse", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Body", size=11)
    return pdf


def _signatures(pdf) -> None:  # type: ignore[no-untyped-def]
    """Heading and three signature blocks side by side, one line of each per row."""
    pdf.set_x(20)
    pdf.cell(0, 6, "Underskrifter", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    for line in range(3):
        for column, block in enumerate(BLOCKS):
            pdf.set_xy(20 + column * 58, top + line * 6)
            pdf.cell(56, 6, block[line])


def two_column_pdf() -> bytes:
    """A letterhead brochure: body in two columns (fpdf2 text_columns), the signature
    grid over the full width below, "Sida 1 av 1" in the footer."""
    pdf = _new_pdf()
    with pdf.text_columns(ncols=2, gutter=10, text_align="J") as columns:
        for paragraph in LEFT:
            columns.write(paragraph)
            columns.ln()
            columns.ln()
        columns.new_column()
        for paragraph in RIGHT:
            columns.write(paragraph)
            columns.ln()
            columns.ln()
    pdf.ln(10)
    _signatures(pdf)
    return bytes(pdf.output())


def interleaved_pdf() -> bytes:
    """The same two columns written line by line across the page (left line, right line,
    next left line …), as some producers do: content order is not reading order. The
    left column breaks "lokalpolis-" / "området" with a hyphen."""
    pdf = _new_pdf()
    width = 80
    left: list[str] = []
    right: list[str] = []
    for paragraphs, lines in ((LEFT, left), (RIGHT, right)):
        for paragraph in paragraphs:
            lines.extend(pdf.multi_cell(width, 5, paragraph, dry_run=True, output="LINES"))
            lines.append("")
    left[1:1] = ["Samverkan omfattar hela lokalpolis-", "området och kommunens förvaltningar."]
    top = pdf.get_y() + 5
    for index in range(max(len(left), len(right))):
        for x, lines in ((20, left), (110, right)):
            if index < len(lines) and lines[index]:
                pdf.text(x, top + index * 5, lines[index])
    pdf.set_y(top + max(len(left), len(right)) * 5 + 8)
    _signatures(pdf)
    return bytes(pdf.output())


def assert_columns_in_order(text: str) -> None:
    """The whole left column precedes the right one; no line mixes the two."""
    order: list[str] = []
    for line in text.splitlines():
        words = set(re.findall(r"\w+", line))
        assert not (words & LEFT_ONLY and words & RIGHT_ONLY), line
        order.extend("L" if word in LEFT_ONLY else "R" for word in re.findall(r"\w+", line)
                     if word in LEFT_ONLY or word in RIGHT_ONLY)
    assert "".join(order).rstrip("R") == "L" * order.count("L")


def assert_grid_and_furniture(text: str) -> None:
    lines = text.splitlines()
    assert re.fullmatch(r"GÖTEBORGS STAD \| Stadsledningskontoret {3,}Dnr 0934/24", lines[0])
    assert re.fullmatch(rf"{FOOTER} {{3,}}Sida 1 av 1", lines[-1])
    first = next(i for i, line in enumerate(lines) if line.startswith("Göteborgs Stad"))
    rows = lines[first:first + 3]
    for row, cells in zip(rows, zip(*BLOCKS, strict=True), strict=True):
        assert re.split(r" {3,}", row) == list(cells), row
    # The cells of the three rows start at the same offsets: the grid lines up.
    offsets = {tuple(match.start() for match in re.finditer(r"(?:(?<=^)|(?<=   ))\S", row))
               for row in rows}
    assert len(offsets) == 1, rows
    assert lines[first - 2:first] == ["Underskrifter", ""]


# -- PDFs: columns, grids, furniture ---------------------------------------------------------

def test_two_column_pdf_reads_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "broschyr.pdf"
    path.write_bytes(two_column_pdf())
    found = extract(path)
    assert found.method == "pdf-text" and len(found.pages) == 1
    text = found.pages[0]
    assert_columns_in_order(text)
    assert_grid_and_furniture(text)
    # Blank lines between paragraphs, none inside one; headings stand alone.
    assert "kommunstyrelsen.\n\nSyftet med" in text
    assert "\nInledning\n\nKommunen och" in text
    assert "\n\n" not in text[text.index("Syftet"):text.index("kommunen.")]


def test_interleaved_content_order_is_read_in_reading_order(tmp_path: Path) -> None:
    import pypdf

    data = interleaved_pdf()
    plain = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    with pytest.raises(AssertionError):
        assert_columns_in_order(plain)  # what content order gives
    path = tmp_path / "radvis.pdf"
    path.write_bytes(data)
    text = extract(path).pages[0]
    assert_columns_in_order(text)
    assert_grid_and_furniture(text)
    assert "lokalpolis-\nområdet och" in text  # hyphenation as printed


def test_the_reader_sees_the_grid_as_side_by_side_cells() -> None:
    from samverkan.reader.layout import build, is_column_line

    pages = [page for page in read_pages(two_column_pdf()) if page is not None]
    document = build(pages)
    rows = [line for line in document.lines if line.text.startswith(("Göteborgs Stad",
                                                                      "Jonas", "Kommunstyr"))]
    assert len(rows) == 3 and all(is_column_line(line) for line in rows)
    assert [cell for _, cell in rows[1].cells()] == ["Jonas Attenius", "Eva Andersson",
                                                     "Erik Nord"]


def test_no_page_falls_back_on_the_test_documents() -> None:
    for data in (two_column_pdf(), interleaved_pdf()):
        assert all(page is not None for page in read_pages(data) or [None])


# -- the layout rules on words ----------------------------------------------------------------

def _line(text: str, x: float, base: float, *, size: float = 10.0, space: float = 2.5,
          char: float = 5.0) -> list[Word]:
    """Words of `text` set from x on one baseline, `char` points a letter."""
    words = []
    for token in text.split():
        words.append(Word(token, x, x + char * len(token), base, size))
        x += char * len(token) + space
    return words


def test_columns_with_baselines_that_do_not_line_up() -> None:
    words = []
    for index in range(8):
        words += _line(f"vänster rad nummer {index} med några fler ord här", 50, 100 + index * 12)
        words += _line(f"höger rad nummer {index} med några fler ord där", 330, 106 + index * 12)
    lines = lay_out(words).splitlines()
    assert lines[0].startswith("vänster rad nummer 0") and lines[7].startswith("vänster")
    assert lines[-8].startswith("höger rad nummer 0") and "vänster" not in lines[-1]


def test_a_justified_line_is_not_cut_into_cells() -> None:
    words = _line("Parterna ska samverka mot brott", 50, 100, space=9.0)
    words += _line("och för trygghet i hela kommunen.", 50, 112)
    assert lay_out(words) == ("Parterna ska samverka mot brott\n"
                              "och för trygghet i hela kommunen.")


def test_markers_and_labels_join_their_text() -> None:
    words = [Word("•", 50, 54, 100, 10), *_line("Trygghetsvandringar varje år", 80, 100),
             *_line("Giltighetstid:", 50, 112), *_line("2022–2024", 200, 112),
             Word("4.1", 50, 62, 124, 10), *_line("Narkotika bland unga", 80, 124)]
    assert lay_out(words).splitlines() == ["• Trygghetsvandringar varje år",
                                           "Giltighetstid: 2022–2024",
                                           "4.1 Narkotika bland unga"]


def test_a_table_row_with_wrapped_cells_is_read_cell_by_cell() -> None:
    # A table row whose first cell wraps over two lines, the other cells centred.
    words = _line("Aktivitet", 50, 100) + _line("Ansvarig", 250, 100) + _line("När", 400, 100)
    words += _line("Föräldramöten om narkotika i årskurs", 50, 130)
    words += _line("sju på samtliga skolor", 50, 142)
    words += _line("Kommunen", 250, 136) + _line("Varje hösttermin", 400, 136)
    lines = lay_out(words).splitlines()
    assert re.fullmatch(r"Aktivitet {3,}Ansvarig {3,}När", lines[0])
    assert lines[2:] == ["Föräldramöten om narkotika i årskurs", "sju på samtliga skolor",
                         "Kommunen", "Varje hösttermin"]


def test_rotated_text_is_kept_after_the_page(tmp_path: Path) -> None:
    pdf = _new_pdf()
    pdf.multi_cell(0, 5, "Kommunen förbinder sig att samverka med polisen om trygghet.")
    with pdf.rotation(90, x=15, y=200):
        pdf.text(15, 200, "UTKAST")
    text = read_pages(bytes(pdf.output()))[0]
    assert text is not None and text.index("samverka") < text.index("UTKAST")


# -- robustness --------------------------------------------------------------------------------

def test_pdfium_refusing_a_file_gives_none() -> None:
    assert read_pages(b"%PDF-1.7\nnot really a pdf") is None
    assert read_pages(b"") is None


def test_a_page_that_fails_layout_falls_back_to_pypdf(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(words: list[Word]) -> str:
        raise ZeroDivisionError("trasig sida")

    monkeypatch.setattr(pdf_layout, "lay_out", broken)
    path = tmp_path / "broschyr.pdf"
    path.write_bytes(two_column_pdf())
    found = extract(path)
    assert found.method == "pdf-text" and "Polismyndigheten" in found.pages[0]


def test_no_layout_at_all_falls_back_to_pypdf(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import samverkan.archive.extract as extract_module

    monkeypatch.setattr(extract_module, "read_pages", lambda source: None)
    path = tmp_path / "broschyr.pdf"
    path.write_bytes(two_column_pdf())
    assert "Polismyndigheten" in extract(path).pages[0]


def test_ocr_pages_prefer_the_layout_and_keep_the_sidecar_as_fallback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import samverkan.archive.extract as extract_module

    good = "Kommunen förbinder sig att samverka med polisen om trygghet i centrum."
    laid_out = [good, None, "x", "Kort"]
    sidecar = ["tesseract " + good, "Sidan två enligt tesseract med tillräckligt många ord.",
               "Sidan tre enligt tesseract med tillräckligt många ord.", ""]
    monkeypatch.setattr(extract_module, "read_pages", lambda source, ocr=False: laid_out)
    assert _ocr_layout(tmp_path / "ocr.pdf", sidecar) == [good, sidecar[1], sidecar[2], ""]


@pytest.mark.slow
def test_scanned_two_columns_are_read_in_order_after_ocr(tmp_path: Path) -> None:
    scan = tmp_path / "skannad.pdf"
    scan.write_bytes(scan_pdf_bytes(two_column_pdf(), dpi=200))
    found = extract(scan, ocr_dir=tmp_path / "ocr")
    assert found.method == "ocr"
    text = found.pages[0]
    assert_columns_in_order(text)
    assert re.search(r"^Jonas Attenius {3,}Eva Andersson {3,}Erik Nord$", text, re.MULTILINE)


# -- DOCX: what Word holds as structure --------------------------------------------------------

def _restart_numbering(document, paragraph) -> None:  # type: ignore[no-untyped-def]
    """Make `paragraph` start a new "List Number" list at 1, as Word does for a new list."""
    numbering = document.part.numbering_part.element
    num_id = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    properties.get_or_add_ilvl().val = 0
    properties.get_or_add_numId().val = num.numId


def structured_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Samverkansöverenskommelse", level=1)
    document.add_paragraph("Kommunen och polisen har enats om att samverka.")
    document.add_heading("Fokusområden", level=2)
    document.add_paragraph("Trygghet i centrum", style="List Number")
    document.add_paragraph("Narkotika bland unga", style="List Number")
    document.add_heading("Åtaganden", level=2)
    document.add_paragraph("Kommunen åtar sig att:")
    document.add_paragraph("Genomföra trygghetsvandringar", style="List Bullet")
    document.add_paragraph("Förbättra belysningen", style="List Bullet")
    document.add_paragraph("Polisen åtar sig att:")
    _restart_numbering(document, document.add_paragraph("Delta i vandringarna",
                                                        style="List Number"))
    document.add_paragraph("Öka närvaron", style="List Number")
    data = document.add_table(rows=0, cols=3)
    for row in (["Aktivitet", "Ansvarig", "När"], ["Trygghetsvandring", "Kommunen", "Årligen"]):
        for cell, text in zip(data.add_row().cells, row, strict=True):
            cell.text = text
    plan = document.add_table(rows=0, cols=2)
    cells = plan.add_row().cells
    cells[0].text = "Föräldramöten om narkotika i årskurs sju på samtliga högstadieskolor"
    cells[1].text = "Kommunen"
    document.add_heading("Underskrifter", level=2)
    signatures = document.add_table(rows=2, cols=2)
    blocks = [("Göteborgs Stad", "Jonas Attenius", "Kommunstyrelsens ordförande"),
              ("Polismyndigheten", "Erik Nord", "Polisområdeschef"),
              ("Mölndals stad", "Anna Berg", "Kommunstyrelsens ordförande"),
              ("Polismyndigheten", "Lisa Holm", "Lokalpolisområdeschef")]
    for cell, block in zip([c for row in signatures.rows for c in row.cells], blocks,
                           strict=True):
        cell.paragraphs[0].text = block[0]
        for line in block[1:]:
            cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_lists_headings_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "avtal.docx"
    path.write_bytes(structured_docx())
    found = extract(path)
    assert found.method == "docx" and len(found.pages) == 1
    lines = found.pages[0].splitlines()
    # List markers Word draws but does not store; the second list starts at 1 again.
    for line in ("1. Trygghet i centrum", "2. Narkotika bland unga",
                 "• Genomföra trygghetsvandringar", "• Förbättra belysningen",
                 "1. Delta i vandringarna", "2. Öka närvaron"):
        assert line in lines
    # Headings on a line of their own after a blank line.
    for heading in ("Fokusområden", "Åtaganden", "Underskrifter"):
        assert lines[lines.index(heading) - 1] == ""
    # A table of short cells: one line a row, three spaces apart; longer text: tabs.
    assert "Trygghetsvandring   Kommunen   Årligen" in lines
    assert ("Föräldramöten om narkotika i årskurs sju på samtliga högstadieskolor\tKommunen"
            in lines)


def test_docx_signature_table_becomes_visual_rows(tmp_path: Path) -> None:
    path = tmp_path / "avtal.docx"
    path.write_bytes(structured_docx())
    text = extract(path).pages[0]
    grid = text[text.index("Underskrifter"):].splitlines()[1:]
    assert grid == [
        "",
        "Göteborgs Stad                Polismyndigheten",
        "Jonas Attenius                Erik Nord",
        "Kommunstyrelsens ordförande   Polisområdeschef",
        "",
        "Mölndals stad                 Polismyndigheten",
        "Anna Berg                     Lisa Holm",
        "Kommunstyrelsens ordförande   Lokalpolisområdeschef",
    ]


def _with_numbering_xml(data: bytes, edit) -> bytes:  # noqa: ANN001 - str -> str
    """The DOCX `data` with word/numbering.xml (and document.xml) rewritten by `edit`."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in ("word/numbering.xml", "word/document.xml"):
                content = edit(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def test_hostile_list_numbers_neither_crash_nor_blow_up(tmp_path: Path) -> None:
    """A superscript digit as list level and a start of 10**12 in Roman numerals: the text is
    read with bounded markers, or refused with a Swedish error; never an exception."""
    from samverkan.archive.errors import ExtractionError

    def edit(xml: str) -> str:
        xml = re.sub(r'(<w:ilvl w:val=")\d+(")', r"\g<1>²\2", xml)
        xml = re.sub(r'(<w:start w:val=")\d+(")', r"\g<1>1000000000000\2", xml)
        return re.sub(r'(<w:numFmt w:val=")decimal(")', r"\1upperRoman\2", xml)

    path = tmp_path / "fientlig.docx"
    path.write_bytes(_with_numbering_xml(structured_docx(), edit))
    try:
        found = extract(path)
    except ExtractionError as error:
        assert "Word-dokument" in error.reason
        return
    assert "Trygghet i centrum" in found.pages[0]
    assert max(len(line) for line in found.pages[0].splitlines()) < 400
