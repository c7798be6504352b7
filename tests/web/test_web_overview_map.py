"""The map on Översikt: 290 shapes from the boundaries, a class, a Swedish title and a link
per municipality, patterns beside colours, a county filter that zooms, and a small SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from samverkan.archive.overview import STATUS_ORDER, Overview, Status, overview
from samverkan.docgen import municipalities
from samverkan.mapdata import sweden_map
from samverkan.overview_map import LOOKS, legend_swatch, overview_map_svg
from tests.archive.test_archive_overview import row
from tests.web.conftest import WebEnv

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def picture() -> Overview:
    rows = [
        row("SV-AAAA-0001", ("Mark",), "2025", "2028"),                      # in force
        row("SV-AAAA-0002", ("Borås",), "2024-01-01", "2027-05-31"),         # expiring
        row("SV-AAAA-0003", ("Mora",), "2021", "2024"),                      # expired
        row("SV-AAAA-0004", ("Orsa",), "2023", None, open_ended=True),       # open-ended
        row("SV-AAAA-0005", ("Älvdalen",), "2022", None, open_ended=True, review_years=3),
        row("SV-AAAA-0006", ("Trelleborg",), "2024", "2026", uncertain=True),
        row("SV-AAAA-0008", ("Kiruna",), "2027", "2029"),                    # upcoming
        row("SV-AAAA-0009", ("Gällivare",), "2025", "2028", label="utkast"),  # drafts only
        row("SV-AAAA-0010", ("Mark",), "2021", "2022"),                      # Mark's old one
    ]
    return overview(rows, TODAY)


def shapes(svg: str) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(svg)
    return [link for link in root.iter(f"{SVG}a") if "kommun" in link.get("class", "").split()]


def test_the_boundaries_cover_every_municipality_and_are_kept() -> None:
    geometry = sweden_map()
    assert geometry is sweden_map()  # made once
    assert set(geometry.municipalities) == {m.code for m in municipalities.municipalities()}
    assert set(geometry.counties) == set(municipalities.counties())
    for shape in geometry.municipalities.values():
        assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", shape.path), shape.code
        minx, miny, maxx, maxy = shape.bounds
        assert 0 <= minx < maxx and 0 <= miny < maxy


def test_whole_country(picture: Overview) -> None:
    svg = overview_map_svg(picture, sweden_map())
    assert len(svg.encode("utf-8")) < 300_000
    found = shapes(svg)
    assert len(found) == 290
    wanted = {item.municipality.code: item for item in picture.municipalities}
    for link in found:
        item = wanted[link.get("data-kod", "")]
        assert f"status-{item.status.value}" in link.get("class", "").split()
        title = link.find(f"{SVG}title")
        assert title is not None and title.text is not None
        assert title.text.startswith(f"{item.municipality.name} ({item.municipality.county}): "
                                     f"{item.status.label}")
        path = link.find(f"{SVG}path")
        assert path is not None and path.get("d")
    by_code = {link.get("data-kod"): link for link in found}
    mark = by_code[municipalities.by_name()["mark"].code]
    assert mark.get("href") == "/overenskommelse/SV-AAAA-0001"
    mark_title = mark.find(f"{SVG}title")
    assert mark_title is not None
    assert mark_title.text == ("Mark (Västra Götalands län): I kraft, period 2025–2028, "
                               "och 1 överenskommelse till")
    amal = by_code[municipalities.by_name()["åmål"].code]
    assert amal.get("href") == "/sok?kommun=%C3%85m%C3%A5l"
    amal_title = amal.find(f"{SVG}title")
    assert amal_title is not None
    assert amal_title.text == "Åmål (Västra Götalands län): Saknas i arkivet"
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "group" and "hela landet" in (root.get("aria-label") or "")


def test_statuses_that_need_attention_have_patterns(picture: Overview) -> None:
    svg = overview_map_svg(picture, sweden_map())
    root = ElementTree.fromstring(svg)
    patterns = {pattern.get("id") for pattern in root.iter(f"{SVG}pattern")}
    for status in (Status.expiring, Status.review_due, Status.uncertain, Status.expired,
                   Status.drafts_only):
        assert LOOKS[status].pattern
        assert f"karta-{status.value}" in patterns
    for link in shapes(svg):
        status = next(name.removeprefix("status-") for name in link.get("class", "").split()
                      if name.startswith("status-"))
        path = link.find(f"{SVG}path")
        assert path is not None
        fill = path.get("fill")
        if LOOKS[Status(status)].pattern:
            assert fill == f"url(#karta-{status})"
        else:
            assert fill == LOOKS[Status(status)].colour
    # The legend's squares are drawn the same way, with patterns of their own size.
    for status in STATUS_ORDER:
        swatch = ElementTree.fromstring(legend_swatch(status))
        assert swatch.get("aria-hidden") == "true"
        if LOOKS[status].pattern:
            pattern = swatch.find(f".//{SVG}pattern")
            assert pattern is not None and pattern.get("id") == f"tecken-{status.value}"


def test_county_filter_zooms_to_that_county(picture: Overview) -> None:
    whole = ElementTree.fromstring(overview_map_svg(picture, sweden_map()))
    svg = overview_map_svg(picture.in_county("Dalarnas län"), sweden_map(),
                           place="Dalarnas län")
    found = shapes(svg)
    dalarna = {m.code for m in municipalities.municipalities() if m.county == "Dalarnas län"}
    assert {link.get("data-kod") for link in found} == dalarna and len(dalarna) == 15
    box = [float(value) for value in ElementTree.fromstring(svg).get("viewBox", "").split()]
    country = [float(value) for value in (whole.get("viewBox") or "").split()]
    assert box[2] < country[2] / 2 and box[3] < country[3] / 4
    # The box is Dalarna's (with a margin), and Dalarna fills it.
    minx, miny, maxx, maxy = sweden_map().bounds(sorted(dalarna))
    assert box[0] <= minx and box[1] <= miny
    assert box[0] + box[2] >= maxx and box[1] + box[3] >= maxy
    assert (maxx - minx) >= 0.9 * box[2] or (maxy - miny) >= 0.9 * box[3]
    assert "Dalarnas län" in (ElementTree.fromstring(svg).get("aria-label") or "")


def test_the_page_draws_the_map_above_the_table(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    client, _ = client_for("las")
    html = client.get("/oversikt").text
    assert html.index('<svg xmlns="http://www.w3.org/2000/svg" class="karta"') \
        < html.index('id="kommuner"')
    links = re.findall(r'<a href="([^"]+)" class="kommun status-(\w+)" data-kod="(\d{4})">', html)
    assert len(links) == 290
    statuses = {item.municipality.code: item.status.value
                for item in web_env.backend.national_overview().municipalities}
    assert {code: status for _, status, code in links} == statuses
    mark = municipalities.by_name()["mark"].code
    assert (f"/overenskommelse/{web_env.ids['mark']}", statuses[mark], mark) in links
    assert 'class="swatch"' in html and "Hoppa över kartan" in html
    county = client.get("/oversikt?lan=V%C3%A4stra+G%C3%B6talands+l%C3%A4n").text
    codes = re.findall(r'class="kommun status-\w+" data-kod="(\d{4})"', county)
    assert len(codes) == 49 and all(code.startswith("14") for code in codes)


def test_the_service_warm_up_loads_the_map_and_never_fails(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Backend.warm (run by `samverkan serve` as it starts) on a HOME with nothing in it:
    no error, and the map's shapes are loaded for the first Översikt."""
    from samverkan.archive.home import Home
    from samverkan.web.backend import Backend

    sweden_map.cache_clear()
    backend = Backend(Home(home=tmp_path / "tom"))
    try:
        backend.warm()
    finally:
        backend.close()
    assert sweden_map.cache_info().currsize == 1


def test_the_cached_map_is_the_map_made_from_the_boundaries() -> None:
    from samverkan.mapdata import from_json, make_map, to_json

    made = make_map()
    assert from_json(to_json(made)) == made


def test_a_process_reads_the_map_from_the_cache_without_the_geometry_libraries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The first process makes the cache in a child; later ones only read it, so the
    service never holds pyarrow, shapely and the full boundaries. A damaged cache file is
    made again."""
    import json
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom samverkan.mapdata import sweden_map, cache_path\n"
            "found = sweden_map()\n"
            "print(len(found.municipalities), 'shapely' in sys.modules, "
            "'pyarrow' in sys.modules, cache_path())")
    env = {**os.environ, "SAMVERKAN_CACHE_DIR": str(tmp_path)}

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=300, check=True)
        return done.stdout.split()

    first = run()
    assert first[:3] == ["290", "False", "False"]
    cached = tmp_path / "map"
    assert [path.name for path in cached.iterdir()] == [first[3].rsplit("/", 1)[1]]
    assert run()[:3] == ["290", "False", "False"]
    path = cached / first[3].rsplit("/", 1)[1]
    path.write_text('{"format": 1, "municipalities": {}', encoding="utf-8")
    assert run()[:3] == ["290", "False", "False"]
    assert len(json.loads(path.read_text(encoding="utf-8"))["municipalities"]) == 290
