"""The variant generator (samverkan.variants) makes what it promises: the markup read as
blocks, a Word file with real structure, a two-column letterhead PDF, and a bad scan.

These tests prove the generator, not the reader; the reader's scores on the variants are
measured elsewhere with the variant_pages fixture.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest

from samverkan.variants import (
    VARIANT_KINDS,
    Blank,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    Signatures,
    Table,
    docx_bytes,
    letterhead_for,
    make_variant,
    markup,
    parse,
    plain_text,
    poor_scan_bytes,
    reflow,
    text_pdf_bytes,
    two_column_pdf_bytes,
)
from tests.conftest import SEED_NAMES
from tests.reader.conftest import variant_source
from tests.reader.helpers_reader import OWN_GOLD_NAMES

ALL_NAMES = [*OWN_GOLD_NAMES, *SEED_NAMES]

SAMPLE = """\
# Samverkansöverenskommelse 2024–2026

Provinge kommun och Polismyndigheten, lokalpolisområde Provinge, har enats om att samverka för att minska brottsligheten och öka tryggheten i hela kommunen under avtalsperioden.

## Fokusområden

1. Trygghet i centrum
2. Narkotika bland unga

## Åtaganden

Kommunen åtar sig att:

- Genomföra trygghetsvandringar varje år i samtliga tätorter och redovisa resultaten för styrgruppen och kommunstyrelsen
- Förbättra belysningen vid busstationen
• Erbjuda föräldrastöd

Polisen åtar sig att:

a) Delta i trygghetsvandringar
b) Öka närvaron i centrum

| Aktivitet | Ansvarig | Uppföljning |
| Trygghetsvandring | Kommunen | Årligen |
| Riktade insatser | Polisen | Varje kvartal |

=== sidbrytning ===

### Underskrifter

Provinge 2024-01-15

::: underskrifter
För Provinge kommun
_____________________________
Anna Andersson
Kommunstyrelsens ordförande

För Grannby kommun
_____________________________
Bertil Berg
Kommunstyrelsens ordförande

För Tredje kommun
_____________________________
Cecilia Carlsson
Kommunstyrelsens ordförande

För Fjärde kommun
_____________________________
David Dahl
Kommunstyrelsens ordförande

För Polismyndigheten
_____________________________
Eva Ek
Lokalpolisområdeschef
:::
"""
SIGNATORIES = ["Anna Andersson", "Bertil Berg", "Cecilia Carlsson", "David Dahl", "Eva Ek"]
MARKUP_LINE = re.compile(r"^(#{1,3} |::: ?underskrifter$|:::$|=== sidbrytning ===$)")


# --- parse and plain text -------------------------------------------------------------------

def test_parse_reads_every_kind_of_block() -> None:
    blocks = parse(SAMPLE)
    assert blocks[0] == Heading(1, "Samverkansöverenskommelse 2024–2026")
    assert Heading(2, "Fokusområden") in blocks and Heading(3, "Underskrifter") in blocks
    items = [block for block in blocks if isinstance(block, ListItem)]
    assert [item.marker for item in items] == ["1.", "2.", "-", "-", "•", "a)", "b)"]
    assert items[0].text == "Trygghet i centrum"
    tables = [block for block in blocks if isinstance(block, Table)]
    assert tables == [Table([["Aktivitet", "Ansvarig", "Uppföljning"],
                             ["Trygghetsvandring", "Kommunen", "Årligen"],
                             ["Riktade insatser", "Polisen", "Varje kvartal"]])]
    signatures = [block for block in blocks if isinstance(block, Signatures)]
    assert len(signatures) == 1 and len(signatures[0].blocks) == 5
    assert signatures[0].blocks[0] == ["För Provinge kommun", "_" * 29, "Anna Andersson",
                                       "Kommunstyrelsens ordförande"]
    assert blocks.count(PageBreak()) == 1
    assert not isinstance(blocks[-1], Blank)


def test_plain_text_lines_without_markup() -> None:
    blocks = [Heading(1, "Rubrik"), ListItem("–", "punkt"), Table([["a", "b"], ["c", "d"]]),
              PageBreak(), Signatures([["För A", "Namn A"], ["För B", "Namn B"]])]
    assert plain_text(blocks) == "Rubrik\n– punkt\na   b\nc   d\fFör A\nNamn A\n\nFör B\nNamn B"


def test_form_feeds_indented_continuations_and_blank_runs() -> None:
    text = "Inledning\n\n\n1. Våld och otrygghet\n   i offentlig miljö\nnästa rad\n\n\fSida 2\n"
    assert parse(text) == [Paragraph("Inledning"), Blank(),
                           ListItem("1.", "Våld och otrygghet i offentlig miljö"),
                           Paragraph("nästa rad"), PageBreak(), Paragraph("Sida 2")]


def test_plain_text_bullets_are_list_items_without_markup() -> None:
    text = "Mål\n- Första\n• Andra\n •  Tredje\n– Fjärde\no Femte\n2) Sjätte\n1 Med fotnot\n"
    assert [block.marker for block in parse(text) if isinstance(block, ListItem)] == \
        ["-", "•", "•", "–", "o", "2)"]


@pytest.mark.parametrize("name", ALL_NAMES)
def test_parse_round_trips(name: str) -> None:
    """Markup written back reads the same, and the plain text keeps every word in order."""
    text = variant_source(name)
    blocks = parse(text)
    assert parse(markup(blocks)) == blocks
    assert plain_text(blocks).split() == _words_without_markup(text)


def _words_without_markup(text: str) -> list[str]:
    words: list[str] = []
    for line in text.replace("\f", "\n").splitlines():
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            line = line.replace("|", " ")
        elif MARKUP_LINE.match(line):
            line = re.sub(r"^#{1,3} ", "", line) if line.startswith("#") else ""
        words.extend(line.split())
    return words


def test_reflow_joins_wrapped_lines_but_not_headings() -> None:
    wide = "x" * 70
    blocks = [Paragraph("Bakgrund"), Paragraph(f"{wide} brottsförebyg-"), Paragraph("gande råd"),
              Paragraph(f"{wide} och mer text som"), Paragraph("Fortsätter här."),
              Paragraph("Kort rubrik"), Paragraph(f"{wide} slut."), Paragraph("Ny mening")]
    assert reflow(blocks) == [
        Paragraph("Bakgrund"), Paragraph(f"{wide} brottsförebyggande råd"),
        Paragraph(f"{wide} och mer text som Fortsätter här."), Paragraph("Kort rubrik"),
        Paragraph(f"{wide} slut."), Paragraph("Ny mening")]


def test_letterhead_is_the_first_municipality_as_written() -> None:
    assert letterhead_for("Mellan Strömstads kommun och polisen") == "Strömstads kommun"
    assert letterhead_for("mellan Upplands Väsby kommun och") == "Upplands Väsby kommun"
    assert letterhead_for("Göteborgs Stad och polisen") == "Göteborgs Stad"
    assert letterhead_for("Polisen och ingen annan") == "Polismyndigheten"


def test_make_variant_kinds() -> None:
    assert VARIANT_KINDS == ("text", "pdf", "two-column", "docx", "scan")
    assert make_variant("text", SAMPLE, seed=1) == plain_text(parse(SAMPLE))
    assert make_variant("pdf", SAMPLE, seed=1)[:5] == b"%PDF-"  # type: ignore[index]
    assert make_variant("docx", SAMPLE, seed=1)[:2] == b"PK"  # type: ignore[index]
    with pytest.raises(ValueError, match="unknown variant kind"):
        make_variant("fax", SAMPLE, seed=1)


# --- Word -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_docx():
    import docx

    data = docx_bytes(parse(SAMPLE), letterhead="Provinge kommun", reference="Dnr KS 2024/17")
    return docx.Document(io.BytesIO(data))


def test_docx_has_heading_styles(sample_docx) -> None:
    headings = {p.text: p.style.name for p in sample_docx.paragraphs
                if p.style.name.startswith("Heading")}
    assert headings == {"Samverkansöverenskommelse 2024–2026": "Heading 1",
                        "Fokusområden": "Heading 2", "Åtaganden": "Heading 2",
                        "Underskrifter": "Heading 3"}


def test_docx_lists_are_word_lists_without_markers_in_the_text(sample_docx) -> None:
    lists = [(p.style.name, p.text) for p in sample_docx.paragraphs
             if p.style.name.startswith("List")]
    assert lists == [
        ("List Number", "Trygghet i centrum"), ("List Number", "Narkotika bland unga"),
        ("List Bullet", "Genomföra trygghetsvandringar varje år i samtliga tätorter och "
                        "redovisa resultaten för styrgruppen och kommunstyrelsen"),
        ("List Bullet", "Förbättra belysningen vid busstationen"),
        ("List Bullet", "Erbjuda föräldrastöd"),
        ("List Number", "Delta i trygghetsvandringar"), ("List Number", "Öka närvaron i centrum")]
    numbered = [p for p in sample_docx.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val if p._p.pPr.numPr is not None else None
               for p in numbered]
    # The second numbered list starts at 1 again: its first item has a numbering of its own.
    assert num_ids[0] is not None and num_ids[2] is not None and num_ids[0] != num_ids[2]


def test_docx_tables_signatures_breaks_and_furniture(sample_docx) -> None:
    data, signatures = sample_docx.tables
    assert data.style.name == "Table Grid"
    assert [cell.text for cell in data.rows[0].cells] == ["Aktivitet", "Ansvarig", "Uppföljning"]
    assert len(signatures.columns) == 3  # five blocks: three per row
    cells = [cell for row in signatures.rows for cell in row.cells]
    for name, cell in zip(SIGNATORIES, cells, strict=False):
        assert name in cell.text and sum(n in cell.text for n in SIGNATORIES) == 1
    body = sample_docx.element.body.xml
    assert body.count('w:type="page"') == 1
    section = sample_docx.sections[0]
    assert "Provinge kommun" in section.header.paragraphs[0].text
    assert "Dnr KS 2024/17" in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Sida" in footer


def test_docx_as_the_archive_reads_it(tmp_path) -> None:
    from samverkan.archive.extract import extract

    path = tmp_path / "sample.docx"
    path.write_bytes(docx_bytes(parse(SAMPLE), letterhead="Provinge kommun", reference="Dnr 1"))
    extracted = extract(path)
    assert extracted.method == "docx" and len(extracted.pages) == 2
    first = extracted.pages[0]
    # Word holds the markers as list formatting; the archive writes them back as it reads
    # the structure (numbers for numbered lists, "•" for bullets), never the source's "-".
    assert "1. Trygghet i centrum" in first
    assert "- Förbättra" not in first and "• Förbättra belysningen" in first
    assert all(page.startswith("Provinge kommun") for page in extracted.pages)


# --- PDFs -----------------------------------------------------------------------------------

def _pages(data: bytes) -> list[tuple[str, list[tuple[str, float, float, float, str]]]]:
    """Per page: the text, and (char, left, bottom, font size, font name) for every char."""
    import ctypes

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    found = []
    try:
        for page in document:
            textpage = page.get_textpage()
            chars = []
            name = ctypes.create_string_buffer(128)
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                if not char.strip():
                    continue
                left, bottom, _, _ = textpage.get_charbox(index, loose=True)
                size = pdfium.raw.FPDFText_GetFontSize(textpage.raw, index)
                pdfium.raw.FPDFText_GetFontInfo(textpage.raw, index, name, 128, None)
                chars.append((char, left, bottom, size, name.value.decode()))
            found.append((textpage.get_text_range(), chars))
    finally:
        document.close()
    return found


def _locate(chars: list[tuple[str, float, float, float, str]], word: str):
    """The chars of the first occurrence of `word` on the page (whitespace ignored)."""
    letters = "".join(char for char, *_ in chars)
    start = letters.find(word.replace(" ", ""))
    assert start >= 0, f"{word!r} not on the page"
    return chars[start:start + len(word.replace(" ", ""))]


def test_text_pdf_structure() -> None:
    pages = _pages(text_pdf_bytes(parse(SAMPLE)))
    assert len(pages) == 2
    text, chars = pages[0]
    heading = _locate(chars, "Samverkansöverenskommelse 2024–2026")
    body = _locate(chars, "Provinge kommun och")
    assert all("Bold" in c[4] for c in heading) and heading[0][3] > body[0][3]
    assert not any("Bold" in c[4] for c in body)
    # Hanging indent: the item's text starts right of its marker, and a wrapped line of the
    # item starts where the text does, not under the marker.
    item = _locate(chars, "Genomföra trygghetsvandringar varje år i samtliga tätorter och "
                          "redovisa resultaten för styrgruppen och kommunstyrelsen")
    wrapped = [c for c in item if c[2] < item[0][2] - 5]
    marker_x = max(c[1] for c in chars if c[0] == "-" and abs(c[2] - item[0][2]) < 1)
    assert wrapped and item[0][1] > marker_x + 2 and abs(wrapped[0][1] - item[0][1]) < 1
    # A real grid: the table's third column starts right of the middle of the page.
    assert _locate(chars, "Uppföljning")[0][1] > 297 and _locate(chars, "Aktivitet")[0][1] < 120
    text, chars = pages[1]
    assert text.lstrip().startswith("Underskrifter")  # the page break was honoured
    anna, bertil, cecilia = (_locate(chars, name)[0] for name in SIGNATORIES[:3])
    assert abs(anna[2] - bertil[2]) < 1 and bertil[1] > anna[1] + 150  # two per row
    assert cecilia[2] < anna[2] - 20 and abs(cecilia[1] - anna[1]) < 1


def test_two_column_pdf_letterhead_footer_and_columns() -> None:
    text = variant_source("fyrbodal-norr-2024-2027") if "fyrbodal-norr-2024-2027" in \
        OWN_GOLD_NAMES else "\n\n".join(["Ett stycke med text som fyller spalten. " * 12] * 30)
    data = two_column_pdf_bytes(parse(text), letterhead="Strömstads kommun",
                                reference="Dnr KS 2024/375")
    pages = _pages(data)
    assert len(pages) >= 2
    for number, (page_text, _) in enumerate(pages, start=1):
        assert page_text.lstrip().startswith("Strömstads kommun")
        assert "Dnr KS 2024/375" in page_text.splitlines()[0]
        assert f"Sida {number} av {len(pages)}" in page_text
    _, chars = pages[0]
    width, middle = 595.28, 595.28 / 2
    body = [c for c in chars if 100 < c[2] < 740]  # below the letterhead, above the footer
    left = [c for c in body if c[1] < middle - 8]
    right = [c for c in body if c[1] > middle + 4]
    straddling = [c for c in body if middle - 8 <= c[1] <= middle + 4]
    assert len(left) > 500 and len(right) > 500 and len(straddling) < 0.01 * len(body)
    assert max(c[1] for c in left) < middle and min(c[1] for c in right) > middle
    assert max(c[1] for c in body) < width - 50
    # Left column first: the first body line sits at the top of the left column.
    assert body[0][1] < middle and body[0][2] > max(c[2] for c in right) - 20


def test_two_column_headings_in_the_column_signatures_across_the_page() -> None:
    pages = _pages(two_column_pdf_bytes(parse(SAMPLE), letterhead="Provinge kommun",
                                        reference="Dnr KS 2024/17"))
    _, chars = pages[0]
    heading = _locate(chars, "Åtaganden")
    assert all("Bold" in c[4] for c in heading)
    _, chars = pages[-1]
    names = [_locate(chars, name)[0] for name in SIGNATORIES]
    first_row = names[:3]
    assert max(c[2] for c in first_row) - min(c[2] for c in first_row) < 1  # three per row
    assert first_row[0][1] < first_row[1][1] < first_row[2][1]
    assert first_row[2][1] > 595.28 * 0.6  # the signature area spans the full width
    assert names[3][2] < names[0][2] - 20


# --- the scan -------------------------------------------------------------------------------

def _skew_degrees(image) -> float:
    """The rotation that makes the text lines horizontal (projection-profile method)."""
    import numpy
    from PIL import Image

    small = image.convert("L").resize((image.width // 2, image.height // 2))
    ink = small.point(lambda value: 255 if value < 140 else 0)
    best, best_score = 0.0, -1.0
    for tenth in range(-20, 21):
        angle = tenth / 10
        rows = numpy.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST),
                             dtype=numpy.float64).sum(axis=1)
        score = float(numpy.square(numpy.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def test_poor_scan_has_no_text_layer_and_is_rotated() -> None:
    import pypdfium2 as pdfium

    text = "\n".join(f"Rad {n}: trygghet och samverkan mellan kommunen och polisen i Provinge."
                     for n in range(40))
    original = text_pdf_bytes(parse(text + "\n=== sidbrytning ===\n" + text))
    scan = poor_scan_bytes(original, seed=5)
    scanned, clean = pdfium.PdfDocument(scan), pdfium.PdfDocument(original)
    try:
        assert len(scanned) == len(clean) == 2
        angles = []
        for index in range(len(scanned)):
            page = scanned[index]
            assert page.get_textpage().count_chars() == 0
            image = page.render(scale=200 / 72).to_pil()
            assert abs(image.width - 1654) <= 2 and abs(image.height - 2339) <= 2  # A4, 200 dpi
            assert abs(_skew_degrees(clean[index].render(scale=100 / 72).to_pil())) <= 0.1
            angles.append(_skew_degrees(page.render(scale=100 / 72).to_pil()))
    finally:
        scanned.close()
        clean.close()
    assert all(0.3 <= abs(angle) <= 1.7 for angle in angles), angles
    assert len(set(angles)) > 1  # every page is skewed on its own


# --- the session fixture --------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["text", "pdf", "two-column", "docx"])
def test_variant_pages_as_the_archive_reads_them(
        kind: str, variant_pages: Callable[[str, str], list[str]]) -> None:
    name = "vannas-bjurholm-nordmaling-2025-2026"
    if name not in OWN_GOLD_NAMES:
        pytest.skip(f"gold text {name} not present")
    pages = variant_pages(kind, name)
    text = "\n".join(pages)
    assert len(pages) >= 2 and "Ingela Holmström" in text and "Bilaga 1 Aktivitetsplan" in text
    assert pages[-1].count("Aktivitetsplan") >= 1  # the appendix after the page break
    if kind == "docx":
        assert "- Utse en samordnare" not in text and "Utse en samordnare" in text
    if kind == "two-column":
        assert all(f"Sida {n} av {len(pages)}" in page for n, page in enumerate(pages, 1))


@pytest.mark.slow
def test_variant_pages_of_a_scan_are_ocrd(variant_pages: Callable[[str, str], list[str]]) -> None:
    name = "hylte-2022-2025"
    if name not in OWN_GOLD_NAMES:
        pytest.skip(f"gold text {name} not present")
    words = set(re.findall(r"\w{4,}", plain_text(parse(variant_source(name))).lower()))
    recognised = set(re.findall(r"\w{4,}", "\n".join(variant_pages("scan", name)).lower()))
    assert len(words & recognised) >= 0.8 * len(words)
