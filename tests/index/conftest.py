"""A small archive's worth of VersionRecords and an index built from them, shared by the tests.

Real agreements: the drafting examples (examples/*.yaml) with the seed texts as their pages.
Added: tests/index/data/corpus.yaml (open-ended and old periods, two versions, shared
wording, look-alike sentences).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from samverkan.archive.home import Home
from samverkan.archive.plugins import call_each, plugin_manager
from samverkan.archive.records import VersionRecord
from samverkan.archive.versions import StoredVersion
from samverkan.docgen.loading import agreement_from_data, load_yaml
from samverkan.docgen.model import Agreement
from tests.conftest import REPO, SEEDS

DATA = Path(__file__).parent / "data"
Records = list[tuple[str, list[VersionRecord]]]


def make_record(agreement_id: str, version: int, agreement: Agreement | None,
                pages: tuple[str, ...], *, latest: bool = True,
                label: str = "undertecknad") -> VersionRecord:
    digest = hashlib.sha256(f"{agreement_id}|{version}|{pages}".encode()).hexdigest()
    return VersionRecord(agreement_id=agreement_id, version=version, sha256=digest, label=label,
                         filename=f"{agreement_id}-v{version}.pdf", media_type="application/pdf",
                         filed_at="2024-05-01T10:00:00+02:00", filed_by="test",
                         is_latest=latest, agreement=agreement, pages=pages)


def example_records() -> Records:
    found: Records = []
    for path in sorted((REPO / "examples").glob("*.yaml")):
        agreement = load_yaml(path)
        seed = SEEDS / f"{path.stem}.txt"
        pages = (seed.read_text(encoding="utf-8"),) if seed.exists() else ()
        found.append((agreement.agreement_id,
                      [make_record(agreement.agreement_id, 1, agreement, pages)]))
    return found


def corpus_records() -> Records:
    entries: list[dict[str, Any]] = yaml.safe_load((DATA / "corpus.yaml").read_text("utf-8"))
    grouped: dict[str, list[VersionRecord]] = {}
    for entry in entries:
        agreement = agreement_from_data({**entry["agreement"], "id": entry["id"],
                                         "version": entry["version"]}, "corpus.yaml")
        grouped.setdefault(entry["id"], []).append(make_record(
            entry["id"], entry["version"], agreement, tuple(entry.get("pages", ())),
            latest=entry["latest"], label=entry["label"]))
    return list(grouped.items())


@pytest.fixture(scope="session")
def index_records() -> Records:
    return example_records() + corpus_records()


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory, index_records: Records) -> Home:
    """A HOME whose index holds every test record (read-only for the tests that share it)."""
    from samverkan.index.indexer import Indexer

    settings = Home(home=tmp_path_factory.mktemp("index-home"))
    Indexer(settings).rebuild(index_records)
    return settings


@pytest.fixture()
def indexed(tmp_path: Path, built_home: Home) -> Home:
    """A writable copy of built_home's index, for a test that changes it."""
    import shutil

    from samverkan.index.search import forget

    shutil.copytree(built_home.home, tmp_path / "home")
    settings = Home(home=tmp_path / "home")
    forget(settings)
    return settings


class FakeArchive:
    """Enough of archive.Archive for the index: ids, records and followers (plugins)."""

    def __init__(self, records: Records, settings: Home | None = None):
        self.records = {aid: list(recs) for aid, recs in records}
        self.settings = settings
        self.plugins = plugin_manager()
        self.subscribers: list[Callable[[str], None]] = []

    def agreement_ids(self) -> list[str]:
        return sorted(self.records)

    def version_records(self, agreement_id: str) -> list[VersionRecord]:
        return list(self.records.get(agreement_id, []))

    def stored_versions(self) -> dict[str, list[StoredVersion]]:
        return {aid: [StoredVersion(r.version, r.sha256) for r in self.version_records(aid)]
                for aid in self.agreement_ids()}

    def open_for_changes(self) -> None:
        call_each(self.plugins.hook.archive_opened, archive=self)

    def close(self) -> None:
        call_each(self.plugins.hook.archive_closing, archive=self)

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[str], None]:
        self.subscribers.append(callback)
        return callback

    def file(self, record: VersionRecord) -> None:
        versions = [r for r in self.records.get(record.agreement_id, [])
                    if r.version != record.version]
        versions = [_replace_latest(r, False) for r in versions]
        self.records[record.agreement_id] = sorted([*versions, record], key=lambda r: r.version)
        for callback in self.subscribers:
            callback(record.agreement_id)
        call_each(self.plugins.hook.archive_changed, archive=self,
                  agreement_id=record.agreement_id)


def _replace_latest(record: VersionRecord, latest: bool) -> VersionRecord:
    from dataclasses import replace

    return replace(record, is_latest=latest)


@pytest.fixture()
def fresh_settings(tmp_path: Path) -> Home:
    home = tmp_path / "home"
    home.mkdir()
    return Home(home=home)
