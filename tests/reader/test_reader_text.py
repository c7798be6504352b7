"""Character-level repair: hyphenation, bullets, OCR digits, sentence ends, glued words."""

from __future__ import annotations

import pytest

from samverkan.reader import text as tx


@pytest.mark.parametrize(("parts", "joined"), [
    (["det brottsförebyg-", "gande arbetet"], "det brottsförebyggande arbetet"),
    (["Trygghets-", "och säkerhetsrådet"], "Trygghets- och säkerhetsrådet"),
    (["Lars-", "Gunnar Björnqvist"], "Lars-Gunnar Björnqvist"),
    (["inom EST-", "arbetet"], "inom EST-arbetet"),
    (["under 2022-", "2024"], "under 2022-2024"),
    (["delta i orsaksanalys-arbete", "samt"], "delta i orsaksanalys-arbete samt"),
    (["en rad", "", "  olika   områden"], "en rad olika områden"),
    (["EST –", "effektiv samordning"], "EST – effektiv samordning"),
])
def test_join_lines_repairs_hyphenation(parts: list[str], joined: str) -> None:
    assert tx.join_lines(parts) == joined


@pytest.mark.parametrize(("line", "marker", "rest"), [
    ("• Misshandel", "•", "Misshandel"),
    ("•• Dubbel", "••", "Dubbel"),
    ("- Främja positiv utveckling", "-", "Främja positiv utveckling"),
    ("– Trafiksäkerhet", "–", "Trafiksäkerhet"),
    ("o Samordna arbetet", "o", "Samordna arbetet"),
    ("\uf0b7 Hur samverkan fungerar", "\uf0b7", "Hur samverkan fungerar"),
    ("▪ Delta i råd", "▪", "Delta i råd"),
    ("1. Minska antalet", "1", "Minska antalet"),
    ("3.1. Brottsstatistik", "3.1", "Brottsstatistik"),
    ("a) första punkten", "a", "första punkten"),
    ("om detta", None, "om detta"),
    ("2023-2026 gäller", None, "2023-2026 gäller"),
    # OCR of a round bullet: "e", "ee", "e.." and noise after it
    ("e Samordna arbetet", "•", "Samordna arbetet"),
    ("ee Hamnen", "•", "Hamnen"),
    ("e.. Erbjuda meningsfull fritid", "•", "Erbjuda meningsfull fritid"),
    ("e - Uppmärksamma otrygga miljöer", "•", "Uppmärksamma otrygga miljöer"),
    ("e varje vecka närvara", "•", "varje vecka närvara"),
    ("« - Ordningsstörningar", "«", "Ordningsstörningar"),
    ("& Ingen ung person", "&", "Ingen ung person"),
    ("e-post till registrator", None, "e-post till registrator"),
    # section numbers, with OCR noise, and without a dot before a short heading
    ("4.1 — Främja positiv utveckling", "4.1", "Främja positiv utveckling"),
    ("4.3... Gemensamma insatser", "4.3", "Gemensamma insatser"),
    ("4 Fokusområden", "4", "Fokusområden"),
    ("6 - Organisation och samverkansforum", "6", "Organisation och samverkansforum"),
    ("2 000 kronor per år", None, "2 000 kronor per år"),
    ("24 april 2023", None, "24 april 2023"),
    ("3 Kommuner deltar i arbetet och rapporterar till styrgruppen varje kvartal under året.",
     None, "3 Kommuner deltar i arbetet och rapporterar till styrgruppen varje kvartal under "
     "året."),
])
def test_strip_marker(line: str, marker: str | None, rest: str) -> None:
    assert tx.strip_marker(line) == (marker, rest)


@pytest.mark.parametrize(("word", "repaired"), [
    ("f6r", "för"), ("m6te", "möte"), ("6ka", "öka"), ("2022", "2022"),
    ("EST2", "EST2"), ("områden1", "områden1"), ("3a", "3a"),
])
def test_repair_ocr_word_only_into_dictionary_words(word: str, repaired: str) -> None:
    assert tx.repair_ocr_word(word) == repaired


def test_repair_ocr_in_running_text() -> None:
    assert tx.repair_ocr("Polisen f6rbinder sig att 6ka tryggheten 2022") == \
        "Polisen förbinder sig att öka tryggheten 2022"


def test_normalise_chars_ligatures_and_soft_hyphens() -> None:
    assert tx.normalise_chars("ﬁnns\u00a0här") == "finns här"
    assert tx.normalise_chars("trygg\u00adhet") == "trygg-het"
    assert tx.normalise_chars("Växjö å ä ö") == "Växjö å ä ö"


def test_split_glued_words_from_pdf_extraction() -> None:
    assert tx.split_glued("InsatserKommunen och Polisen") == ["Insatser", "Kommunen och Polisen"]
    assert tx.split_glued("PostNord levererar") == ["PostNord levererar"]


def test_sentence_end_skips_abbreviations() -> None:
    text = "Kommunen åtar sig att t.ex. göra saker bl.a. i skolan. Nästa mening."
    assert text[:tx.sentence_end(text)] == "Kommunen åtar sig att t.ex. göra saker bl.a. i skolan."
    assert tx.sentence_end("utan punkt") == len("utan punkt")


def test_ends_sentence() -> None:
    assert tx.ends_sentence("Det är klart.")
    assert not tx.ends_sentence("till exempel t.ex.")
    assert not tx.ends_sentence("Rubrik utan punkt")


@pytest.mark.parametrize(("marker", "kind"), [
    ("•", "glyph"), ("-", "glyph"), ("o", "glyph"), ("1", "number"), ("4.2", "multi"),
    ("a", "letter"), (None, None),
])
def test_marker_class(marker: str | None, kind: str | None) -> None:
    assert tx.marker_class(marker) == kind


def test_split_labels_cuts_a_docx_row_of_signature_cells() -> None:
    row = ("Mora kommun    Orsa kommun Mora Ort och datum    Mora Ort och datum Underskrift    "
           "Underskrift Karin Ström Namnförtydligande")
    assert tx.split_labels(row) == [
        "Mora kommun", "Orsa kommun Mora", "Ort och datum", "Mora", "Ort och datum",
        "Underskrift", "Underskrift", "Karin Ström", "Namnförtydligande"]


@pytest.mark.parametrize("line", [
    "Titel Titel",
    "Underskrift                         Underskrift",
    "Namnförtydligande: Boel Godner      Namnförtydligande: Jenny Forsberg",
    "Underskrifter Denna överenskommelse har upprättats i två exemplar.",
])
def test_split_labels_leaves_label_rows_and_labelled_columns(line: str) -> None:
    assert tx.split_labels(line) == [line]


def test_strip_ocr_noise_before_a_wrapped_line() -> None:
    assert tx.strip_ocr_noise("> anmälan") == "anmälan"
    assert tx.strip_ocr_noise("> Rubrik") == "> Rubrik"
