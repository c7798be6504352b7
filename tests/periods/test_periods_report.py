"""The comparison as terminal text, JSON and a self-contained, escaped Swedish HTML page."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samverkan.docgen.compare import Comparison, compare
from samverkan.docgen.compare_report import render_html, render_json, render_text, sections
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.model import Commitment

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    original = load_yaml(DATA / "vastervik-2022-2024.yaml")
    edited = original.model_copy(deep=True)
    areas = edited.focus_areas
    areas[0].commitments[1].text = ("Åtgärda brister i belysning och klotter inom en vecka "
                                    "efter anmälan")
    areas[1].commitments.pop(2)
    areas[2].commitments.append(Commitment(
        party="polis", text="Samverka med <script>alert(1)</script> & hedersrådet"))
    moved = areas[0].commitments.pop(3)
    areas[2].commitments.append(moved)
    edited.period = edited.period.model_copy(update={"start": "2025", "end": "2027"})
    edited.signatories[0].name = "Tomas Kronståhl"
    return compare(original, edited, a_label="Västervik 2022–2024",
                   b_label="Västervik 2025–2027")


def test_sections_group_by_area_then_party(comparison: Comparison) -> None:
    found = sections(comparison)
    assert [s.title for s in found] == ["Trygghet i offentliga miljöer", "Barn och unga i riskzon",
                                        "Våld i nära relationer"]
    violence = found[2]
    assert [g.party for g in violence.parties] == ["kommun", "polis"]
    polis = violence.parties[1]
    assert sorted(c.kind for c in polis.changes) == ["added", "unchanged"]  # added + moved
    assert violence.unchanged_count == 2
    assert found[1].parties[-1].changes[0].kind == "removed"


def test_text_report(comparison: Comparison) -> None:
    text = render_text(comparison)
    assert text.startswith("Jämförelse\nA: Västervik 2022–2024")
    assert ("Texten i Västervik 2025–2027 skiljer sig från Västervik 2022–2024: 1 åtagande "
            "omformulerat, 1 åtagande tillagt, 1 åtagande borttaget, 1 åtagande flyttat till ett "
            "annat fokusområde, perioden ändrad.") in text
    assert "  2022–2024 → 2025–2027" in text
    assert ("~ Omformulerat: Åtgärda brister i belysning och klotter inom [-två veckor-] "
            "{+en vecka+} efter anmälan") in text
    assert "- Borttaget: Ta fram en gemensam lägesbild" in text
    assert "+ Tillagt: Samverka med <script>" in text
    assert "→ Flyttat från «Trygghet i offentliga miljöer»: Delta i trygghetsvandringar" in text
    assert "~ Ändrad: Tomas Kronståhl, Kommunstyrelsens ordförande" in text
    assert "namn: Harald Hjalmarsson → Tomas Kronståhl" in text
    assert "  Kommunen\n" in text and "  Polisen\n" in text and "  Gemensamt\n" in text
    assert "= Samordna arbetet med SSPF" not in text
    assert "= Samordna arbetet med SSPF" in render_text(comparison, show_unchanged=True)


def test_json_report(comparison: Comparison) -> None:
    data = json.loads(render_json(comparison))
    assert data["text_matches"] is False
    assert data["verdict"] == comparison.verdict
    assert data["period"] == {"field": "period", "label": "Period", "old": "2022–2024",
                              "new": "2025–2027"}
    reworded = [c for c in data["commitments"] if c["kind"] == "reworded"]
    assert reworded[0]["wdiff"].endswith("[-två veckor-] {+en vecka+} efter anmälan")
    assert reworded[0]["words"][1] == {"op": "replace", "old": "två veckor", "new": "en vecka"}
    assert data["counts"]["moved"] == 1
    assert data["a"]["label"] == "Västervik 2022–2024"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_swedish_escaped_and_self_contained(comparison: Comparison) -> None:
    html = render_html(comparison)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<style>" in html and "http" not in html.lower().replace("http-equiv", "")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; hedersrådet" in html
    assert "<del>två veckor</del> <ins>en vecka</ins>" in html
    assert "<del>2022–2024</del> <ins>2025–2027</ins>" in html
    parser = _Collector()
    parser.feed(html)
    assert "script" not in parser.tags
    text = " ".join(" ".join(parser.text).split())
    assert comparison.verdict in text
    assert "Fokusområden och åtaganden" in text and "Sammanfattning" in text
    assert "(från «Trygghet i offentliga miljöer»)" in text
    assert 'class="verdict differs"' in html


def test_html_matching_verdict() -> None:
    original = load_yaml(DATA / "vastervik-2022-2024.yaml")
    html = render_html(compare(original, original, mode="signed"))
    assert 'class="verdict match"' in html
    assert "Texten i den undertecknade versionen stämmer med utkastet." in html
