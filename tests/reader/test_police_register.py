"""The police register: complete over Sweden's municipalities, and its name lookups."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from samverkan.docgen.municipalities import municipalities
from samverkan.reader.police_register import (
    LPO,
    POLISOMRADE,
    REGION,
    all_units,
    canonical,
    find_in_text,
    lookup,
    units,
    units_for_municipality,
)

REPO = Path(__file__).resolve().parents[2]

# Cities the Police splits between several lokalpolisområden; nowhere else may a
# municipality belong to more than one.
SPLIT_CITIES = {"Stockholm", "Göteborg", "Malmö"}

# County code -> police region (Polismyndigheten's regions follow county borders).
REGION_OF_COUNTY = {
    "22": "Nord", "23": "Nord", "24": "Nord", "25": "Nord",
    "03": "Mitt", "19": "Mitt", "21": "Mitt",
    "01": "Stockholm", "09": "Stockholm",
    "04": "Öst", "05": "Öst", "06": "Öst",
    "13": "Väst", "14": "Väst",
    "07": "Syd", "08": "Syd", "10": "Syd", "12": "Syd",
    "17": "Bergslagen", "18": "Bergslagen", "20": "Bergslagen",
}


def _shared_municipalities_csv() -> Path | None:
    """../shared/data/municipalities.csv beside the checkout, or under SAMVERKAN_SHARED."""
    for root in (os.environ.get("SAMVERKAN_SHARED"), REPO.parent / "shared", REPO / "shared"):
        if root and (Path(root) / "data" / "municipalities.csv").is_file():
            return Path(root) / "data" / "municipalities.csv"
    return None


def _covered() -> Counter[str]:
    return Counter(m for unit in units(LPO) for m in unit.municipalities)


# --- the data ------------------------------------------------------------------------


def test_every_municipality_of_the_project_register_is_covered() -> None:
    names = {m.name for m in municipalities()}
    assert len(names) == 290
    covered = _covered()
    assert sorted(names - set(covered)) == []
    assert sorted(set(covered) - names) == [], "misspelt municipality in police_areas.csv"


def test_every_municipality_of_shared_data_is_covered() -> None:
    path = _shared_municipalities_csv()
    if path is None:
        pytest.skip("../shared/data/municipalities.csv not found (set SAMVERKAN_SHARED)")
    with path.open(encoding="utf-8") as handle:
        names = {row["name"] for row in csv.DictReader(handle)}
    assert sorted(names - set(_covered())) == []


def test_only_the_split_cities_belong_to_several_lokalpolisomraden() -> None:
    multiple = {name for name, count in _covered().items() if count > 1}
    assert multiple == SPLIT_CITIES


def test_each_municipality_lies_in_the_police_region_of_its_county() -> None:
    for municipality in municipalities():
        regions = {u.region for u in units_for_municipality(municipality.name)}
        assert regions == {REGION_OF_COUNTY[municipality.county_code]}, municipality.name


def test_the_organisation_has_its_known_shape() -> None:
    assert [u.name for u in units(REGION)] == [
        "Nord", "Mitt", "Stockholm", "Öst", "Väst", "Syd", "Bergslagen"]
    assert 25 <= len(units(POLISOMRADE)) <= 30
    assert 85 <= len(units(LPO)) <= 100
    lpo_names = [u.name for u in units(LPO)]
    assert len(lpo_names) == len(set(lpo_names))
    area_names = {u.name for u in units(POLISOMRADE)}
    assert {"Storgöteborg", "Fyrbodal", "Skaraborg", "Älvsborg", "Halland"} <= area_names
    assert {"Norrbotten", "Västerbotten", "Västernorrland", "Jämtland"} <= area_names
    for unit in units(LPO):
        assert unit.polisomrade in area_names
        assert unit.municipalities


def test_region_and_polisomrade_units_cover_their_lokalpolisomraden() -> None:
    for unit in all_units():
        if unit.kind == LPO:
            continue
        parts = [u for u in units(LPO)
                 if (u.region if unit.kind == REGION else u.polisomrade) == unit.name]
        assert parts, unit.name
        assert set(unit.municipalities) == {m for u in parts for m in u.municipalities}


# --- lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind", "name"),
    [
        ("Storgöteborg", POLISOMRADE, "Storgöteborg"),
        ("Polisområde Storgöteborg", POLISOMRADE, "Storgöteborg"),
        ("polisområdet Storgöteborg", POLISOMRADE, "Storgöteborg"),
        ("Lokalpolisområde Borås", LPO, "Borås"),
        ("lokalpolisområdet Borås", LPO, "Borås"),
        ("Polismyndigheten, lokalpolisområde Borås", LPO, "Borås"),
        ("LPO Sollentuna", LPO, "Sollentuna"),
        ("Lpo Sollentuna", LPO, "Sollentuna"),
        ("Polisregion Väst", REGION, "Väst"),
        ("region väst", REGION, "Väst"),
        ("Region Bergslagen", REGION, "Bergslagen"),
        ("  lokalpolisområde   Södra\nLappland ", LPO, "Södra Lappland"),
        ("Kungälv Ale", LPO, "Kungälv-Ale"),
        ("Luleå-Boden", LPO, "Luleå/Boden"),
        ("Stockholm Nord", POLISOMRADE, "Stockholm nord"),
        ("Järva lokalpolisområde", LPO, "Järva"),
    ],
)
def test_lookup_forms(written: str, kind: str, name: str) -> None:
    unit = lookup(written)
    assert unit is not None
    assert (unit.kind, unit.name) == (kind, name)


def test_lower_case_direction_words() -> None:
    assert lookup("södra Lappland") == lookup("Södra Lappland") == lookup("SÖDRA LAPPLAND")
    assert canonical("lpo södra lappland") == "Södra Lappland"
    assert canonical("norra ångermanland") == "Norra Ångermanland"


def test_genitive() -> None:
    assert canonical("Storgöteborgs") == "Storgöteborg"
    assert canonical("Polisområde Storgöteborgs") == "Storgöteborg"
    assert canonical("Södra Lapplands") == "Södra Lappland"
    assert canonical("Borås") == "Borås"  # a name ending in s is not a genitive
    assert lookup("Boråss") is None  # and takes no genitive s


def test_ocr_typos() -> None:
    assert canonical("Sollentuua") == "Sollentuna"
    assert canonical("LPO S0llentuna") == "Sollentuna"
    assert canonical("Norra Lapland") == "Norra Lappland"


def test_unknown_names() -> None:
    assert lookup("Atlantis") is None
    assert lookup("") is None
    assert lookup("lokalpolisområde") is None
    assert canonical("Polisområde Mordor") is None


def test_kind_words_decide_ambiguous_names() -> None:
    assert lookup("Gotland").kind == LPO  # the most local unit by default
    assert lookup("Polisområde Gotland").kind == POLISOMRADE
    assert lookup("Uppsala").kind == LPO
    assert canonical("Polisområde Uppsala") == "Uppsala län"
    assert canonical("Uppsala", kind=POLISOMRADE) == "Uppsala län"
    assert lookup("Syd").kind == REGION
    assert canonical("LPO Syd") == "Storgöteborg Syd"
    assert lookup("City") is None  # Storgöteborg City or Stockholm city
    assert canonical("lokalpolisområde City") == "Storgöteborg City"
    assert canonical("polisområde city") == "Stockholm city"


def test_units_for_municipality() -> None:
    assert [u.name for u in units_for_municipality("Borås")] == ["Borås"]
    assert [u.name for u in units_for_municipality("Marks kommun")] == ["Borås"]
    assert [u.name for u in units_for_municipality("Lycksele")] == ["Södra Lappland"]
    stockholm = units_for_municipality("Stockholm")
    assert len(stockholm) > 1
    assert {u.region for u in stockholm} == {"Stockholm"}
    assert units_for_municipality("Atlantis") == []


# --- find_in_text ----------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[start:end], unit.kind, unit.name) for start, end, unit in find_in_text(text)]


def test_find_after_police_words_with_spans() -> None:
    text = ("Överenskommelse mellan Marks kommun och Polismyndigheten, lokalpolisområde "
            "Borås. Polisområde Storgöteborgs organisering berörs inte.")
    assert _found(text) == [
        ("Borås", LPO, "Borås"),
        ("Storgöteborg", POLISOMRADE, "Storgöteborg"),
    ]


def test_find_lower_case_multiword_and_ocr_names() -> None:
    text = ("Parterna är Lycksele kommun och lokalpolisområdet södra Lappland, "
            "i samverkan med LPO Sollentuua och lokalpolisområde Storgöteborg Syd.")
    assert _found(text) == [
        ("södra Lappland", LPO, "Södra Lappland"),
        ("Sollentuua", LPO, "Sollentuna"),
        ("Storgöteborg Syd", LPO, "Storgöteborg Syd"),
    ]


def test_find_regions_only_after_a_police_word() -> None:
    text = "Region Stockholm och Polismyndigheten, region Stockholm samt polisregion Syd."
    assert _found(text) == [
        ("Stockholm", REGION, "Stockholm"),
        ("Syd", REGION, "Syd"),
    ]


def test_find_nothing_without_police_words() -> None:
    assert find_in_text("Borås Stad och Södra Lappland samverkar.") == []
    assert find_in_text("Lokalpolisområdet ansvarar för utredningar.") == []
