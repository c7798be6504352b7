"""Default labels from the document's own title, and printed version numbers kept."""

from __future__ import annotations

from pathlib import Path

from samverkan.archive.labelling import choose_version, default_label, says_draft
from samverkan.archive.store import Archive
from samverkan.docgen.reference import Reference
from tests.archive.conftest import agreement_text, docx_bytes, pdf_of


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_draft_in_title_or_first_lines() -> None:
    assert says_draft(["Samverkansöverenskommelse 2024–2026 – utkast\nMarks kommun"])
    assert says_draft(["\n\n  UTKAST  \nSamverkansöverenskommelse"])
    assert says_draft(["", "Utkast till samverkansöverenskommelse mellan Håbo kommun"])
    assert says_draft(["Marks kommun\nLokalpolisområde Borås\nDnr KS 2024/12\n"
                       "2024-03-01\nSamverkansöverenskommelse\nUtkast v2\nText …"])


def test_no_draft_when_not_said_in_the_title() -> None:
    assert not says_draft(["Samverkansöverenskommelse 2024–2026\nMarks kommun"])
    assert not says_draft([])
    assert not says_draft(["", "  \n"])
    assert not says_draft(["Samverkansöverenskommelse\nA\nB\nC\nD\nE\nUtkast"])  # too far down
    assert not says_draft(["Utkastet\nUtkastade åtgärder"])  # other words, not the label
    running = ("Denna överenskommelse ersätter det utkast som parterna diskuterade under "
               "hösten 2023 och gäller från och med den dag då den undertecknats av alla.")
    assert not says_draft([running])
    assert default_label(["Samverkansöverenskommelse"]) == "undertecknad"
    assert default_label(["SAMVERKANSÖVERENSKOMMELSE – UTKAST"]) == "utkast"


def test_choose_version() -> None:
    ref = Reference("SV-7F3K-9Q2M", 2)
    assert choose_version(ref, "SV-7F3K-9Q2M", set()) == 2
    assert choose_version(ref, "SV-7F3K-9Q2M", {1}) == 2
    assert choose_version(ref, "SV-7F3K-9Q2M", {2}) == 3
    assert choose_version(ref, "SV-7F3K-9Q2M", {2, 5}) == 6
    assert choose_version(ref, "SV-AAAA-BBBB", {1}) == 2  # reference of another agreement
    assert choose_version(None, "SV-7F3K-9Q2M", {1, 2}) == 3
    assert choose_version(Reference("SV-7F3K-9Q2M", 0), "SV-7F3K-9Q2M", set()) == 1
    assert choose_version(Reference("SV-7F3K-9Q2M", 40000), "SV-7F3K-9Q2M", set()) == 1


def test_filed_draft_gets_label_utkast(archive: Archive, tmp_path: Path) -> None:
    text = agreement_text().replace("Samverkansöverenskommelse",
                                    "Samverkansöverenskommelse 2022–2024 – utkast", 1)
    draft = archive.file(put(tmp_path, "a.pdf", pdf_of(text)))
    stamped = archive.file(put(tmp_path, "b.docx", docx_bytes(
        ["UTKAST", "Samverkansöverenskommelse", "Kommun: Håbo", "Period: 2024–2025"])))
    given = archive.file(put(tmp_path, "c.pdf", pdf_of(text + "\nrev")), label="reviderad")
    plain = archive.file(put(tmp_path, "d.pdf", pdf_of(agreement_text(municipality="Ale"))))
    assert (draft.label, stamped.label, given.label, plain.label) == (
        "utkast", "utkast", "reviderad", "undertecknad")
    (record,) = archive.version_records(plain.agreement_id)
    assert record.label == "undertecknad"
    assert [r.label for r in archive.version_records(draft.agreement_id)] == [
        "utkast", "reviderad"]


def test_printed_version_kept_when_free(archive: Archive, tmp_path: Path) -> None:
    """The signed v2 arrives before the v1 draft is filed: both keep their printed numbers;
    a second file printed v1 (a signed return of the draft) comes after the highest."""
    agreement = "SV-7F3K-9Q2M"
    signed = archive.file(put(tmp_path, "v2.pdf", pdf_of(agreement_text(
        extra="Undertecknat", footer=Reference(agreement, 2).footer))))
    draft = archive.file(put(tmp_path, "v1.pdf", pdf_of(agreement_text(
        extra="Utkast", footer=Reference(agreement, 1).footer))), label="utkast")
    returned = archive.file(put(tmp_path, "v1-retur.pdf", pdf_of(agreement_text(
        extra="Underskriven retur", footer=Reference(agreement, 1).footer))))
    assert (signed.version, draft.version, returned.version) == (2, 1, 3)
    records = archive.version_records(agreement)
    assert [(r.version, r.label, r.is_latest) for r in records] == [
        (1, "utkast", False), (2, "undertecknad", False), (3, "undertecknad", True)]
