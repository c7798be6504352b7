"""Swedish wording rules: genitive municipality names, lists and number words."""

from __future__ import annotations

import pytest

from samverkan.docgen.swedish import genitive, join_list, municipality_formal, number_word


@pytest.mark.parametrize(("short", "formal"), [
    ("Mark", "Marks kommun"),
    ("Trelleborg", "Trelleborgs kommun"),
    ("Älvdalen", "Älvdalens kommun"),
    ("Mora", "Mora kommun"),
    ("Orsa", "Orsa kommun"),
    ("Sala", "Sala kommun"),
    ("Upplands Väsby", "Upplands Väsby kommun"),
    ("Upplands-Bro", "Upplands-Bro kommun"),
    ("Borås", "Borås kommun"),
    ("Malung-Sälen", "Malung-Sälens kommun"),
    ("Lilla Edet", "Lilla Edets kommun"),
    ("Luleå", "Luleå kommun"),
    ("Ale", "Ale kommun"),
    ("Falun", "Falu kommun"),
    ("Gotland", "Region Gotland"),
])
def test_formal_municipality_names(short: str, formal: str) -> None:
    assert municipality_formal(short) == formal


def test_genitive_rule() -> None:
    assert genitive("Mark") == "Marks"
    assert genitive("Härryda") == "Härryda"
    assert genitive("Trosa") == "Trosa"  # ends in a vowel
    assert genitive("Vaxholm") == "Vaxholms"


def test_override_wins() -> None:
    overrides = {"Göteborg": "Göteborgs Stad"}
    assert municipality_formal("Göteborg", overrides) == "Göteborgs Stad"
    assert municipality_formal("Göteborg") == "Göteborgs kommun"
    assert municipality_formal("Mark", overrides) == "Marks kommun"


@pytest.mark.parametrize(("items", "joined"), [
    ([], ""),
    (["Marks kommun"], "Marks kommun"),
    (["Marks kommun", "Polismyndigheten"], "Marks kommun och Polismyndigheten"),
    (["Mora kommun", "Orsa kommun", "Älvdalens kommun"],
     "Mora kommun, Orsa kommun och Älvdalens kommun"),
])
def test_join_list(items: list[str], joined: str) -> None:
    assert join_list(items) == joined


@pytest.mark.parametrize(("n", "word"), [
    (0, "noll"), (1, "ett"), (2, "två"), (3, "tre"), (4, "fyra"), (5, "fem"), (6, "sex"),
    (7, "sju"), (8, "åtta"), (9, "nio"), (10, "tio"), (11, "elva"), (12, "tolv"),
    (13, "tretton"), (18, "arton"), (20, "tjugo"), (21, "tjugoett"), (34, "trettiofyra"),
    (100, "etthundra"), (250, "tvåhundrafemtio"), (1000, "1000"),
])
def test_number_words(n: int, word: str) -> None:
    assert number_word(n) == word


def test_number_word_common_gender() -> None:
    assert number_word(1, neuter=False) == "en"
    assert number_word(31, neuter=False) == "trettioen"
