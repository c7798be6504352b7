"""The store: byte-for-byte originals, versions, grouping, corrections, the audit chain."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from samverkan.archive.corrections import NothingToCorrect
from samverkan.archive.errors import ArchiveError
from samverkan.archive.fsck import fsck
from samverkan.archive.store import Archive
from samverkan.docgen.reference import Reference
from tests.archive.conftest import agreement_text, docx_bytes, pdf_of


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_file_stores_original_byte_for_byte_read_only(archive: Archive, tmp_path: Path) -> None:
    source = put(tmp_path, "avtal.pdf", pdf_of(agreement_text()))
    before = source.read_bytes()
    result = archive.file(source, dnr="KS 2022/118", actor="Eva Registrator")
    assert result.status == "new" and result.version == 1
    assert result.agreement_id and result.agreement_id.startswith("SV-")
    stored = archive.original_path(result.sha256)
    assert stored.read_bytes() == before
    assert stored.parent.name == result.sha256[:2] and stored.name == result.sha256[2:]
    assert not stat.S_IMODE(stored.stat().st_mode) & 0o222
    assert source.read_bytes() == before  # the user's file is left where it was
    (record,) = archive.version_records(result.agreement_id)
    assert record.label == "undertecknad" and record.dnr == "KS 2022/118"
    assert record.filed_by == "Eva Registrator" and record.is_latest
    assert record.filename == "avtal.pdf" and record.media_type == "application/pdf"
    assert "förbinder sig" in "".join(record.pages)
    assert set(record.dates) == {"upprättad", "inkommen", "registrerad"}
    assert record.dates["inkommen"] and record.dates["registrerad"]
    derived = archive.derived_path(result.sha256, "text.json")
    assert json.loads(derived.read_text())["pages"] == list(record.pages)


def test_duplicate_is_logged_not_versioned(archive: Archive, tmp_path: Path) -> None:
    data = pdf_of(agreement_text())
    first = archive.file(put(tmp_path, "a.pdf", data), actor="Eva")
    again = archive.file(put(tmp_path, "kopia.pdf", data), actor="Olle")
    assert again.status == "duplicate"
    assert (again.agreement_id, again.version) == (first.agreement_id, first.version)
    assert len(archive.version_records(first.agreement_id)) == 1
    events = [(e["event"], e["actor"], e.get("filename")) for e in
              archive.audit_trail(first.agreement_id)]
    assert events == [("filed", "Eva", "a.pdf"), ("duplicate", "Olle", "kopia.pdf")]


def test_footer_reference_groups_versions(archive: Archive, tmp_path: Path) -> None:
    footer = Reference("SV-7F3K-9Q2M", 1).footer
    draft = archive.file(put(tmp_path, "utkast.pdf", pdf_of(agreement_text(footer=footer))),
                         label="utkast")
    signed = archive.file(put(tmp_path, "signerad.pdf",
                              pdf_of(agreement_text(extra="Undertecknat", footer=footer))))
    assert draft.agreement_id == signed.agreement_id == "SV-7F3K-9Q2M"
    assert (draft.version, signed.version) == (1, 2)
    assert draft.matched_by == signed.matched_by == "footer"
    records = archive.version_records("SV-7F3K-9Q2M")
    assert [r.label for r in records] == ["utkast", "undertecknad"]
    assert [r.is_latest for r in records] == [False, True]


def test_docx_footer_reference_groups(archive: Archive, tmp_path: Path) -> None:
    footer = Reference("SV-ABCD-EFGH", 3).footer
    result = archive.file(put(tmp_path, "a.docx", docx_bytes(
        ["Samverkansöverenskommelse", "Kommunen förbinder sig att samverka."], footer=footer)))
    assert (result.agreement_id, result.matched_by) == ("SV-ABCD-EFGH", "footer")


def qr_pdf(payload: str, text: str) -> bytes:
    import segno
    from fpdf import FPDF

    from samverkan.fixtures import _font_path

    image = io.BytesIO()
    segno.make(payload, error="m").save(image, kind="png", scale=4)
    image.seek(0)
    pdf = FPDF()
    pdf.add_font("Body", "", _font_path())
    pdf.set_font("Body", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 5, text)
    pdf.image(image, x=170, y=255, w=22)
    return bytes(pdf.output())


def test_qr_reference_wins(archive: Archive, tmp_path: Path) -> None:
    data = qr_pdf("samverkan:SV-QRQR-1234:v2", agreement_text())
    result = archive.file(put(tmp_path, "qr.pdf", data))
    assert (result.agreement_id, result.matched_by) == ("SV-QRQR-1234", "qr")


def test_grouping_by_parties_and_period(archive: Archive, tmp_path: Path) -> None:
    first = archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text(period="2022–2024"))))
    same = archive.file(put(tmp_path, "b.pdf", pdf_of(agreement_text(
        period="2022–2024", extra="Reviderad bilaga"))), label="reviderad")
    other_period = archive.file(put(tmp_path, "c.pdf", pdf_of(agreement_text(period="2025–2027"))))
    other_party = archive.file(put(tmp_path, "d.pdf", pdf_of(agreement_text(municipality="Borås"))))
    assert same.agreement_id == first.agreement_id and same.version == 2
    assert same.matched_by == "parties-period"
    assert len({first.agreement_id, other_period.agreement_id, other_party.agreement_id}) == 3


def test_nothing_recognised_gets_random_id(archive_factory, tmp_path: Path) -> None:
    archive = archive_factory(recogniser=None)
    a = archive.file(put(tmp_path, "a.txt", b"Anteckningar utan parter"))
    b = archive.file(put(tmp_path, "b.txt", b"Andra anteckningar"))
    assert a.matched_by == b.matched_by == "new" and a.agreement_id != b.agreement_id


def test_real_reader_groups_a_seed(settings, tmp_path: Path,
                                   seed_texts: dict[str, str]) -> None:
    archive = Archive(settings)  # the default recogniser: the project's reader
    text = seed_texts["trelleborg-2023-2026"]
    first = archive.file(put(tmp_path, "trelleborg.pdf", pdf_of(text)))
    second = archive.file(put(tmp_path, "trelleborg.txt", text.encode()))
    assert second.agreement_id == first.agreement_id and second.version == 2
    record = archive.version_records(first.agreement_id)[-1]
    assert record.agreement is not None
    assert record.agreement.parties.municipalities == ["Trelleborg"]


def test_label_must_be_known(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="Etiketten «slutgiltig» finns inte"):
        archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())), label="slutgiltig")
    with pytest.raises(ArchiveError, match="Diarienumret är för långt"):
        archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())), dnr="KS " + "1" * 70)


def test_a_diarienummer_can_be_removed_but_an_empty_field_changes_nothing(
        archive: Archive, tmp_path: Path) -> None:
    filed = archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())), dnr=" KS\t1/2024 ")
    assert archive.version_records(filed.agreement_id)[0].dnr == "KS 1/2024"
    with pytest.raises(NothingToCorrect):
        archive.correct(filed.agreement_id, 1)
    assert archive.correct(filed.agreement_id, 1, dnr="").dnr is None
    with pytest.raises(NothingToCorrect):  # already without one
        archive.correct(filed.agreement_id, 1, dnr="")


def test_corrections_are_events_and_survive_replay(archive: Archive, tmp_path: Path,
                                                   settings) -> None:
    a = archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())))
    b = archive.file(put(tmp_path, "b.pdf", pdf_of(agreement_text(municipality="Borås"))))
    log_before = archive.audit.path.read_bytes()
    archive.correct(a.agreement_id, 1, label="utkast", dnr="KS 1/2022", actor="Eva")
    moved = archive.correct(a.agreement_id, 1, move_to=b.agreement_id, actor="Eva")
    assert (moved.agreement_id, moved.version, moved.label) == (b.agreement_id, 2, "utkast")
    assert a.agreement_id not in archive.agreement_ids()
    assert archive.audit.path.read_bytes().startswith(log_before)  # appended, never rewritten
    replayed = Archive(settings, recogniser=None)
    records = replayed.version_records(b.agreement_id)
    assert [(r.version, r.label, r.dnr) for r in records] == [(1, "undertecknad", None),
                                                              (2, "utkast", "KS 1/2022")]
    events = [e["event"] for e in replayed.audit_trail(b.agreement_id)]
    assert events == ["filed", "filed", "corrected", "corrected"]
    with pytest.raises(ArchiveError, match="finns inte"):
        archive.correct(a.agreement_id, 1, label="reviderad")
    with pytest.raises(ArchiveError, match="inget att rätta"):
        archive.correct(b.agreement_id, 2, label="utkast")


def test_subscribers_hear_filings_and_corrections(archive: Archive, tmp_path: Path) -> None:
    heard: list[str] = []
    archive.subscribe(heard.append)
    archive.subscribe(lambda _id: 1 / 0)  # a failing subscriber does not undo anything
    data = pdf_of(agreement_text())
    a = archive.file(put(tmp_path, "a.pdf", data))
    archive.file(put(tmp_path, "b.pdf", data))  # duplicate: no news
    archive.correct(a.agreement_id, 1, move_to="SV-0000-0001")
    assert heard == [a.agreement_id, "SV-0000-0001", a.agreement_id]


def test_two_processes_share_one_home(settings, tmp_path: Path) -> None:
    one, two = Archive(settings, recogniser=None), Archive(settings, recogniser=None)
    a = one.file(put(tmp_path, "a.txt", b"Kommun: Mark\nEtt"))
    b = two.file(put(tmp_path, "b.txt", b"Kommun: Mark\nTva"))
    moved = one.correct(b.agreement_id, 1, move_to=a.agreement_id)
    assert moved.version == 2
    assert [r.sha256 for r in two.version_records(a.agreement_id)] == [a.sha256, b.sha256]
    seqs = [e["seq"] for e in two.audit_entries()]
    assert seqs == list(range(1, len(seqs) + 1))


# -- fsck ------------------------------------------------------------------------------------

def test_fsck_clean_then_detects_tampering(archive: Archive, tmp_path: Path) -> None:
    result = archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())))
    archive.file(put(tmp_path, "b.pdf", pdf_of(agreement_text(extra="Bilaga"))))
    archive.correct(result.agreement_id, 1, dnr="KS 5/2022")
    assert fsck(archive).ok, fsck(archive).problems
    lines = archive.audit.path.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[0])
    entry["actor"] = "Mallory"
    os.chmod(archive.audit.path, 0o644)
    archive.audit.path.write_bytes(json.dumps(entry).encode() + b"\n" + b"".join(lines[1:]))
    report = fsck(archive, recover=False)
    assert any("kedjan är bruten" in p for p in report.problems)
    archive.audit.path.write_bytes(b"".join(lines[:1] + lines[2:]))  # a line removed
    assert any("löpnummer" in p for p in fsck(archive, recover=False).problems)
    archive.audit.path.write_bytes(b"".join(lines[:-1]))  # the last line removed
    assert any("de sista raderna" in p for p in fsck(archive, recover=False).problems)
    archive.audit.path.write_bytes(b"".join(lines))
    stored = archive.original_path(result.sha256)
    os.chmod(stored, 0o644)
    assert any("skrivskyddat" in p for p in fsck(archive, recover=False).problems)
    stored.write_bytes(stored.read_bytes() + b"%")
    assert any("har ändrats" in p for p in fsck(archive, recover=False).problems)


def test_fsck_reports_orphan_object_and_asks_the_followers(archive: Archive,
                                                          tmp_path: Path) -> None:
    from samverkan.archive.plugins import hookimpl

    class Follower:
        @hookimpl
        def fsck_problems(self, archive: Archive) -> list[str]:
            return [f"index saknar v1 av {len(archive.agreement_ids())}"]

    class Broken:
        @hookimpl
        def fsck_problems(self, archive: Archive) -> list[str]:
            raise RuntimeError("trasigt")

    archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())))
    archive.objects.put(b"ett original utan handelse")
    archive.plugins.register(Follower(), name="index")
    archive.plugins.register(Broken(), name="trasig")
    report = fsck(archive)
    assert any("ingen händelse" in p for p in report.problems)
    assert "index saknar v1 av 1" in report.problems
    assert any("trasig misslyckades: trasigt" in p for p in report.problems)
    assert "index saknar v1 av 1" not in fsck(archive, extra_checks=False).problems


def test_torn_audit_tail_is_moved_aside(archive: Archive, tmp_path: Path, settings) -> None:
    archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())))
    with open(archive.audit.path, "ab") as log:
        log.write(b'{"event":"filed","half')  # a crash in the middle of an append
    fresh = Archive(settings, recogniser=None)
    fresh.file(put(tmp_path, "b.pdf", pdf_of(agreement_text(extra="Ny"))))
    assert fsck(fresh).ok
    assert list(archive.root.glob("audit.jsonl.torn-*"))


# -- digital signatures ------------------------------------------------------------------------

def _sign(pdf: bytes) -> bytes:
    import datetime

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Åsa Öberg"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Marks kommun")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                           signers.PdfSignatureMetadata(field_name="Kommunen"), signer=signer)
    return out.getvalue()


def _tamper(signed: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 50 50 Td (X) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_signed_pdf_signer_recorded_and_tampering_detected(archive: Archive,
                                                           tmp_path: Path) -> None:
    signed = _sign(pdf_of(agreement_text()))
    tampered = _tamper(signed)
    ok = archive.file(put(tmp_path, "signerad.pdf", signed))
    bad = archive.file(put(tmp_path, "andrad.pdf", tampered))
    assert archive.original_path(ok.sha256).read_bytes() == signed
    assert archive.original_path(bad.sha256).read_bytes() == tampered
    (good,) = archive.signatures(ok.sha256)
    assert good["common_name"] == "Åsa Öberg" and good["organisation"] == "Marks kommun"
    assert good["intact"] and not good["changed_after_signing"]
    (changed,) = archive.signatures(bad.sha256)
    assert changed["changed_after_signing"] and not changed["allowed_changes"]
    assert not ok.notes and any("ändrats efter signeringen" in n for n in bad.notes)
    record = archive.version_records(bad.agreement_id)[-1]
    assert record.signatures[0]["common_name"] == "Åsa Öberg"


# -- scans without waiting for real OCR -------------------------------------------------------

def _scan(text: str) -> bytes:
    from samverkan.fixtures import scan_pdf_bytes

    return scan_pdf_bytes(pdf_of(text), dpi=60, noise=0)


def test_scan_pending_then_grouped_when_text_arrives(archive: Archive, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from samverkan.archive import ocr

    def fake_ocr(source: Path, target: Path, *, force: bool = False) -> list[str]:
        shutil.copy(source, target)  # stands in for the copy with a text layer
        return ["Kommun: Mark\nPolis: Borås\nPeriod: 2022–2024\nUndertecknad: 2022-02-01"]

    monkeypatch.setattr(ocr, "ocr_pdf", fake_ocr)
    text = archive.file(put(tmp_path, "text.pdf", pdf_of(agreement_text())))
    queued: list[str] = []
    archive.set_background(queued.append)
    scan = put(tmp_path, "skannad.pdf", _scan("Undertecknad"))
    pending = archive.file(scan, wait=False, dnr="KS 9")
    assert pending.status == "pending" and pending.agreement_id is None
    assert queued == [pending.sha256] and archive.pending_ocr() == [pending.sha256]
    assert archive.file(scan).status == "duplicate"  # known while it waits
    assert fsck(archive).ok and any("väntar" in n for n in fsck(archive).notes)
    done = archive.complete_pending(pending.sha256)
    assert done.status == "new" and done.agreement_id == text.agreement_id
    assert done.version == 2 and done.matched_by == "parties-period"
    record = archive.version_records(text.agreement_id)[-1]
    assert record.method == "ocr" and record.dnr == "KS 9"
    assert record.dates["upprättad"] == "2022-02-01"
    assert archive.ocr_pdf_path(pending.sha256) is not None
    assert archive.original_path(pending.sha256).read_bytes() == scan.read_bytes()
    assert not archive.pending_ocr() and fsck(archive).ok


def test_ocr_failure_still_files_the_scan(archive: Archive, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from samverkan.archive import ocr
    from samverkan.archive.errors import ExtractionError

    def broken(source: Path, target: Path, *, force: bool = False) -> list[str]:
        raise ExtractionError(source, "textigenkänningen (OCR) misslyckades: tesseract saknas",
                              kind="ocr_failed")

    monkeypatch.setattr(ocr, "ocr_pdf", broken)
    result = archive.file(put(tmp_path, "skannad.pdf", _scan("Hej")))
    assert result.status == "new" and any("misslyckades" in n for n in result.notes)
    events = [e["event"] for e in archive.audit_entries()]
    assert events == ["received", "ocr_failed", "filed"]
    assert fsck(archive).ok
