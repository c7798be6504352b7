"""What others prioritise (index.priorities): differently worded areas grouped by the index's
wording measure, counted per agreement, year and county from made-up catalogue rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.summary import AgreementSummary, summarise
from samverkan.index.priorities import group_titles, prepare, priorities
from tests.archive.test_archive_overview import row
from tests.conftest import REPO

TODAY = date(2026, 12, 2)


def areas(base: CatalogueRow, *titles: str) -> CatalogueRow:
    return replace(base, summary=replace(base.summary, focus_areas=titles))


def grouped(*titles: str) -> dict[str, str]:
    groups, index = group_titles((title, 1) for title in titles)
    return {title: groups[index[title]].name for title in titles}


def test_summary_keeps_the_focus_areas() -> None:
    summary = summarise(load_yaml(REPO / "examples" / "mora-orsa-alvdalen.yaml"))
    assert "Våld i nära relationer" in summary.focus_areas
    assert AgreementSummary.from_json(summary.to_json()) == summary
    assert AgreementSummary.from_json({"title": "x"}).focus_areas == ()


def test_the_same_area_worded_differently_is_one_group() -> None:
    names = grouped("Våld i nära relationer", "Mäns våld mot kvinnor och våld i nära relationer",
                    "Våld i nära relation", "Trygghet i offentliga miljöer",
                    "Skapa trygga offentliga miljöer", "Narkotika och alkohol",
                    "Alkohol och narkotika")
    assert len(set(names.values())) == 3
    assert names["Mäns våld mot kvinnor och våld i nära relationer"] == names[
        "Våld i nära relationer"]
    assert names["Skapa trygga offentliga miljöer"] == names["Trygghet i offentliga miljöer"]
    assert names["Alkohol och narkotika"] == names["Narkotika och alkohol"]


def test_different_areas_stay_apart() -> None:
    titles = ("Organiserad brottslighet", "Ekonomisk brottslighet", "Våld i nära relationer",
              "Hedersrelaterat våld", "Unga i riskzon", "Trygghet i skolan",
              "Trafiksäkerhet")
    assert len(set(grouped(*titles).values())) == len(titles)


def test_a_group_is_named_by_its_most_common_wording() -> None:
    groups, index = group_titles([("Våld i nära relationer", 1),
                                  ("Mäns våld mot kvinnor och våld i nära relationer", 3)])
    assert groups[0].name == "Mäns våld mot kvinnor och våld i nära relationer"
    assert groups[0].wordings[1] == "Våld i nära relationer"
    # A tie goes to the shortest wording, the most general name.
    groups, _ = group_titles([("Mäns våld mot kvinnor och våld i nära relationer", 1),
                              ("Våld i nära relationer", 1)])
    assert groups[0].name == "Våld i nära relationer"


def rows() -> list[CatalogueRow]:
    return [
        # Dalarnas län
        areas(row("SV-A-1", ("Mora", "Orsa"), "2022", "2024"), "Våld i nära relationer",
              "Mäns våld mot kvinnor och våld i nära relationer", "Trafiksäkerhet"),
        areas(row("SV-A-2", ("Falun",), "2024-07-01", None, open_ended=True),
              "Våld i nära relationer", "Organiserad brottslighet"),
        # Skåne län
        areas(row("SV-A-3", ("Trelleborg",), "2023", "2026"), "Organiserad brottslighet",
              "Trafiksäkerhet"),
        areas(row("SV-A-4", ("Malmö",), "2025", "2027"), "Ekonomisk brottslighet"),
        # Not counted: a draft, a doubted period, no focus areas.
        areas(row("SV-A-5", ("Lund",), "2024", "2026", label="utkast"), "Trafiksäkerhet"),
        areas(row("SV-A-6", ("Ystad",), "2024", "2026", uncertain=True), "Trafiksäkerhet"),
        row("SV-A-7", ("Kiruna",), "2024", "2026"),
        # Only its latest signed version counts.
        areas(row("SV-A-8", ("Borås",), "2020", "2021", version=1), "Trafiksäkerhet"),
        areas(row("SV-A-8", ("Borås",), "2024", "2025", version=2), "Skadegörelse"),
    ]


def counts(picture) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {area.name: area.agreements for area in picture.areas}


def test_counts_agreements_in_force_in_the_year() -> None:
    catalogue = prepare(rows())
    picture = priorities(catalogue, 2024, today=TODAY)
    # SV-A-1 names violence twice but counts once; a year-only period covers 2024 whole.
    assert counts(picture) == {"Trafiksäkerhet": 2, "Våld i nära relationer": 2,
                               "Organiserad brottslighet": 2, "Skadegörelse": 1}
    assert (picture.in_force, picture.counted, picture.uncounted) == (5, 4, 1)
    assert picture.areas[0].share == 0.5
    assert counts(priorities(catalogue, 2021, today=TODAY)) == {}
    later = priorities(catalogue, 2026, today=TODAY)
    assert counts(later) == {"Ekonomisk brottslighet": 1, "Organiserad brottslighet": 2,
                             "Trafiksäkerhet": 1, "Våld i nära relationer": 1}


def test_counts_per_county() -> None:
    catalogue = prepare(rows())
    dalarna = priorities(catalogue, 2024, "Dalarnas län", today=TODAY)
    assert counts(dalarna) == {"Våld i nära relationer": 2, "Organiserad brottslighet": 1,
                               "Trafiksäkerhet": 1}
    skane = priorities(catalogue, 2024, "skåne län", today=TODAY)
    assert counts(skane) == {"Organiserad brottslighet": 1, "Trafiksäkerhet": 1}
    assert skane.uncounted == 1  # Ystad's doubted period


def test_shares_over_the_years_present() -> None:
    picture = priorities(prepare(rows()), 2024, today=TODAY)
    assert picture.years == tuple(range(2022, 2028))
    assert picture.totals == (1, 2, 4, 4, 3, 2)
    violence = next(trend for trend in picture.trends if trend.name == "Våld i nära relationer")
    assert violence.agreements == (1, 1, 2, 1, 1, 1)
    assert violence.shares[:3] == (1.0, 0.5, 0.5)
    assert len(picture.trends) == 4
