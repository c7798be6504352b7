"""The registrar's check: does the signed scan that came back say what the draft said?

A drafted PDF (LibreOffice) is filed as the draft, its copier scan (image only, OCR in the
archive) as the signed version; `diff` must call them matching, OCR noise set apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from samverkan.docgen.loading import load_yaml
from samverkan.fixtures import write_scan_pdf
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "mark-2022-2024.yaml"
MATCHES = "Texten i den undertecknade versionen stämmer med utkastet"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def signed_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for
    from samverkan.docgen.render import draft

    home = tmp_path_factory.mktemp("signed-home")
    drafted = draft(load_yaml(EXAMPLE), home / "draft")
    assert drafted.pdf is not None
    scan = write_scan_pdf(drafted.pdf, home / "inskannad.pdf", dpi=200, seed=3)
    archive = Archive(settings_for(home))
    first = archive.file(drafted.pdf, label="utkast", actor="test")
    second = archive.file(scan, label="undertecknad", actor="test")
    assert first.agreement_id == second.agreement_id == drafted.agreement_id
    assert (first.version, second.version) == (1, 2)
    return home, drafted.agreement_id, drafted.pdf


def diff(home: Path, a: str | Path, b: str | Path) -> dict:
    result = CliRunner().invoke(cli, ["--home", str(home), "diff", str(a), str(b), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def assert_matches(data: dict) -> None:
    unmatched = [c for c in data["commitments"] if c["kind"] not in ("unchanged", "ocr")
                 or c["moved"] or c["party_changed"]]
    assert unmatched == [], unmatched
    assert data["text_matches"], data["verdict"]
    assert data["verdict"].startswith(MATCHES)
    assert data["mode"] == "signed"
    assert not data["parties"] and data["period"] is None
    expected = len(load_yaml(EXAMPLE).all_commitments())
    assert data["counts"]["unchanged"] + data["counts"]["ocr"] == expected


def test_draft_against_its_text_pdf(signed_home: tuple[Path, str, Path]) -> None:
    home, _, pdf = signed_home
    data = diff(home, EXAMPLE, pdf)
    assert_matches(data)


def test_draft_version_against_signed_scan(signed_home: tuple[Path, str, Path]) -> None:
    home, agreement_id, _ = signed_home
    data = diff(home, f"{agreement_id}@v1", f"{agreement_id}@v2")
    assert_matches(data)
    assert data["ocr_tolerant"] is True
    ocr = [c for c in data["commitments"] if c["kind"] == "ocr"]
    assert data["ocr_deviations"] >= len(ocr)
    if ocr:
        assert f"({data['ocr_deviations']} OCR-avvikelse" in data["verdict"]


def test_yaml_against_signed_scan_in_archive(signed_home: tuple[Path, str, Path]) -> None:
    home, agreement_id, _ = signed_home
    assert_matches(diff(home, EXAMPLE, agreement_id))
