"""The running text of a scanned copy reads as the running text of its print.

A registrar files the signed, scanned copy of a drafted agreement and asks whether it says
what the draft said (docgen.compare, "stämmer med utkastet"). OCR leaves marks the print
does not have: specks beside a line (the QR code on the signature page read as "OO"), a
speck before a heading or run into its words ("Organisation. och", "'Styrgrupp"), a letter
run into a section number ("7A"), bullets read as "e-" or "e'", a dash run into the word
before it ("EST- effektiv"), words run together ("Våldi"), labels misread by a letter
("Deltägare:"). None of them may move text between sections, name a section or a forum
differently, or put the signature page's sentences into a section.

The texts are written for these tests after the layout of the project's own drafts; the
noisy copy is the clean one with the changes listed in OCR_NOISE, each of them seen in an
OCR'd scan of a drafted PDF.
"""

from __future__ import annotations

import re

import pytest

from samverkan.docgen.compare import compare
from samverkan.docgen.model import Agreement
from samverkan.reader import read_pages
from samverkan.reader import text as tx
from samverkan.reader.layout import build
from samverkan.reader.prose import heading_role, heading_text

SPECKS = " " * 70

PRINT = """UTKAST – ej för underskrift

Samverkansöverenskommelse 2024–2026
mellan Ljungby kommun och Polismyndigheten, lokalpolisområde Ljungby

Giltighetstid: 2024–2026
Referens: SV-K7TR-2MXQ, version 1

1 Parter
Denna samverkansöverenskommelse har ingåtts mellan Ljungby kommun och Polismyndigheten,
lokalpolisområde Ljungby.

2 Bakgrund
Ljungby kommun och lokalpolisområde Ljungby har samverkat kring brottsförebyggande frågor sedan
2017. Den gemensamma lägesbilden visar att otryggheten har ökat i centrum och att fler unga dras
in i narkotikabruk. Lägesbilden bygger bland annat på:

• Polisens trygghetsmätning
• Skolornas drogvaneundersökning
• Trygghetsvandringar i centrum

3 Syfte och mål
Syftet med överenskommelsen är att minska brottsligheten och öka tryggheten i hela kommunen
genom ett gemensamt och långsiktigt arbete.

4 Fokusområden
Parterna har enats om att samverka inom följande två fokusområden:

• Narkotika bland unga
• Våld i nära relationer

Överenskommelse SV-K7TR-2MXQ · version 1 · Sida 1 av 4
\fUTKAST – ej för underskrift

4.1 Narkotika bland unga
Narkotika är enligt skolornas enkäter lättare att få tag på än tidigare, och försäljningen sker
ofta via sociala medier.

Kommunen förbinder sig att:
• Genomföra föräldramöten om narkotika i årskurs 7
• Erbjuda stödsamtal till unga som påträffas med narkotika

Polisen förbinder sig att:
• Genomföra riktade insatser mot narkotikaförsäljning vid skolor

4.2 Våld i nära relationer
Antalet anmälda brott om våld i nära relationer har ökat i kommunen de senaste åren.

Kommunen förbinder sig att:
• Utbilda personal i socialtjänsten om våld i nära relationer

Polisen förbinder sig att:
• Informera om stöd till brottsutsatta vid varje ingripande

5 Organisation och samverkansforum

5.1 Styrgrupp
Deltagare: Kommundirektören och lokalpolisområdeschefen
Möten: Två gånger per år

Styrgruppen beslutar om inriktningen för samverkan och följer upp arbetet.

5.2 EST – effektiv samordning för trygghet
Deltagare: Kommunens trygghetssamordnare och kommunpolisen
Möten: Varje vecka

Gruppen går igenom veckans händelser och planerar gemensamma insatser.

Överenskommelse SV-K7TR-2MXQ · version 1 · Sida 2 av 4
\fUTKAST – ej för underskrift

6 Uppföljning
Överenskommelsen följs upp två gånger per år i styrgruppen och redovisas för kommunstyrelsen.

7 Giltighetstid
Överenskommelsen gäller under perioden 2024–2026.
Förlängning och revidering
Överenskommelsen kan revideras vid behov.

Överenskommelse SV-K7TR-2MXQ · version 1 · Sida 3 av 4
\fUTKAST – ej för underskrift

Underskrifter
Denna överenskommelse har upprättats i två likalydande exemplar, varav
parterna tagit var sitt.

Referens: Överenskommelse SV-K7TR-2MXQ · version 1. QR-koden kopplar den
undertecknade handlingen till överenskommelsen i arkivet.

Ljungby kommun                                     Polismyndigheten, lokalpolisområde Ljungby

Ort och datum                                      Ort och datum

Underskrift                                        Underskrift

Namnförtydligande                                  Namnförtydligande
Kommunstyrelsens ordförande                        Lokalpolisområdeschef
Titel                                              Titel

Överenskommelse SV-K7TR-2MXQ · version 1 · Sida 4 av 4
"""

# (print, scan): what OCR made of a line of the print.
OCR_NOISE = [
    ("UTKAST – ej för underskrift", "UTKAST - ej för underskrift"),
    (" · version 1 · ", " - version 1 - "),
    ("• Polisens trygghetsmätning", "e Polisens trygghetsmätning"),
    ("• Skolornas drogvaneundersökning", "e - Skolornas drogvaneundersökning"),
    ("• Trygghetsvandringar i centrum", "eo   Trygghetsvandringar i centrum"),
    ("• Narkotika bland unga", "e-   Narkotika bland unga"),
    ("• Våld i nära relationer", "e'   Våld i nära relationer"),
    ("• Genomföra föräldramöten", "e Genomföra föräldramöten"),
    ("• Erbjuda stödsamtal", "e : Erbjuda stödsamtal"),
    ("• Genomföra riktade", "ee - Genomföra riktade"),
    ("• Utbilda personal", 'e "Utbilda personal'),
    ("• Informera om stöd", '"ee   Informera om stöd'),
    ("4.2 Våld i nära relationer", "4.2 — Våldi nära relationer"),
    ("5 Organisation och samverkansforum", "5 Organisation. och samverkansforum"),
    ("5.1 Styrgrupp", "5.1    'Styrgrupp"),
    ("Deltagare: Kommunens trygghetssamordnare", "Deltägare: Kommunens trygghetssamordnare"),
    ("5.2 EST – effektiv samordning", "5.2   —   EST- effektiv samordning"),
    ("Möten: Varje vecka", "Mäten: Varje vecka"),
    ("Sida 2 av 4\n", "Sida 2 av 4\n\neo eo 0 0\n"),  # specks at the foot of the page
    # the running header misread on one page; the section number read as letters
    ("UTKAST - ej för underskrift\n\n6 Uppföljning",
     "UTKAST - ej för underskritt\n\nvå     Uppföljning"),
    ("7 Giltighetstid", "7A     Giltighetstid"),
    ("Underskrifter\n", f"Underskrifter{SPECKS}OO\n"),
    ("parterna tagit var sitt.\n", f"parterna tagit var sitt.{SPECKS}   Oj\n"),
    ("Referens: Överenskommelse SV-K7TR-2MXQ · version 1.",
     "Referens:-Överenskommelse SV-K7TR-2MXQ - version 1."),
    ("Sida 3 av 4", "«Sida 3.av 4"),
]


def _scan_of(text: str) -> str:
    for clean, noisy in OCR_NOISE:
        assert clean in text, clean  # every change is made: the test cannot lose its noise
        text = text.replace(clean, noisy)
    return text


SCAN = _scan_of(PRINT)


def _read(text: str, *, scanned: bool) -> Agreement:
    agreement = read_pages(text.split("\f"), scanned=scanned).agreement
    assert agreement is not None
    return agreement


@pytest.fixture(scope="module")
def printed() -> Agreement:
    return _read(PRINT, scanned=False)


@pytest.fixture(scope="module")
def scanned() -> Agreement:
    return _read(SCAN, scanned=True)


def _texts(agreement: Agreement) -> list[str]:
    found = [agreement.background, agreement.purpose, agreement.follow_up,
             agreement.period.extension, agreement.period.termination,
             *(s.text for s in agreement.sections),
             *(f.description for f in agreement.forums),
             *(area.description for area in agreement.all_focus_areas())]
    return [text for text in found if text]


def test_the_print_reads_as_drafted(printed: Agreement) -> None:
    assert printed.period.extension == "Överenskommelsen kan revideras vid behov."
    assert printed.sections == []
    assert [f.name for f in printed.forums] == ["Styrgrupp",
                                                "EST – effektiv samordning för trygghet"]


def test_the_scan_compares_as_unchanged_with_its_print(printed: Agreement,
                                                         scanned: Agreement) -> None:
    """Every section of running text is the print's, at most with OCR deviations."""
    comparison = compare(printed, scanned, ocr_tolerant=True)
    assert [(t.kind, t.label) for t in comparison.texts
            if t.kind not in ("unchanged", "ocr")] == []
    assert [(a.kind, a.title) for a in comparison.areas
            if a.kind not in ("unchanged", "ocr")] == []
    assert comparison.text_matches, comparison.verdict


def test_the_signature_page_after_a_page_break_is_no_part_of_the_last_clause(
        scanned: Agreement) -> None:
    """"Underskrifter" with the QR code's speck beside it still ends the main text."""
    assert scanned.period.extension == "Överenskommelsen kan revideras vid behov."
    assert scanned.sections == []  # no "Giltighetstid" section holding "parterna tagit var sitt"


def test_nothing_of_the_signature_page_or_the_furniture_reaches_the_text(
        scanned: Agreement) -> None:
    joined = "\n".join(_texts(scanned))
    for unwanted in ("Underskrift", "exemplar", "var sitt", "QR-koden", "Referens",
                     "Ort och datum", "Namnförtydligande", "UTKAST", "Sida", "SV-K7TR"):
        assert unwanted not in joined
    assert not re.search(r"(?<!\w)(?:OO|Oj|eo)(?!\w)", joined)


def test_headings_with_ocr_marks_keep_their_sections(scanned: Agreement) -> None:
    """"5 Organisation. och samverkansforum" is the forums' section, "5.1 'Styrgrupp" and
    "EST- effektiv …" their names, "Deltägare:" their members; "7A Giltighetstid" the period."""
    assert [(f.name, f.members, f.meets) for f in scanned.forums] == [
        ("Styrgrupp", "Kommundirektören och lokalpolisområdeschefen", "Två gånger per år"),
        ("EST – effektiv samordning för trygghet",
         "Kommunens trygghetssamordnare och kommunpolisen", "Varje vecka"),
    ]
    assert scanned.follow_up == ("Överenskommelsen följs upp två gånger per år i styrgruppen "
                                 "och redovisas för kommunstyrelsen.")


def test_ocr_bullets_and_glued_words_keep_the_focus_areas(scanned: Agreement) -> None:
    assert [area.title for area in scanned.all_focus_areas()] == [
        "Narkotika bland unga", "Våld i nära relationer"]
    assert scanned.background is not None
    assert scanned.background.endswith("Lägesbilden bygger bland annat på:\n"
                                       "- Polisens trygghetsmätning\n"
                                       "- Skolornas drogvaneundersökning\n"
                                       "- Trygghetsvandringar i centrum")


def test_the_prose_reader_alone_keeps_the_signature_page_out() -> None:
    """Read without being told it is a scan (no specks dropped by the layout): the heading
    "Underskrifter   OO" comes as a row of columns and the copies sentence broken over two
    lines; the main text still ends where the signature page begins."""
    agreement = _read(SCAN, scanned=False)
    assert agreement.period.extension == "Överenskommelsen kan revideras vid behov."
    assert "Giltighetstid" not in [s.heading for s in agreement.sections]
    joined = "\n".join(_texts(agreement))
    assert "var sitt" not in joined and "OO" not in joined and "Underskrift" not in joined


SPECK_BEFORE_HEADINGS = """Samverkansöverenskommelse mellan Alvesta kommun och Polismyndigheten

Bakgrund
Alvesta kommun och polisen har samverkat i brottsförebyggande frågor sedan 2018. Lägesbilden
visar särskilt:
e Narkotikaförsäljning vid resecentrum
e Skadegörelse på skolor

Parterna vill nu fördjupa arbetet.

' Uppföljning
Överenskommelsen följs upp varje höst i den gemensamma styrgruppen.

» Kommunikation
Parterna informerar gemensamt om överenskommelsen på kommunens webbplats.

Överenskommelsen gäller från och med 2024-01-01 till och med 2025-12-31.

Ort och datum: Alvesta 2024-01-10

För Alvesta kommun                       För Polismyndigheten
______________________                   ______________________
Eva Lind                                 Olof Sand
Kommunstyrelsens ordförande              Lokalpolisområdeschef
"""


def test_a_speck_before_a_heading_is_no_bullet_of_a_list() -> None:
    """"' Uppföljning" over its text heads the section (a speck read as a bullet), the
    items of the list above stay items; "» Kommunikation" keeps its name."""
    agreement = _read(SPECK_BEFORE_HEADINGS, scanned=True)
    assert agreement.background == (
        "Alvesta kommun och polisen har samverkat i brottsförebyggande frågor sedan 2018. "
        "Lägesbilden visar särskilt:\n- Narkotikaförsäljning vid resecentrum\n"
        "- Skadegörelse på skolor\n\nParterna vill nu fördjupa arbetet.")
    assert agreement.follow_up == ("Överenskommelsen följs upp varje höst i den gemensamma "
                                   "styrgruppen.")
    assert [(s.heading, s.text) for s in agreement.sections] == [
        ("Kommunikation", "Parterna informerar gemensamt om överenskommelsen på kommunens "
                          "webbplats.")]


# --- the pieces ------------------------------------------------------------------------------

@pytest.mark.parametrize(("noisy", "clean"), [
    ("'Trygghets- och säkerhetsrådet", "Trygghets- och säkerhetsrådet"),
    ("Organisation. och samverkansforum", "Organisation och samverkansforum"),
    ("Organisation . och samverkansforum", "Organisation och samverkansforum"),
    ("| Uppföljning", "Uppföljning"),
    ("EST- effektiv samordning för trygghet", "EST – effektiv samordning för trygghet"),
    # what a heading may say in print stays as it is
    ("Trygghets- och säkerhetsrådet", "Trygghets- och säkerhetsrådet"),
    ("Barn- eller ungdomsverksamhet", "Barn- eller ungdomsverksamhet"),
    ("EST-grupp", "EST-grupp"),
    ('"Trygg i centrum"', '"Trygg i centrum"'),
    ("Samverkan bl.a. om trafik", "Samverkan bl.a. om trafik"),
    ("Barn, unga och familj", "Barn, unga och familj"),
])
def test_repair_heading(noisy: str, clean: str) -> None:
    assert tx.repair_heading(noisy) == clean


def test_words_run_together_are_parted_only_in_a_scan_and_into_dictionary_words() -> None:
    assert tx.repair_heading("Våldi nära relationer", scanned=True) == "Våld i nära relationer"
    assert tx.repair_heading("Våldi nära relationer") == "Våldi nära relationer"
    assert tx.repair_heading("Trygghet i Ljungby", scanned=True) == "Trygghet i Ljungby"


def test_heading_text_and_role_of_a_noisy_heading() -> None:
    assert heading_text("'Organisation. och samverkansforum:") == (
        "Organisation och samverkansforum")
    assert heading_role(heading_text("Organisation. och samverkansforum")) == "forums"


@pytest.mark.parametrize(("line", "marker", "rest"), [
    ("7A     Giltighetstid", "7", "Giltighetstid"),
    ("5.1    'Trygghets- och säkerhetsrådet", "5.1", "Trygghets- och säkerhetsrådet"),
    ("e-   Skadegörelse", "•", "Skadegörelse"),
    ("e'   Underrättelseinformation från polisen", "•", "Underrättelseinformation från polisen"),
    ("e« - Bevakningsbolag", "•", "Bevakningsbolag"),
    ("e-post till alla förvaltningar", None, "e-post till alla förvaltningar"),
    ("7A Giltighetstid", None, "7A Giltighetstid"),
])
def test_ocr_marks_on_markers(line: str, marker: str | None, rest: str) -> None:
    assert tx.strip_marker(line) == (marker, rest)


def test_a_speck_beside_a_line_is_dropped_from_a_scan_only() -> None:
    page = (f"Underskrifter{SPECKS}OO\nDenna överenskommelse har upprättats i två exemplar.\n")
    assert [line.text for line in build([page], scanned=True).content] == [
        "Underskrifter", "Denna överenskommelse har upprättats i två exemplar."]
    assert build([page]).content[0].text.endswith("OO")


def test_short_cells_in_a_column_of_a_table_are_kept() -> None:
    """A table's column of short marks ("X") lines up with its neighbours: no speck."""
    page = ("Aktivitet                                         Kommun      Polis\n"
            "Trygghetsvandringar i centrum                     X           X\n"
            "Föräldramöten om narkotika                        X\n"
            "Riktade trafikkontroller                                      X\n")
    texts = [line.text for line in build([page], scanned=True).content]
    assert texts[1].endswith("X") and texts[2].endswith("X") and texts[3].endswith("X")


def test_a_section_number_read_as_letters_is_dropped_before_its_heading() -> None:
    page = ("Överenskommelsen följs upp varje år.\n\nZ      Giltighetstid\n"
            "Överenskommelsen gäller 2024–2026.\n")
    assert [line.text for line in build([page], scanned=True).content] == [
        "Överenskommelsen följs upp varje år.", "Giltighetstid",
        "Överenskommelsen gäller 2024–2026."]
    assert build([page]).content[1].text.startswith("Z")


def test_a_scanned_pages_furniture_is_known_when_misread_or_mere_specks() -> None:
    """The running header misread on one page ("underskritt") and specks without a word at
    the foot of a page are page furniture, not text."""
    bodies = ["Bakgrunden beskrivs här.", "Syftet beskrivs här.", "Uppföljningen beskrivs här.",
              "Giltigheten beskrivs här."]
    pages = [f"UTKAST - ej för underskrift\n\n{body}\n\nÖverenskommelse SV-ABCD-EFGH - "
             f"version 1 - Sida {number} av 4\n" for number, body in enumerate(bodies, start=1)]
    pages[2] = pages[2].replace("underskrift", "underskritt")
    pages[3] += "\neo eo 0 0\n"
    assert [line.text for line in build(pages, scanned=True).content] == bodies
    assert "eo eo 0 0" in [line.text for line in build(pages).content]
