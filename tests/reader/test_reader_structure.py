"""Document structure the drafts (and many real agreements) use: numbered sections, DOCX
text without list markers, OCR bullets, and signature pages printed as value over label."""

from __future__ import annotations

from samverkan.reader import commitments, focus, layout, parties, read_text, signing


def _doc(text: str) -> layout.Document:
    return layout.build(text.split("\f"))


def _commitments(text: str) -> list[tuple[str, str]]:
    return [(c.party, c.text) for c in commitments.find_commitments(_doc(text).blocks)]


def _tree(text: str) -> list[tuple[str, list[str]]]:
    """Areas with their sub-areas, read as reading.py does (commitment items never head areas)."""
    blocks = _doc(text).blocks
    taken = frozenset(c.block for c in commitments.find_commitments(blocks))
    found, _ = focus.find_focus_areas(blocks, taken)
    return [(area.title, [sub.title for sub in area.sub_areas]) for area in found]


def _signatories(text: str, labels: list[str] | None = None
                 ) -> list[tuple[str | None, str | None, str | None]]:
    blocks, _, _ = signing.find_signatories(
        _doc(text), "Polismyndigheten, lokalpolisområde Mora", labels or ["Mora kommun"])
    return [(b.name, b.title, b.organisation) for b in blocks]


NUMBERED = """4 Fokusområden
Parterna har enats om att samverka inom följande fokusområden.
4.1 Trygghet i offentliga miljöer
Kommunen och polisen har prioriterat trygghet i offentliga miljöer under perioden.
Parterna förbinder sig gemensamt att:
• arbeta enligt den åtgärdsplan som är framtagen
4.1.1 Minska antalet otrygghetsskapande händelser i offentlig miljö
4.1.2 Utveckla myndighetssamverkan mot organiserad brottslighet
4.2 Våld i nära relationer
Mål
• Fler våldsutsatta ska få stöd
Kommunen förbinder sig att:
• Erbjuda stöd till våldsutsatta
Polisen förbinder sig att:
• Göra en riskbedömning vid varje anmälan
5 Organisation och samverkansforum
5.1 Gemensam styrgrupp
"""


def test_numbered_sections_give_areas_with_sub_areas() -> None:
    assert _tree(NUMBERED) == [
        ("Trygghet i offentliga miljöer",
         ["Minska antalet otrygghetsskapande händelser i offentlig miljö",
          "Utveckla myndighetssamverkan mot organiserad brottslighet"]),
        ("Våld i nära relationer", []),
    ]


def test_numbered_headings_end_lists_of_commitments() -> None:
    assert _commitments(NUMBERED) == [
        ("gemensam", "arbeta enligt den åtgärdsplan som är framtagen"),
        ("kommun", "Erbjuda stöd till våldsutsatta"),
        ("polis", "Göra en riskbedömning vid varje anmälan"),
    ]


def test_commitments_belong_to_the_numbered_area_they_stand_under() -> None:
    reading = read_text("Samverkansöverenskommelse mellan Mora kommun och Polismyndigheten, "
                        "lokalpolisområde Mora\n" + NUMBERED)
    assert reading.agreement is not None
    areas = {a.title: [c.text for c in a.commitments]
             for a in reading.agreement.all_focus_areas()}
    assert areas["Trygghet i offentliga miljöer"] == [
        "arbeta enligt den åtgärdsplan som är framtagen"]
    assert areas["Våld i nära relationer"] == ["Erbjuda stöd till våldsutsatta",
                                               "Göra en riskbedömning vid varje anmälan"]


# The same agreement as DOCX text gives it: no numbers, no bullets, a paragraph a line.
DOCX = """Fokusområden
Parterna har enats om att samverka inom följande fokusområden.
Trygghet i offentliga miljöer
Kommunen och polisen har efter framtagande av en gemensam lokal lägesbild prioriterat trygghet i offentliga miljöer, med ett särskilt fokus under hela avtalsperioden.
Parterna förbinder sig gemensamt att:
arbeta enligt den åtgärdsplan som är framtagen
Minska antalet otrygghetsskapande händelser i offentlig miljö
Utveckla myndighetssamverkan mot organiserad brottslighet
Våld i nära relationer
Antalet anmälda brott om våld i nära relationer har ökat i lokalpolisområdet och arbetet ska utgå från ett gemensamt arbetssätt.
Mål
Fler våldsutsatta ska få stöd
Kommunen förbinder sig att:
Erbjuda stöd till våldsutsatta
Polisen förbinder sig att:
Göra en riskbedömning vid varje anmälan
Trafik
Kommunen förbinder sig att:
Se över hastighetsdämpande åtgärder
Organisation och samverkansforum
Gemensam styrgrupp
Styrgruppen följer upp överenskommelsen två gånger per år och fastställer den gemensamma lägesbilden för kommande år.
"""


def test_docx_text_areas_without_numbers() -> None:
    assert _tree(DOCX) == [
        ("Trygghet i offentliga miljöer",
         ["Minska antalet otrygghetsskapande händelser i offentlig miljö",
          "Utveckla myndighetssamverkan mot organiserad brottslighet"]),
        ("Våld i nära relationer", []),
        ("Trafik", []),
    ]


def test_docx_text_commitment_lists_end_at_a_change_of_case_and_at_headings() -> None:
    assert _commitments(DOCX) == [
        ("gemensam", "arbeta enligt den åtgärdsplan som är framtagen"),
        ("kommun", "Erbjuda stöd till våldsutsatta"),
        ("polis", "Göra en riskbedömning vid varje anmälan"),
        ("kommun", "Se över hastighetsdämpande åtgärder"),
    ]


def test_ocr_bullets_split_a_list_into_its_items() -> None:
    text = ("Polisen förbinder sig att:\n\ne Medverka i stadens byggprocess\n\n"
            "e - Uppmärksamma osäkra och otrygga miljöer\n« Driva arbetet med Grannsamverkan\n"
            "ee Utifrån lokal problematik genomföra trafikinsatser\n")
    assert [text for _, text in _commitments(text)] == [
        "Medverka i stadens byggprocess", "Uppmärksamma osäkra och otrygga miljöer",
        "Driva arbetet med Grannsamverkan", "Utifrån lokal problematik genomföra trafikinsatser"]


def test_signature_values_over_their_labels_serialised() -> None:
    """pypdf order of a two-block table row: orgs on one line, then cell after cell."""
    text = ("Mora kommun Orsa kommun\nMora\nOrt och datum\nMora\nOrt och datum\n"
            "Underskrift Underskrift\nKarin Ström\nNamnförtydligande\nMaria Olsson (bekräfta)\n"
            "Namnförtydligande\nKommunstyrelsens ordförande\nTitel\nKommunalråd\nTitel\n")
    assert _signatories(text, ["Mora kommun", "Orsa kommun"]) == [
        ("Karin Ström", "Kommunstyrelsens ordförande", "Mora kommun"),
        ("Maria Olsson", "Kommunalråd", "Orsa kommun"),
    ]
    found = signing.find_signing_place_date(_doc(text))
    assert (found.place, found.date) == ("Mora", None)


def test_signature_docx_table_row_run_together() -> None:
    """DOCX text of a table of two-cell rows held in one outer cell (cells joined by tabs)."""
    text = ("Älvdalens kommun\tPolismyndigheten, lokalpolisområde Mora Mora den 3 februari 2025 "
            "Ort och datum\tMora den 3 februari 2025 Ort och datum Underskrift\tUnderskrift "
            "Maria Olsson (bekräfta) Namnförtydligande\tErik Hedlund Namnförtydligande "
            "Kommunstyrelsens ordförande Titel\tLokalpolisområdeschef Titel\n")
    assert _signatories(text, ["Älvdalens kommun"]) == [
        ("Maria Olsson", "Kommunstyrelsens ordförande", "Älvdalens kommun"),
        ("Erik Hedlund", "Lokalpolisområdeschef", "Polismyndigheten, lokalpolisområde Mora"),
    ]
    found = signing.find_signing_place_date(_doc(text))
    assert (found.place, found.date) == ("Mora", "2025-02-03")
    assert parties.find_police(_doc(text)).name == "Mora"  # never "Titel"


def test_signature_scan_rows_with_ocr_slips() -> None:
    text = ("Upplands Väsby kommun Polismyndigheten, lokalpolisområde\nSollentuna\n\n"
            "Upplands Väsby den 14 december 2020 Upplands Väsby den 14 december 2020\n\n"
            "Ort och datum Ort och datum\n\nUnderskrift 3 Underskrift\n\n"
            "Christine Hanefalk Christoffer Bohman\n\nNamnförtydligande Namnförtydligaride\n\n"
            "Kommunstyrelsens ordförande Lokalpolisområdeschef\n\nTel Titel\n")
    assert _signatories(text, ["Upplands Väsby kommun"]) == [
        ("Christine Hanefalk", "Kommunstyrelsens ordförande", "Upplands Väsby kommun"),
        ("Christoffer Bohman", "Lokalpolisområdeschef",
         "Polismyndigheten, lokalpolisområde Sollentuna"),
    ]
    found = signing.find_signing_place_date(_doc(text))
    assert (found.place, found.date) == ("Upplands Väsby", "2020-12-14")


def test_ocr_damaged_party_name_in_a_signature_block() -> None:
    text = ("Mora kommun Älvdaleris kommun\nKarin Ström Maria Olsson\n"
            "Kommunstyrelsens ordförande Kommunstyrelsens ordförande\n")
    assert [org for _, _, org in _signatories(text, ["Mora kommun", "Älvdalens kommun"])] == [
        "Mora kommun", "Älvdalens kommun"]


def test_split_org_place() -> None:
    assert signing.split_org_place("Orsa kommun Mora") == ("Orsa kommun", "Mora")
    assert signing.split_org_place("Polismyndigheten, lokalpolisområde Mora Mora") == (
        "Polismyndigheten, lokalpolisområde Mora", "Mora")
    assert signing.split_org_place("Polismyndigheten, lokalpolisområde Borås") is None
    assert signing.split_org_place("Polismyndigheten Trelleborg den 24 april 2023") == (
        "Polismyndigheten", "Trelleborg den 24 april 2023")


def test_label_rows() -> None:
    assert signing.label_row("Titel Titel") == ("title", "title")
    assert signing.label_row("Ort och datum Ort och datum") == ("place", "place")
    assert signing.label_row("Namnförtydligande Namnförtydligaride") == ("name", "name")
    assert signing.label_row("Underskrift 3 Underskrift") == (None, None)
    assert signing.label_row("Karin Ström") is None


def test_police_area_naming_its_polisomrade_too_is_certain() -> None:
    doc = _doc("Mora, Orsa och Älvdalens kommuner utgör lokalpolisområde Mora i polisområde "
               "Dalarna.\nÖverenskommelse med lokalpolisområde Mora.\n")
    police = parties.find_police(doc)
    assert (police.name, police.confidence) == ("Mora", 0.95)


def test_title_is_not_the_first_sentence_of_the_text() -> None:
    prose = read_text(" Polismyndigheten, lokalpolisområde Borås år 2022–2024\n\n"
                      "Samverkansöverenskommelsen mellan Marks kommun och Polismyndigheten, "
                      "lokalpolisområde\nBorås ska ligga till grund för arbetet i Mark. Den avser "
                      "tre år.\n")
    assert prose.agreement is not None
    assert prose.agreement.title == "Samverkansöverenskommelse"
    titled = read_text("Samverkansöverenskommelse 2022–2024\nmellan Marks kommun och "
                       "Polismyndigheten, lokalpolisområde Borås\nGiltighetstid: 2022–2024\n")
    assert titled.agreement is not None
    # The parties line and the period's own years are printed beside the title by a draft
    # (issue 12: the subtitle was doubled), so they are not part of it.
    assert titled.agreement.title == "Samverkansöverenskommelse"


def test_numbered_list_ends_at_a_section_number_of_another_style() -> None:
    text = ("Kommunen förbinder sig att:\n1. Samordna trygghetsvandringar\n"
            "2. Delta i EST-arbetet\n3 Uppföljning\nStyrgruppen följer upp arbetet varje år.\n")
    assert [text for _, text in _commitments(text)] == [
        "Samordna trygghetsvandringar", "Delta i EST-arbetet"]
