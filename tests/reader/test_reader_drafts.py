"""The project's own drafts read back: every example drafted to DOCX and PDF/A (text layer),
and one drafted PDF scanned and OCR'd, scored against a gold built from the example's model.

The registrar's check (docgen/compare.py) compares a signed copy with its draft through the
reader, so a draft must read back with its commitments, parties, focus areas (numbered
headings) and signature page (two blocks a row, "Ort och datum" / "Namnförtydligande" /
"Titel" labels) intact, and the UTKAST line of a draft is not read as part of it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from samverkan.docgen.model import Agreement
from samverkan.docgen.record import to_record
from samverkan.reader import read_pages
from tests.reader.conftest import EXAMPLE_NAMES, SCANNED_EXAMPLE
from tests.reader.helpers_reader import scorer

pytestmark = pytest.mark.slow

KINDS = ("pdf", "docx")


def gold_of(agreement: Agreement) -> dict[str, Any]:
    """The record a careful reader recovers from the draft: the model's own record (the
    draft prints every field of it; an unsigned date stays blank and so null)."""
    record = to_record(agreement)
    record.pop("id")
    record.pop("version")
    return record


def squash(text: str) -> str:
    return " ".join(text.split())


def owners(agreement: Agreement) -> dict[str, str | None]:
    """Commitment text -> title of the focus area it stands under (None: general)."""
    found: dict[str, str | None] = {squash(c.text): None for c in agreement.commitments}
    for area in agreement.all_focus_areas():
        for commitment in area.commitments:
            found[squash(commitment.text)] = area.title
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_draft_reads_back(drafted_examples, draft_pages, name: str, kind: str) -> None:
    agreement, _ = drafted_examples[name]
    reading = read_pages(draft_pages[(name, kind)])
    result = scorer().score(reading.record, gold_of(agreement))
    assert result["total"] >= 0.95, (name, kind, result)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_draft_commitments_exact_and_under_their_area(drafted_examples, draft_pages,
                                                      name: str, kind: str) -> None:
    """Text layers carry the drafted wording exactly: every commitment, its party, and the
    focus area it stands under ("4.2 …" headings start a new area, never a commitment)."""
    agreement, _ = drafted_examples[name]
    reading = read_pages(draft_pages[(name, kind)])
    read = [(c["party"], squash(c["text"])) for c in reading.record["commitments"]]
    expected = [(c.party, squash(c.text)) for _, c in agreement.all_commitments()]
    assert read == expected
    assert reading.agreement is not None
    assert owners(reading.agreement) == owners(agreement)
    assert reading.record["focus_areas"] == [a.title for a in agreement.all_focus_areas()]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_draft_signature_page(drafted_examples, draft_pages, name: str, kind: str) -> None:
    agreement, _ = drafted_examples[name]
    reading = read_pages(draft_pages[(name, kind)])
    assert reading.record["signatories"] == gold_of(agreement)["signatories"]
    assert reading.record["signed"] == gold_of(agreement)["signed"]
    assert "UTKAST" not in reading.agreement.title


def test_scanned_final_document_reads_back(drafted_examples, draft_scan_pages) -> None:
    """OCR turns bullets into "e", "e -", "«"; the footer must not end up in a commitment."""
    agreement, _ = drafted_examples[SCANNED_EXAMPLE]
    reading = read_pages(draft_scan_pages)
    score = scorer()
    result = score.score(reading.record, gold_of(agreement))
    assert result["total"] >= 0.95, result
    expected = [c for _, c in agreement.all_commitments()]
    read = reading.record["commitments"]
    assert len(read) == len(expected)
    for got, want in zip(read, expected, strict=True):
        assert got["party"] == want.party
        assert score.similar(score.commitment_norm(got["text"]),
                             score.commitment_norm(want.text)) >= 0.9, (got, want.text)
        assert not re.search(r"Sida \d|Överenskommelse SV|version \d", got["text"]), got
    assert reading.record["focus_areas"] == [a.title for a in agreement.all_focus_areas()]
