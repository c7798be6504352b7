"""`samverkan draft` and `samverkan templates` as a drafter uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.commands.drafting import draft_cmd, templates_cmd
from samverkan.config import settings_for
from samverkan.docgen.loading import load_yaml
from tests.docgen.conftest import EXAMPLES


def invoke(command, args: list[str], home: Path):
    return CliRunner().invoke(command, args, obj=settings_for(home), catch_exceptions=False)


def test_draft_docx_to_default_folder(home: Path) -> None:
    example = EXAMPLES / "mora-orsa-alvdalen.yaml"
    result = invoke(draft_cmd, [str(example), "--no-pdf", "--json"], home)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    agreement_id = load_yaml(example).agreement_id
    assert data["agreement_id"] == agreement_id and data["template"] == "flerkommunsavtal"
    assert data["final"] is False and len(data["files"]) == 1
    docx = Path(data["files"][0])
    assert docx == home / "drafts" / agreement_id / f"{agreement_id}-v1-utkast.docx"
    assert docx.is_file()
    # The example's signatory marked for confirmation is listed for the drafter, not printed.
    assert any("Bekräfta undertecknaren" in item for item in data["to_check"])


def test_draft_with_template_and_out(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result = invoke(draft_cmd, [str(EXAMPLES / "mark-2022-2024.yaml"), "--template", "med-bilaga",
                                "--out", str(out), "--no-pdf"], home)
    assert result.exit_code == 0, result.output
    assert "(mall: med-bilaga)" in result.output
    assert "DOCX: " in result.output and len(list(out.glob("*.docx"))) == 1


def test_invalid_data_exit_2_lists_everything_writes_nothing(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "fel.yaml"
    bad.write_text("parties:\n  municipalities: [Atlantis]\nsignatories: []\nperiod: "
                   "{start: '2024', end: '2020'}\nokänt: 1\n", encoding="utf-8")
    result = CliRunner().invoke(draft_cmd, [str(bad), "--no-pdf"], obj=settings_for(home))
    assert result.exit_code == 2
    assert "fel.yaml: 3 fel" in result.output
    assert "parties.municipalities: «Atlantis» är ingen av Sveriges 290 kommuner" in result.output
    assert "period: perioden slutar (2020) före den börjar (2024)" in result.output
    assert "okänt: är inget känt fält" in result.output
    assert not (home / "drafts").exists()


def test_unknown_template_exit_2(home: Path) -> None:
    result = CliRunner().invoke(draft_cmd, [str(EXAMPLES / "mark-2022-2024.yaml"), "-t", "nej"],
                                obj=settings_for(home))
    assert result.exit_code == 2
    assert "Mallen «nej»" in result.output and "tvapartsavtal" in result.output
    assert not (home / "drafts").exists()


def test_templates_lists_fields(home: Path) -> None:
    result = invoke(templates_cmd, ["--json"], home)
    assert result.exit_code == 0
    listed = {t["name"]: t for t in json.loads(result.output)["templates"]}
    assert {"tvapartsavtal", "flerkommunsavtal", "med-bilaga"} <= set(listed)
    fields = {f["name"] for f in listed["med-bilaga"]["fields"]}
    assert {"parties_sentence", "appendix_areas", "signature_rows"} <= fields
    text = invoke(templates_cmd, [], home).output
    assert "tvapartsavtal – Tvåpartsavtal" in text and "signature_rows:" in text


def test_templates_reports_a_broken_template(home: Path, tmp_path: Path, monkeypatch) -> None:
    from tests.docgen.test_docgen_templates import broken_copy

    folder = tmp_path / "mallar"
    folder.mkdir()
    broken_copy(folder, "{{ parties_sentence }}", "{{ parties_sentence }")
    monkeypatch.setenv("SAMVERKAN_TEMPLATES", str(folder))
    result = CliRunner().invoke(templates_cmd, [], obj=settings_for(home))
    assert result.exit_code == 1
    assert "Mallen «trasig»: syntaxfel" in result.output


@pytest.mark.slow
def test_draft_writes_pdf(home: Path) -> None:
    result = invoke(draft_cmd, [str(EXAMPLES / "upplands-vasby-2021-2022.yaml"), "--json"], home)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    pdf = Path(next(path for path in data["files"] if path.endswith(".pdf")))
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.suffix for p in pdf.parent.iterdir()) == [".docx", ".pdf"]
