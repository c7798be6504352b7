"""Lines, furniture and blocks rebuilt from extracted pages, with offsets into each page."""

from __future__ import annotations

from reader import layout


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
