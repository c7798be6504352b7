"""Drafts and final documents: the watermark, the checklist, version numbers, no overwriting."""

from __future__ import annotations

import zipfile

import pytest

from samverkan.docgen import checklist
from samverkan.docgen.drafted import DraftRegister
from samverkan.docgen.render import DraftExistsError, draft, file_stem, render_docx
from tests.docgen.conftest import signatory_agreement


def header_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist()
                       if name.startswith("word/header"))


def test_a_draft_has_the_watermark_and_a_final_document_not(tmp_path) -> None:
    agreement = signatory_agreement(3)
    drafted = render_docx(agreement, tmp_path / "utkast.docx")
    final = render_docx(agreement, tmp_path / "slutlig.docx", final=True)
    assert 'string="UTKAST"' in header_xml(drafted)
    assert "UTKAST – ej för underskrift" in header_xml(drafted)
    assert "UTKAST" not in header_xml(final)
    assert file_stem(agreement).endswith("-v1-utkast") and file_stem(
        agreement, final=True).endswith("-v1")


def test_final_refuses_what_is_unconfirmed_and_names_it(tmp_path) -> None:
    agreement = signatory_agreement(2)
    agreement.signatories[0].confirm = True
    agreement.notes.append("Kontrollera fokusområdena.")
    with pytest.raises(checklist.NotFinalError) as caught:
        render_docx(agreement, tmp_path / "x.docx", final=True)
    message = str(caught.value)
    assert "2 punkter är inte bekräftade" in message
    assert "Kontrollera fokusområdena." in message and "Bekräfta undertecknaren" in message
    assert not (tmp_path / "x.docx").exists()
    render_docx(checklist.confirmed(agreement), tmp_path / "x.docx", final=True)


def test_draft_never_overwrites_and_writes_nothing_then(tmp_path) -> None:
    agreement = signatory_agreement(2)
    first = draft(agreement, tmp_path, pdf=False)
    before = first.docx.read_bytes()
    with pytest.raises(DraftExistsError):
        draft(agreement, tmp_path, pdf=False)
    assert first.docx.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.docx.name]


def test_register_numbers_after_register_and_archive_and_keeps_same_content(tmp_path) -> None:
    register = DraftRegister(tmp_path)
    agreement = signatory_agreement(2)
    first = register.assign(agreement, final=False)
    assert first.version == 1
    assert register.assign(agreement, final=False).version == 1  # same content, same number
    assert register.assign(agreement, final=True).version == 2  # final is another document
    changed = agreement.model_copy(update={"title": "Ny rubrik"})
    assert register.assign(changed, final=False, archived={1, 2, 7}).version == 8
    model, final = register.drafted(agreement.agreement_id, 2)
    assert model.title == agreement.title and final is True
    assert register.drafted(agreement.agreement_id, 1)[1] is False
    assert register.drafted(agreement.agreement_id, 99) is None


def test_a_failed_pdf_leaves_no_half_draft(tmp_path) -> None:
    class Broken:
        def convert(self, source, target) -> None:
            raise RuntimeError("LibreOffice svarar inte")

    agreement = signatory_agreement(2)
    with pytest.raises(RuntimeError):
        draft(agreement, tmp_path, converter=Broken())
    assert list(tmp_path.iterdir()) == []
    assert draft(agreement, tmp_path, pdf=False).docx.exists()  # a retry finds nothing in the way
