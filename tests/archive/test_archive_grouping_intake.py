"""Grouping through the real intake: files of one agreement read differently still become
versions of one agreement, and the filing's audit entry says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from samverkan.archive import intake as intake_module
from samverkan.archive.grouping import SIMILARITY_THRESHOLD
from samverkan.archive.recognise import Recognition
from samverkan.archive.similarity import Fingerprint
from samverkan.archive.store import Archive
from samverkan.fixtures import scan_pdf_bytes, write_text_pdf
from samverkan.web.views import audit_view
from tests.archive.conftest import docx_bytes, fake_recogniser, pdf_of

BODY = (
    "Parterna har sedan flera år ett nära samarbete kring trygghet i centrum och i "
    "bostadsområdena. Denna överenskommelse tydliggör prioriteringar och ansvar för den "
    "kommande perioden. Kommunen åtar sig att erbjuda meningsfull fritid under lov och helger "
    "i samverkan med civilsamhället och att utveckla föräldrastöd för familjer med barn i "
    "riskzon. Polisen åtar sig att genomföra orossamtal tillsammans med socialtjänsten och att "
    "vara en aktiv part vid kritiska datum och evenemang utifrån den gemensamma lägesbilden. "
    "Parterna följer upp arbetet två gånger per år i styrgruppen och redovisar resultatet för "
    "kommunstyrelsen och lokalpolisområdets ledning."
)


def agreement(police: str = "Borås", period: str = "2022–2024",
              municipalities: tuple[str, ...] = ("Mark", "Borås"), kommun: str = "Kommun") -> str:
    lines = ["Samverkansöverenskommelse"]
    lines += [f"{kommun}: {name}" for name in municipalities]
    lines += [f"Polis: {police}", f"Period: {period}", "", BODY]
    return "\n".join(lines) + "\n"


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def filing(archive: Archive, agreement_id: str, version: int) -> dict:
    """The "filed" audit entry of one version."""
    sha = archive.version_state(agreement_id, version).sha256
    return next(e for e in archive.audit_trail(agreement_id)
                if e["event"] == "filed" and e["sha256"] == sha)


def test_municipality_misread_groups_by_similar_text(archive: Archive, tmp_path: Path) -> None:
    text = archive.file(put(tmp_path, "avtal.pdf", pdf_of(agreement())))
    # The same agreement where "Kommun" came out as "Kornmun" on one line: Borås is not read.
    other = agreement(municipalities=("Mark",)).replace(
        "Kommun: Mark\n", "Kommun: Mark\nKornmun: Borås\n")
    second = archive.file(put(tmp_path, "retur.pdf", pdf_of(other)))
    assert second.agreement_id == text.agreement_id and second.version == 2
    assert second.matched_by == "similar-text"
    entry = filing(archive, text.agreement_id, 2)
    assert entry["reason"] == entry["match"]["reason"]
    assert entry["reason"].startswith("Grupperad via textlikhet ")
    assert "med version 1 (parterna lästes olika: Mark mot Borås, Mark)" in entry["reason"]
    assert entry["match"]["similarity"] >= SIMILARITY_THRESHOLD
    assert Fingerprint.from_json(entry["key"]["body"]).usable  # logged for later files
    assert entry["reason"] in audit_view(entry)["details"]  # shown in the web's audit trail
    first = filing(archive, text.agreement_id, 1)
    assert first["reason"] == "Ny överenskommelse: arkivet har ingen annan att jämföra med"


def test_docx_and_text_pdf_group_by_parties_and_period(archive: Archive, tmp_path: Path) -> None:
    pdf = archive.file(put(tmp_path, "avtal.pdf", pdf_of(agreement(period="2022–2024"))))
    paragraphs = agreement(police="lokalpolisområde borås", period="2022-01-01–2024-12-31")
    docx = archive.file(put(tmp_path, "avtal.docx", docx_bytes(paragraphs.splitlines())))
    assert (docx.agreement_id, docx.version, docx.matched_by) == (
        pdf.agreement_id, 2, "parties-period")
    assert filing(archive, pdf.agreement_id, 2)["reason"] == (
        "Grupperad via parter och period (Borås, Mark; lokalpolisområde borås; "
        "2022-01-01–2024-12-31)")


def test_renewal_with_the_same_wording_is_a_new_agreement(archive: Archive,
                                                          tmp_path: Path) -> None:
    old = archive.file(put(tmp_path, "2022.pdf", pdf_of(agreement(period="2022–2024"))))
    new = archive.file(put(tmp_path, "2025.pdf", pdf_of(agreement(period="2025–2027"))))
    assert new.agreement_id != old.agreement_id and new.matched_by == "new"
    reason = filing(archive, new.agreement_id, 1)["reason"]
    assert reason == (f"Ny överenskommelse: ingen befintlig överenskommelse stämde (närmast: "
                      f"{old.agreement_id} likhet 1,00, men annan period (2025 mot 2022))")


def test_versions_filed_before_fingerprints_are_compared_from_their_text(
        archive_factory: Callable[..., Archive], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:  # file one version the way older releases did
        patch.setattr(intake_module.Fingerprint, "of",
                      classmethod(lambda cls, pages: cls(size=0, sketch=())))
        archive = archive_factory()
        old = archive.file(put(tmp_path, "gammal.pdf", pdf_of(agreement())))
    assert "body" not in filing(archive, old.agreement_id, 1)["key"]
    reopened = archive_factory()
    scan = reopened.file(put(tmp_path, "ny.pdf", pdf_of(agreement(kommun="Kornmun"))))
    assert (scan.agreement_id, scan.matched_by) == (old.agreement_id, "similar-text")
    assert "parterna lästes olika: – mot Borås, Mark" in filing(
        reopened, old.agreement_id, 2)["reason"]


@pytest.mark.slow
def test_scan_of_a_text_pdf_read_differently_becomes_its_second_version(
        archive_factory: Callable[..., Archive], tmp_path: Path) -> None:
    """Real OCR of one short page; the reader loses a municipality in the OCR'd text (as
    happened in the issue) and the wording groups it."""
    readings: list[list[str]] = []

    def misreading(pages: list[str]) -> Recognition:
        readings.append(pages)
        found = fake_recogniser(pages)
        if len(readings) > 1:  # the scan: Borås was not read, the police area in lower case
            record = dict(found.record)
            record["municipalities"] = [m for m in record["municipalities"] if m != "Borås"]
            record["police_area"] = (record["police_area"] or "").lower() or None
            found = Recognition(record=record)
        return found

    archive = archive_factory(recogniser=misreading)
    text_pdf = write_text_pdf(agreement(), tmp_path / "avtal.pdf")
    first = archive.file(text_pdf, dnr="KS 2022/1")
    scan = put(tmp_path, "avtal-retur.pdf", scan_pdf_bytes(text_pdf.read_bytes(), seed=3))
    second = archive.file(scan, dnr="KS 2022/1")
    assert second.status == "new"
    assert (second.agreement_id, second.version) == (first.agreement_id, 2)
    assert second.matched_by == "similar-text"
    assert archive.agreement_ids() == [first.agreement_id]
    records = archive.version_records(first.agreement_id)
    assert [r.method for r in records] == ["pdf-text", "ocr"]
    assert "samverkan" in " ".join(records[1].pages).casefold()
    entry = filing(archive, first.agreement_id, 2)
    assert entry["reason"].startswith("Grupperad via textlikhet ")
    assert "parterna lästes olika: Mark mot Borås, Mark" in entry["reason"]
    assert entry["match"]["by"] == "similar-text"
    assert entry["match"]["similarity"] >= SIMILARITY_THRESHOLD
