"""The watched inbox: real documents and every kind of bad input dropped into it."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from samverkan.archive.fsck import fsck
from samverkan.archive.home import Home
from samverkan.archive.objects import sha256_bytes
from samverkan.archive.store import Archive
from samverkan.archive.watch import InboxWatcher, is_clutter
from samverkan.fixtures import scan_pdf_bytes, text_pdf_bytes
from tests.archive.conftest import agreement_text, docx_bytes, pdf_of
from tests.archive.test_archive_extract import encrypted_pdf, entity_docx, zip_bomb_docx


@pytest.fixture()
def inbox(settings: Home) -> Path:
    settings.inbox.mkdir(parents=True, exist_ok=True)
    return settings.inbox


def drop(inbox: Path, name: str | bytes, data: bytes) -> Path:
    path = os.path.join(os.fsencode(inbox), os.fsencode(name) if isinstance(name, str) else name)
    with open(path, "wb") as out:
        out.write(data)
    return Path(os.fsdecode(path))


def settled(watcher: InboxWatcher, timeout: float = 60) -> None:
    watcher.start()
    try:
        assert watcher.settle(timeout), "the inbox did not settle"
    finally:
        watcher.stop()


def test_clutter_names() -> None:
    for name in ("._avtal.pdf", "Thumbs.db", ".DS_Store", "@eaDir", "~$avtal.docx", "a.tmp",
                 "avtal.pdf.part", ".~lock.avtal.docx#", ".avtal.pdf.x1Y2", "desktop.ini"):
        assert is_clutter(name), name
    for name in ("avtal.pdf", "Överenskommelse Mölndal 2024.docx", "scan_0001.PDF"):
        assert not is_clutter(name), name


def test_real_documents_filed_from_the_inbox(archive: Archive, inbox: Path,
                                             seed_texts: dict[str, str]) -> None:
    payloads = {
        "mark.pdf": text_pdf_bytes(seed_texts["mark-2022-2024"]),
        "vasby.PDF": text_pdf_bytes(seed_texts["upplands-vasby-2021-2022"]),
        "trelleborg.docx": docx_bytes(seed_texts["trelleborg-2023-2026"].splitlines()[:200]),
        "anteckning.txt": "Kommun: Håbo\nPeriod: 2024–2025\nÅtaganden …".encode(),
        "utan-ändelse": pdf_of(agreement_text(municipality="Borås")),
    }
    for name, data in payloads.items():
        drop(inbox, name, data)
    for name in ("Thumbs.db", ".DS_Store", "._mark.pdf", "~$avtal.docx", "skanning.part"):
        drop(inbox, name, b"clutter")
    (inbox / "@eaDir").mkdir()
    results = []
    watcher = InboxWatcher(archive, on_result=results.append)
    settled(watcher)
    assert sorted(p.name for p in inbox.iterdir()) == sorted(
        ["Thumbs.db", ".DS_Store", "._mark.pdf", "~$avtal.docx", "skanning.part", "@eaDir"])
    assert sorted(r.status for r in results) == ["new"] * 5
    stored = {r.sha256 for r in archive.iter_versions()}
    assert stored == {sha256_bytes(data) for data in payloads.values()}
    assert {r.media_type for r in archive.iter_versions()} == {
        "application/pdf", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    assert all(r.filed_by == "inkorgen" for r in archive.iter_versions())
    assert fsck(archive).ok


def test_each_file_taken_once_even_if_events_repeat(archive: Archive, inbox: Path) -> None:
    watcher = InboxWatcher(archive)
    watcher.start()
    try:
        path = drop(inbox, "avtal.pdf", pdf_of(agreement_text()))
        for _ in range(5):  # repeated events for the same path
            watcher._note(path, closed=True)
            watcher._note(path, closed=False)
        assert watcher.settle(30)
        for _ in range(5):
            watcher._note(path, closed=True)
        watcher.rescan()
        watcher.step()
    finally:
        watcher.stop()
    events = [e["event"] for e in archive.audit_entries()]
    assert events == ["filed"]


def test_incomplete_file_waits_for_quiet_period(archive: Archive, inbox: Path,
                                                settings: Home) -> None:
    data = pdf_of(agreement_text())
    watcher = InboxWatcher(archive, polling=True)
    watcher.start()
    try:
        with open(inbox / "långsam.pdf", "wb") as out:  # a scanner writing slowly
            for start in range(0, len(data), len(data) // 6 + 1):
                out.write(data[start:start + len(data) // 6 + 1])
                out.flush()
                watcher.step()
                assert (inbox / "långsam.pdf").exists()
                time.sleep(settings.quiet_seconds / 3)
        assert watcher.settle(30)
    finally:
        watcher.stop()
    (record,) = archive.iter_versions()
    assert archive.original_path(record.sha256).read_bytes() == data
    assert not [e for e in archive.audit_entries() if e["event"] == "quarantined"]


def test_files_dropped_while_down_are_found_at_start(settings: Home, inbox: Path) -> None:
    for index in range(3):
        drop(inbox, f"avtal-{index}.pdf", pdf_of(agreement_text(municipality="Mark",
                                                                period=f"20{20 + index}–2030")))
    archive = Archive(settings, recogniser=None)
    watcher = InboxWatcher(archive, polling=True)
    settled(watcher)
    assert len(list(archive.iter_versions())) == 3 and not list(inbox.iterdir())


def test_watch_runs_until_stopped(archive: Archive, inbox: Path) -> None:
    stop = threading.Event()
    watcher = InboxWatcher(archive)
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    try:
        drop(inbox, "a.pdf", pdf_of(agreement_text()))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not archive.agreement_ids():
            time.sleep(0.05)
    finally:
        watcher.stop()
        thread.join(10)
    assert not thread.is_alive() and len(archive.agreement_ids()) == 1


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[bytes | None, str]]:
    valid = text_pdf_bytes("Kommunen förbinder sig att samverka.")
    return {
        "tom.pdf": (b"", "empty"),
        "avkortad.pdf": (valid[: len(valid) // 2], "truncated"),
        "skadad.pdf": (b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n", "corrupt"),
        "lösenord.pdf": (encrypted_pdf(), "encrypted"),
        "inte-pdf.pdf": (b"<!DOCTYPE html><html>Fel 404</html>", "wrong_type"),
        "bomb.docx": (zip_bomb_docx(), "unsafe"),
        "entiteter.docx": (entity_docx(), "unsafe"),
        "för-stor.pdf": (b"%PDF-1.4\n" + os.urandom(150_000) + b"%%EOF", "too_large"),
        "binär.bin": (os.urandom(2000), "unsupported"),
    }


def test_every_bad_input_quarantined_with_reason_and_nothing_lost(
        home: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = Home(home=home, max_file_bytes=100_000)
    archive = Archive(settings, recogniser=None)
    bad = _bad_inputs(tmp_path)
    originals = {}
    for name, (data, _kind) in bad.items():
        originals[name] = sha256_bytes(data)
        drop(inbox, name, data)
    (inbox / "en mapp").mkdir()
    (inbox / "en mapp" / "avtal.pdf").write_bytes(pdf_of(agreement_text()))
    outside = tmp_path / "hemlig.txt"
    outside.write_text("utanför inkorgen")
    os.symlink(outside, inbox / "länk.txt")
    os.symlink(tmp_path / "finns-inte.pdf", inbox / "trasig-länk.pdf")
    drop(inbox, "rad\nbrytning.pdf", pdf_of(agreement_text()))
    drop(inbox, b"latin1-\xe5\xe4\xf6.pdf", pdf_of(agreement_text(extra="x")))
    good = drop(inbox, "bra.pdf", pdf_of(agreement_text(municipality="Borås")))
    good_sha = sha256_bytes(good.read_bytes())

    settled(InboxWatcher(archive))

    assert not list(inbox.iterdir())
    entries = {entry.filename: entry for entry in archive.quarantined()}
    for name, (_data, kind) in bad.items():
        entry = entries[name]
        assert entry.kind == kind, (name, entry.reason)
        reason = json.loads((entry.path / "reason.json").read_text())
        assert reason["what"] == name and reason["why"] == entry.reason and reason["when"]
        assert reason["sha256"] in (originals[name], None)
        (item,) = [p for p in entry.path.iterdir() if p.name not in ("reason.json", "orsak.txt")]
        assert sha256_bytes(item.read_bytes()) == originals[name]  # kept byte for byte
        assert "Orsak:" in (entry.path / "orsak.txt").read_text()
    assert entries["en mapp"].kind == "directory"
    assert (entries["en mapp"].path / "en mapp" / "avtal.pdf").is_file()
    assert entries["länk.txt"].kind == "link_outside" and outside.exists()
    assert entries["trasig-länk.pdf"].kind == "broken_link"
    assert entries["rad\nbrytning.pdf"].kind == "odd_name"
    odd = [e for e in entries.values() if e.filename.startswith("latin1-")]
    assert odd and odd[0].kind == "odd_name"
    expected_words = {"tom.pdf": "tom", "avkortad.pdf": "ofullständig", "skadad.pdf": "skadad",
                      "lösenord.pdf": "lösenordsskyddad", "inte-pdf.pdf": "HTML-sida",
                      "bomb.docx": "zip-bomb", "entiteter.docx": "säkerhetsskäl",
                      "för-stor.pdf": "större än gränsen", "binär.bin": "okänd typ",
                      "en mapp": "mapp", "länk.txt": "utanför inkorgen",
                      "trasig-länk.pdf": "inte finns", "rad\nbrytning.pdf": "styrtecken"}
    for name, word in expected_words.items():
        assert word in entries[name].reason, (name, entries[name].reason)
    assert [r.sha256 for r in archive.iter_versions()] == [good_sha]
    quarantined_events = [e for e in archive.audit_entries() if e["event"] == "quarantined"]
    assert len(quarantined_events) == len(entries)
    assert fsck(archive).ok, fsck(archive).problems


def test_file_command_pipeline_copies_bad_files_to_quarantine(archive: Archive,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "trasig.pdf"
    source.write_bytes(b"%PDF-1.4 inte mycket mer")
    result = archive.file(source)
    assert result.status == "quarantined" and "ofullständig" in result.reason
    assert source.read_bytes() == b"%PDF-1.4 inte mycket mer"  # left where the user had it
    (entry,) = archive.quarantined()
    assert (entry.path / "trasig.pdf").read_bytes() == source.read_bytes()


def test_retry_and_discard_quarantined(home: Path, tmp_path: Path) -> None:
    small = Home(home=home, max_file_bytes=2_000)
    archive = Archive(small, recogniser=None)
    big = tmp_path / "stor.pdf"
    big.write_bytes(pdf_of(agreement_text()))
    junk = tmp_path / "skräp.pdf"
    junk.write_bytes(b"inte en pdf")
    first = archive.file(big)
    second = archive.file(junk)
    assert first.status == second.status == "quarantined"
    assert archive.retry_quarantined(first.quarantine_name, actor="Eva").status == "quarantined"
    roomy = Archive(Home(home=home), recogniser=None)
    retried = roomy.retry_quarantined(first.quarantine_name, actor="Eva")
    assert retried.status == "new"
    assert roomy.original_path(retried.sha256).read_bytes() == big.read_bytes()
    assert not (home / "quarantine" / first.quarantine_name).exists()
    where = roomy.discard_quarantined(second.quarantine_name, actor="Olle")
    assert (where / "skräp.pdf").read_bytes() == b"inte en pdf"
    assert not roomy.quarantined()
    discarded = [e for e in roomy.audit_entries() if e["event"] == "discarded"]
    assert discarded[0]["actor"] == "Olle" and discarded[0]["name"] == second.quarantine_name
    assert fsck(roomy).ok, fsck(roomy).problems


@pytest.mark.slow
def test_scan_in_inbox_ocrd_in_background_and_grouped(archive_factory, inbox: Path,
                                                      seed_texts: dict[str, str]) -> None:
    archive = archive_factory(recogniser=None)
    archive = Archive(archive.settings)  # with the project's reader
    first_page = seed_texts["mark-2022-2024"][:1500]
    text_version = text_pdf_bytes(first_page)
    scan = scan_pdf_bytes(text_pdf_bytes(first_page + "\nUndertecknad"), dpi=200, seed=3)
    drop(inbox, "mark.pdf", text_version)
    drop(inbox, "skannad.pdf", scan)
    for index in range(3):  # other intake is not held up by the OCR
        drop(inbox, f"annan-{index}.txt", f"Kommun: Håbo\nAnteckning {index}".encode())
    heard: list[str] = []
    archive.subscribe(heard.append)
    results = []
    watcher = InboxWatcher(archive, on_result=results.append)
    settled(watcher, timeout=120)
    statuses = [(Path(r.path).name, r.status) for r in results]
    assert ("skannad.pdf", "pending") in statuses
    assert statuses.index(("skannad.pdf", "pending")) < statuses.index(("skannad.pdf", "new"))
    scanned = next(r for r in archive.iter_versions() if r.filename == "skannad.pdf")
    assert scanned.method == "ocr" and "Marks kommun" in " ".join(scanned.pages)
    assert archive.original_path(scanned.sha256).read_bytes() == scan
    assert archive.ocr_pdf_path(scanned.sha256) is not None
    mark = next(r for r in archive.iter_versions() if r.filename == "mark.pdf")
    assert scanned.agreement_id == mark.agreement_id and scanned.version == 2
    assert heard.count(mark.agreement_id) == 2
    events = [e["event"] for e in archive.audit_entries() if e.get("sha256") == scanned.sha256]
    assert events == ["received", "ocr_done", "filed"]
    assert fsck(archive).ok, fsck(archive).problems


@pytest.mark.slow
def test_worker_processes_analyse_with_the_projects_reader(settings: Home, inbox: Path,
                                                           seed_texts: dict[str, str]) -> None:
    archive = Archive(settings)  # the project's reader, so analysis may run in workers
    watcher = InboxWatcher(archive, workers=2)
    assert watcher.pool is not None
    for name, text in seed_texts.items():
        drop(inbox, f"{name}.pdf", text_pdf_bytes(text))
    drop(inbox, "trasig.pdf", b"%PDF-1.4 bara en bit")
    settled(watcher, timeout=120)
    records = list(archive.iter_versions())
    assert sorted(r.filename for r in records) == sorted(f"{n}.pdf" for n in seed_texts)
    municipalities = {r.filename: r.agreement.parties.municipalities
                      for r in records if r.agreement}
    assert municipalities["mark-2022-2024.pdf"] == ["Mark"]
    assert municipalities["trelleborg-2023-2026.pdf"] == ["Trelleborg"]
    (entry,) = archive.quarantined()
    assert entry.filename == "trasig.pdf" and entry.kind == "truncated"
    assert not list(archive.journal.folder.glob("*.json"))
