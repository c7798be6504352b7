"""Lines, furniture and blocks rebuilt from extracted pages, with offsets into each page."""

from __future__ import annotations

from samverkan.reader import layout


def _kinds(text: str) -> list[tuple[str, str]]:
    doc = layout.build(text.split("\f"))
    return [(block.kind, block.text) for block in doc.blocks]


def test_wrapped_bullet_with_blank_line_inside_is_one_item() -> None:
    text = ("Polisen förbinder sig att:\n\n"
            "- Delta i årliga trygghetsvandringar där aktörer i lokala\n\n"
            "områdesnätverk involveras\n"
            "- Driva arbetet med Grannsamverkan\n")
    assert _kinds(text) == [
        ("para", "Polisen förbinder sig att:"),
        ("bullet", "Delta i årliga trygghetsvandringar där aktörer i lokala områdesnätverk "
                   "involveras"),
        ("bullet", "Driva arbetet med Grannsamverkan"),
    ]


def test_bullet_continues_after_conjunction_but_not_into_heading() -> None:
    text = ("- Samordna arbetet med EST, tillsammans med polisen och\n"
            "Marks bostads AB. Arbetet innebär att bidra med en lägesbild\n"
            "- Genomföra insatser mot ungdomar samt övrig\n"
            "narkotikahantering\n"
            "Skapa trygga offentliga miljöer\n"
            "De offentliga miljöerna ska vara trygga platser för invånare och besökare.\n")
    blocks = layout.build([text]).blocks
    assert [b.kind for b in blocks] == ["bullet", "bullet", "para", "para"]
    assert blocks[0].text.endswith("Marks bostads AB. Arbetet innebär att bidra med en lägesbild")
    assert blocks[1].text.endswith("samt övrig narkotikahantering")
    assert blocks[2].heading_like and blocks[2].text == "Skapa trygga offentliga miljöer"


def test_page_furniture_is_dropped_inside_a_sentence() -> None:
    pages = [
        "Rubrik\nGöteborgs Stad åtar sig att förbättra belysningen på platser som\n"
        "Stadsledningskontoret | Sida 1 av 3",
        "Stadsledningskontoret | Sida 2 av 3\npekas ut som otrygga.\n"
        "Org.nr 212000-1199  Besöksadress Algatan 13",
        "Stadsledningskontoret | Sida 3 av 3\nSlut.",
    ]
    doc = layout.build(pages)
    texts = [block.text for block in doc.blocks]
    assert "Göteborgs Stad åtar sig att förbättra belysningen på platser som pekas ut som " \
           "otrygga." in texts
    assert not any("Sida" in t or "Org.nr" in t for t in texts)


def test_side_by_side_cells_and_justified_text() -> None:
    doc = layout.build(["Trelleborgs kommun                    Polisen\n"
                        "Marks  kommun  och  Polismyndigheten,  lokalpolisområde  Borås  träffar\n"])
    first, second = doc.content
    assert layout.is_column_line(first)
    assert [cell for _, cell in first.cells()] == ["Trelleborgs kommun", "Polisen"]
    assert not layout.is_column_line(second)


def test_stream_offsets_map_back_to_page_text() -> None:
    pages = ["Titel\n  Andra raden här", "Sida två\nMarks kommun och polisen"]
    doc = layout.build(pages)
    start = doc.stream.index("Marks kommun")
    page, page_start, page_end = doc.locate(start, start + len("Marks kommun"))
    assert page == 2
    assert pages[1][page_start:page_end] == "Marks kommun"
    start = doc.stream.index("Andra")
    page, page_start, page_end = doc.locate(start, start + 5)
    assert (page, pages[0][page_start:page_end]) == (1, "Andra")


def test_empty_and_whitespace_pages() -> None:
    doc = layout.build(["", "   \n\n", "\f"])
    assert doc.blocks == [] and doc.stream == ""


def test_footer_with_page_count_is_dropped_even_when_ocr_changes_it() -> None:
    """Our own footer, as OCR reads it ("-" for "·", O for 0), on two pages only."""
    pages = [
        "Kommunen förbinder sig att:\n"
        "e Samordna arbetet med EST, tillsammans med polisen och\n"
        "Överenskommelse SV-ZZW0-GOND - version 1 - Sida 1 av 2",
        "Marks bostads AB\n"
        "e Samordna den lokala trygghetsundersökningen\n"
        "Överenskommelse SV-ZZW0O-GOND - version 1.- Sida 2 av 2",
    ]
    texts = [block.text for block in layout.build(pages).blocks]
    assert texts == ["Kommunen förbinder sig att:",
                     "Samordna arbetet med EST, tillsammans med polisen och Marks bostads AB",
                     "Samordna den lokala trygghetsundersökningen"]


def test_letterhead_repeated_with_ocr_slips_is_furniture() -> None:
    bodies = ["Kommunen ansvarar för belysningen.", "Polisen ansvarar för närvaron.",
              "Parterna följer upp arbetet."]
    heads = ["Överenskommelse SV-ZZW0-G0ND Marks kommun", "Överenskommelse SV-ZZW0O-GOND Marks kommun",
             "Överenskommelse SV-ZZWO-GOND Marks kommun"]
    pages = [f"{head}\n{body}\n" for head, body in zip(heads, bodies, strict=True)]
    doc = layout.build(pages)
    assert [line.text for line in doc.content] == bodies


def test_numbered_heading_after_bullets_starts_a_new_block() -> None:
    text = ("• Genom insatser arbeta aktivt mot ungdomar som är på väg in i missbruk samt övrig\n"
            "narkotikahantering\n"
            "4.2 Skapa trygga offentliga miljöer\n"
            "De offentliga miljöerna avses att vara trygga platser.\n"
            "• varje vecka närvara på möten inom ramen för EST där kommunen är sammankallande\n"
            "6 Organisation och samverkansforum\n")
    blocks = layout.build([text]).blocks
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        ("bullet", "•", "Genom insatser arbeta aktivt mot ungdomar som är på väg in i missbruk "
                        "samt övrig narkotikahantering"),
        ("bullet", "4.2", "Skapa trygga offentliga miljöer"),
        ("para", None, "De offentliga miljöerna avses att vara trygga platser."),
        ("bullet", "•", "varje vecka närvara på möten inom ramen för EST där kommunen är "
                        "sammankallande"),
        ("bullet", "6", "Organisation och samverkansforum"),
    ]
    assert blocks[1].heading_like and blocks[4].heading_like


def test_wrapped_numbered_heading_is_one_heading_and_stops_at_its_text() -> None:
    text = ("4.1 Främja positiv utveckling hos ungdomar som befinner sig i riskzon för \n"
            "kriminalitet\n"
            "Samverkan syftar till att främja barn och ungas delaktighet och tillhörighet i samhället\n"
            "4.3 Gemensamma insatser i frågor som pekas ut i de gemensamma lägesbilderna\n"
            "Implementeringen av EST möjliggör kontinuerliga lägesbilder som pekar på vilka\n")
    blocks = layout.build([text]).blocks
    assert blocks[0].text == ("Främja positiv utveckling hos ungdomar som befinner sig i riskzon "
                              "för kriminalitet")
    assert blocks[0].heading_like
    assert blocks[2].marker == "4.3" and blocks[2].heading_like
    assert blocks[3].text.startswith("Implementeringen")


def test_docx_text_keeps_each_line_a_paragraph() -> None:
    long = ("Lägesbilden visar att andelen ungdomar i årskurs 9 som har provat narkotika har ökat "
            "i alla tre kommunerna och att några unga dras in i kriminalitet genom sociala "
            "medier.")
    text = (f"{long}\nParterna förbinder sig gemensamt att:\n"
            "varje vecka närvara på möte inom ramen för Tryggare Trelleborg\n"
            f"varje vecka närvara på möten inom ramen för EST\n{long}\n")
    doc = layout.build([text])
    assert doc.paragraphs
    assert [b.text for b in doc.blocks][2:4] == [
        "varje vecka närvara på möte inom ramen för Tryggare Trelleborg",
        "varje vecka närvara på möten inom ramen för EST"]


def test_pdf_lines_are_not_paragraphs() -> None:
    doc = layout.build(["Samverkan syftar till att främja barn och ungas delaktighet och\n"
                        "tillhörighet i samhället genom att erbjuda fler alternativ.\n"])
    assert not doc.paragraphs and len(doc.blocks) == 1
