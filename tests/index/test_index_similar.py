"""Similar wording across agreements, and boilerplate grouped with its first appearance."""

from __future__ import annotations

import pytest

from samverkan.archive.home import Home
from samverkan.index.errors import SearchError
from samverkan.index.search import search
from samverkan.index.similar import boilerplate, similar, similarity


def test_similar_to_a_passage_groups_identical_boilerplate(built_home: Home) -> None:
    source = search(built_home, '"årlig trygghetsmätning"', limit=10).hits
    lund = next(h for h in source if h.agreement_id == "SV-LND0-2024")
    result = similar(built_home, lund.pid, limit=5)
    assert result.source_agreement == "SV-LND0-2024"
    assert all(h.agreement_id != "SV-LND0-2024" for h in result.hits)
    top = result.groups[0]
    assert top.similarity == 1.0 and top.count == 4
    assert set(top.agreements) == {"SV-GVL0-2016", "SV-UME0-2019", "SV-KRN0-0001",
                                   "SV-LND0-2024"}
    assert top.first_agreement == "SV-GVL0-2016" and top.first_year == 2016
    assert top.first_municipalities == ["Gävle"]
    assert "4 överenskommelser, först i Gävle 2016" in top.summary_sv
    assert result.source_group is not None and result.source_group.count == 4
    assert {h.agreement_id for h in result.hits[:3]} == {"SV-GVL0-2016", "SV-UME0-2019",
                                                          "SV-KRN0-0001"}
    assert result.hits[0].same_wording == 4 and result.hits[0].similarity == 1.0


def test_similar_to_free_text_reranks_by_wording(built_home: Home) -> None:
    result = similar(built_home, "Kommunen ska genomföra trygghetsvandringar varje höst "
                                 "tillsammans med polisen", limit=8)
    assert result.source_pid is None and result.hits
    assert any("trygghetsvandring" in h.text.lower() for h in result.hits[:3])
    scores = [h.similarity for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert result.to_json()["hits"][0]["text"]


def test_boilerplate_overview(built_home: Home) -> None:
    groups = boilerplate(built_home, min_agreements=3)
    assert groups and groups[0].count >= 4
    assert any("trygghetsmätning" in g.text for g in groups)


def test_similarity_is_wording_overlap() -> None:
    assert similarity("Delta i trygghetsvandringar", "delta i trygghetsvandringar.") == 1.0
    assert 0 < similarity("Delta i trygghetsvandringar", "Samordna trygghetsvandringar") < 1


def test_similar_errors_are_swedish(built_home: Home) -> None:
    with pytest.raises(SearchError, match="finns inte"):
        similar(built_home, "SV-XXXX-XXXX/v1/1")
    with pytest.raises(SearchError, match="Ange"):
        similar(built_home, "  ")
    with pytest.raises(SearchError, match="inga ord"):
        similar(built_home, "?!")
