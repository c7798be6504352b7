"""The archive's commands: file, list, show, correct, fsck, quarantine (Swedish output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from tests.archive.conftest import agreement_text, pdf_of


@pytest.fixture()
def run(home: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_file_list_show_correct_fsck(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "Överenskommelse Mark.pdf"
    source.write_bytes(pdf_of(agreement_text()))
    code, out, _ = run("file", str(source), "--dnr", "KS 2022/118", "--by", "Eva",
                       "--label", "utkast", "--json")
    assert code == 0
    (result,) = json.loads(out)
    assert result["status"] == "new" and result["version"] == 1 and result["label"] == "utkast"
    agreement_id = result["agreement_id"]

    code, out, _ = run("file", str(source))
    assert code == 0 and "dubblett" in out and agreement_id in out

    code, out, _ = run("list", "--json")
    assert [row["agreement_id"] for row in json.loads(out)] == [agreement_id]
    code, out, _ = run("list")
    assert agreement_id in out and "– 1 version, senast v1" in out

    code, out, _ = run("correct", f"{agreement_id}@1", "--label", "undertecknad",
                       "--signed-date", "2022-03-01", "--by", "Olle")
    assert code == 0 and "Rättat" in out

    code, out, _ = run("show", agreement_id, "--json")
    shown = json.loads(out)
    (version,) = shown["versions"]
    assert version["label"] == "undertecknad" and version["dnr"] == "KS 2022/118"
    assert version["dates"]["upprättad"] == "2022-03-01"
    assert version["sha256"] == result["sha256"]
    assert [e["event"] for e in shown["audit"]] == ["filed", "duplicate", "corrected"]
    code, out, _ = run("show", agreement_id)
    assert "SHA-256: " + result["sha256"] in out and "Granskningslogg" in out

    code, out, _ = run("fsck")
    assert code == 0 and "Inga problem" in out


def test_usage_errors_are_swedish(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run("correct", "SV-XXXX", "--label", "utkast")
    assert code == 2 and "ID@VERSION" in err
    code, _out, err = run("correct", "SV-7F3K-9Q2M@1", "--dnr", "1")
    assert code == 2 and "finns inte i arkivet" in err
    code, _out, err = run("show", "SV-7F3K-9Q2M")
    assert code == 2 and "finns inte i arkivet" in err
    code, _out, err = run("file", str(tmp_path / "saknas.pdf"))
    assert code == 2 and "finns inte" in err


def test_quarantine_commands(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.5 avbruten")
    code, out, _ = run("file", str(bad))
    assert code == 1 and "karantän" in out and "ofullständig" in out
    code, out, _ = run("quarantine", "list", "--json")
    (entry,) = json.loads(out)
    code, out, _ = run("quarantine", "retry", entry["name"])
    assert code == 1
    code, out, _ = run("quarantine", "discard", entry["name"], "--by", "Eva")
    assert code == 0 and "Kasserad" in out
    code, out, _ = run("quarantine", "list")
    assert "tom" in out
    code, out, _ = run("fsck", "--json")
    assert code == 0 and json.loads(out)["ok"]


def test_fsck_exit_code_on_problems(run, tmp_path: Path, home: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Anteckning {name}", encoding="utf-8")
        run("file", str(tmp_path / name))
    audit = home / "archive" / "audit.jsonl"
    audit.write_bytes(audit.read_bytes().replace(b'"filename":"a.txt"', b'"filename":"c.txt"'))
    code, out, _ = run("fsck")
    assert code == 1 and "PROBLEM" in out and "kedjan är bruten" in out
