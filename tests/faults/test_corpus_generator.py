"""The benchmark corpus is reproducible, national, and its expected records match its text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdf
import pytest

from bench.corpus import formal_name, generate, plan
from samverkan.docgen.municipalities import county_of, municipalities
from samverkan.docgen.reference import find_in_text


@pytest.fixture(scope="module")
def national() -> list[dict]:
    return plan(len(municipalities()) * 2, seed=11)


def _flat(text: str) -> str:
    """Page text as one line: footers removed, wrapped lines and bullets joined."""
    text = re.sub(r"Överenskommelse SV-\S+ · version \d+ · Sida \d+ av \d+", " ", text)
    return re.sub(r"\s+", " ", text.replace("\f", " "))


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    first, again, other = plan(30, seed=3), plan(30, seed=3), plan(30, seed=4)
    assert [p["pages"] for p in first] == [p["pages"] for p in again]
    assert [p["name"] for p in first] == [p["name"] for p in again]
    assert [p["pages"] for p in first] != [p["pages"] for p in other]


def test_every_municipality_appears_in_several_periods(national: list[dict]) -> None:
    seen: dict[str, set[str]] = {}
    for item in national:
        agreement = item["agreement"]
        for name in agreement.parties.municipalities:
            seen.setdefault(name, set()).add(agreement.period.start)
    assert set(seen) == {m.name for m in municipalities()}
    assert sum(len(periods) >= 2 for periods in seen.values()) > 250


def test_mix_of_versions_periods_and_shared_agreements(national: list[dict]) -> None:
    labels = Counter(item["label"] for item in national)
    assert labels["undertecknad"] == len(municipalities()) * 2
    assert labels["utkast"] > 50 and labels["reviderad"] > 20
    agreements = [item["agreement"] for item in national if item["label"] == "undertecknad"]
    assert any(a.period.open_ended and a.period.end is None for a in agreements)
    assert any(len(a.period.start or "") == 10 for a in agreements)
    shared = [a for a in agreements if len(a.parties.municipalities) > 1]
    assert len(shared) > 20
    for agreement in shared:  # neighbours come from the same county
        assert len(set(map(county_of, agreement.parties.municipalities))) == 1
        assert 2 <= len(agreement.signatories) <= 8


def test_versions_share_an_id_and_count_up(national: list[dict]) -> None:
    by_id: dict[str, list[int]] = {}
    for item in national:
        by_id.setdefault(item["agreement"].agreement_id, []).append(item["agreement"].version)
    assert all(versions == list(range(1, len(versions) + 1)) for versions in by_id.values())
    assert len(by_id) == len(municipalities()) * 2


def test_text_carries_what_the_record_says(national: list[dict]) -> None:
    for item in national[:120]:
        agreement, text = item["agreement"], "\f".join(item["pages"])
        flat = _flat(text)
        reference = find_in_text(text)
        assert reference and reference.agreement_id == agreement.agreement_id
        assert reference.version == agreement.version
        for name in agreement.parties.municipalities:
            assert formal_name(name) in flat
        assert f"lokalpolisområde {agreement.parties.police.name}" in flat or (
            f"polisområde {agreement.parties.police.name}" in flat)
        for area in agreement.all_focus_areas():
            assert area.title in flat
        for _, commitment in agreement.all_commitments():
            assert commitment.text in flat, commitment.text
        for signatory in agreement.signatories:
            assert signatory.name in text
        if item["label"] == "utkast":
            assert agreement.signing.date is None and "utkast" in text.splitlines()[0]
        else:
            assert agreement.signing.place and agreement.signing.date


def test_signature_section_stays_on_one_page(national: list[dict]) -> None:
    for item in national[:200]:
        last = item["pages"][-1]
        assert "Underskrifter" in last
        for signatory in item["agreement"].signatories:
            assert signatory.name in last


def test_generate_writes_readable_pdfs_and_a_manifest(tmp_path: Path) -> None:
    items = generate(4, seed=5, out_dir=tmp_path, scan_share=0.0)
    assert (tmp_path / "manifest.json").is_file()
    for item in items:
        reader = pypdf.PdfReader(item.path)
        assert len(reader.pages) == item.pages
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert item.agreement_id in text
        assert item.record["id"] == item.agreement_id and item.record["version"] == item.version


def test_formal_names_normalise_back() -> None:
    from samverkan.docgen.municipalities import normalise

    for m in municipalities():
        assert normalise(formal_name(m.name)) == m.name


def test_cli_writes_scans_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from bench.corpus import main

    assert main(["--n", "1", "--out", str(tmp_path), "--scan-share", "1", "--workers", "1"]) == 0
    assert "1 skannade" in capsys.readouterr().out
    rows = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["items"]
    signed = next(row for row in rows if row["label"] == "undertecknad")
    assert signed["scan"] is True
    reader = pypdf.PdfReader(tmp_path / signed["path"])
    assert not "".join(page.extract_text() or "" for page in reader.pages).strip()
    assert all(page.images for page in reader.pages)
