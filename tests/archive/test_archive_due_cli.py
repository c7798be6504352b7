"""`samverkan due`: what expires or is due for review, from a real archive's catalogue."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.archive import overview as overview_module
from samverkan.archive.home import Home
from samverkan.archive.recognise import Recognition
from samverkan.archive.store import Archive
from samverkan.cli import cli
from samverkan.docgen.record import from_record
from tests.archive.conftest import agreement_text, fake_recogniser, pdf_of


def modelling_recogniser(pages: list[str]) -> Recognition:
    found = fake_recogniser(pages)
    return Recognition(record=found.record, agreement=from_record(found.record, "test"))


@pytest.fixture()
def filed(settings: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    archive = Archive(settings, recogniser=modelling_recogniser)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text, label in [
        ("mark.pdf", agreement_text("Mark", "Borås", "2024-01-01–2027-03-31"), None),
        ("ale.pdf", agreement_text("Ale", "Kungälv", "2024-01-01–2027-01-31"), None),
        ("mora.pdf", agreement_text("Mora", "Mora", "2022–2026"), None),
        # Only a draft: nothing is due for Tjörn.
        ("tjorn.pdf", agreement_text("Tjörn", "Stenungsund", "2024-01-01–2027-02-28"), "utkast"),
        ("kiruna.pdf", agreement_text("Kiruna", "Kiruna", "2020–2030"), None),
    ]:
        path = folder / name
        path.write_bytes(pdf_of(text))
        archive.file(path, actor="test", label=label, dnr=f"KS {name}")
    archive.close()
    monkeypatch.setattr(overview_module, "stockholm_today", lambda now=None: date(2026, 12, 2))
    return settings


def run(home: Home, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--home", str(home.home), "due", *args])
    return result.exit_code, result.stdout, result.stderr


def test_due_lists_expiring_agreements_by_date(filed: Home) -> None:
    code, out, _ = run(filed)
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert "31 december 2026" in lines[0] and "Mora" in lines[0]
    assert "31 januari 2027" in lines[1] and "Ale" in lines[1]
    assert "31 mars 2027" in lines[2] and "Mark" in lines[2]
    assert len(lines) == 3 and "löper ut" in lines[0]
    assert out.startswith("Att göra inom 6 månader (från 2 december 2026):")


def test_due_json_months_and_county(filed: Home) -> None:
    code, out, _ = run(filed, "--json", "--months", "2")
    assert code == 0
    found = json.loads(out)
    assert [item["ends"] for item in found] == ["2026-12-31", "2027-01-31"]
    assert found[0]["status"] == "loper_ut" and found[0]["status_label"] == "Löper snart ut"
    assert found[1]["dnr"] == "KS ale.pdf" and found[1]["signed_version"] == 1
    code, out, _ = run(filed, "--json", "--lan", "dalarna")
    assert [item["municipalities"] for item in json.loads(out)] == [["Mora"]]
    code, out, _ = run(filed, "--lan", "Norrbottens län")
    assert code == 0 and out.startswith("Inga överenskommelser i Norrbottens län löper ut")


def test_due_refuses_an_unknown_county(filed: Home) -> None:
    code, _, err = run(filed, "--lan", "Narnia")
    assert code == 2
    assert "«Narnia» är inget län" in err and "Dalarnas län" in err
