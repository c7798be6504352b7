"""`samverkan read FILE [--json]` on text, DOCX and PDF files, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from tests.reader.helpers_reader import GOLD


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["read", *args])
    return result.exit_code, result.stdout, result.stderr


def test_read_text_file_json() -> None:
    code, out, _ = _run(str(GOLD / "hylte-2022-2025.txt"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["municipalities"] == ["Hylte"]
    assert data["period"] == {"start": "2022-01-01", "end": "2025-12-31"}
    assert data["method"] == "text"
    assert "fields" in data and data["fields"]["period"]["page"] == 1
    assert isinstance(data["flags"], list)


def test_read_json_reviews_every_record_field(tmp_path: Path) -> None:
    """Each of the seven fields has `flagged` (and Swedish reasons), also when it is null."""
    text = ("Samverkansöverenskommelse mellan Hylte kommun och Polismyndigheten, "
            "lokalpolisområde Halmstad\n\nFokusområden\n\n- Trygghet i centrum\n- Narkotika\n")
    path = tmp_path / "kort.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = _run(str(path), "--json")
    assert code == 0
    data = json.loads(out)
    fields = data["fields"]
    for name in ("municipalities", "police_area", "period", "signed", "signatories",
                 "focus_areas", "commitments"):
        assert isinstance(fields[name]["flagged"], bool), name
        assert isinstance(fields[name]["reasons"], list), name
    assert data["period"] == {"start": None, "end": None}
    assert fields["period"]["flagged"] and fields["signatories"]["flagged"]
    assert not fields["municipalities"]["flagged"] and not fields["focus_areas"]["flagged"]
    assert fields["focus_areas[0]"]["flagged"] is False and fields["focus_areas[0]"]["page"] == 1
    assert all(reason in data["flags"] for reason in fields["period"]["reasons"])


def test_read_summary_is_swedish_and_lists_flags(seeds_dir: Path) -> None:
    code, out, _ = _run(str(seeds_dir / "mark-2022-2024.txt"))
    assert code == 0
    assert "Kommuner: Mark" in out and "Polisområde: Borås" in out
    assert "Period: 2022 – 2024" in out
    assert "[Kommunen] Samordna insatser inom ANDT" in out
    assert "Att kontrollera:" in out and "Datum för undertecknande saknas" in out


def test_read_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in (GOLD / "upplands-bro-2023-2024.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            cells = line.split("\t")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, value in zip(table.rows[0].cells, cells, strict=True):
                cell.text = value
        else:
            document.add_paragraph(line)
    path = tmp_path / "overenskommelse.docx"
    document.save(str(path))
    code, out, _ = _run(str(path), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["method"] == "docx"
    assert data["municipalities"] == ["Upplands-Bro"] and data["police_area"] == "Järfälla"
    assert len(data["commitments"]) == 5
    assert [s["name"] for s in data["signatories"]] == ["Camilla Janson", "Patrik Ahlgren"]


def test_missing_file_exits_2() -> None:
    code, _, err = _run("/finns/inte.pdf")
    assert code == 2 and "inte.pdf" in err and "finns inte" in err


@pytest.mark.parametrize(("name", "content"), [
    ("tom.txt", b""),
    ("trasig.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
    ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
])
def test_unreadable_files_exit_2_naming_the_file(tmp_path: Path, name: str,
                                                 content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = _run(str(path))
    assert code == 2, out
    assert name in err
