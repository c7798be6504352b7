"""A document the project drafted comes back: filed with its whole model, labelled as printed."""

from __future__ import annotations

from pathlib import Path

from samverkan.archive.home import Home
from samverkan.archive.store import Archive
from samverkan.docgen.checklist import confirmed
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.render import draft
from samverkan.numbering import number_draft
from tests.conftest import REPO

MORA = REPO / "examples" / "mora-orsa-alvdalen.yaml"


def file_drafted(settings: Home, archive: Archive, final: bool, out: Path):
    agreement = confirmed(load_yaml(MORA)) if final else load_yaml(MORA)
    numbered = number_draft(settings, agreement, final=final, archive=archive)
    made = draft(numbered, out, pdf=False, final=final)
    result = archive.file(made.docx, actor="test")
    record = next(r for r in archive.version_records(result.agreement_id)
                  if r.version == result.version)
    return numbered, result, record


def test_draft_and_final_come_back_with_their_model_and_label(settings: Home,
                                                              tmp_path: Path) -> None:
    archive = Archive(settings)  # the project's reader
    drafted, result, record = file_drafted(settings, archive, False, tmp_path / "utkast")
    assert (result.agreement_id, result.version, result.label) == (
        drafted.agreement_id, drafted.version, "utkast")
    assert record.drafted and record.agreement.background == drafted.background
    assert [f.name for f in record.agreement.forums] == [f.name for f in drafted.forums]
    final, result, record = file_drafted(settings, archive, True, tmp_path / "slutlig")
    assert final.version == drafted.version + 1
    assert (result.version, result.label) == (final.version, "undertecknad")
    assert record.drafted and record.agreement.follow_up == final.follow_up


def test_text_that_disagrees_with_the_model_is_not_replaced(settings: Home,
                                                            tmp_path: Path) -> None:
    from samverkan.archive.recognise import Recognition, adopt_drafted

    model = load_yaml(MORA)
    read = model.model_copy(update={"parties": model.parties.model_copy(
        update={"municipalities": ["Mora", "Orsa"]})})
    reading = Recognition(record={"municipalities": ["Mora", "Orsa"]}, agreement=read)
    assert adopt_drafted(reading, model) is reading
    adopted = adopt_drafted(Recognition(agreement=model), model)
    assert adopted.drafted and adopted.agreement.background == model.background


def test_a_document_edited_before_signing_keeps_what_it_says(settings: Home,
                                                             tmp_path: Path) -> None:
    """Someone rewords a clause in Word before signing: the archive keeps the signed words."""
    from docx import Document

    archive = Archive(settings)
    agreement = confirmed(load_yaml(MORA))
    numbered = number_draft(settings, agreement, final=True, archive=archive)
    made = draft(numbered, tmp_path, pdf=False, final=True)
    clause = agreement.focus_areas[0].commitments[0].text
    document = Document(str(made.docx))
    edited = 0
    for paragraph in document.paragraphs:
        if clause in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace(clause, "Avveckla samverkan kring unga")
            edited += 1
    assert edited
    changed = tmp_path / "andrad.docx"
    document.save(str(changed))
    result = archive.file(changed, actor="test")
    record = next(r for r in archive.version_records(result.agreement_id)
                  if r.version == result.version)
    assert not record.drafted
    texts = [c.text for _, c in record.agreement.all_commitments()]
    assert clause not in texts and any("Avveckla samverkan" in text for text in texts)


def test_a_file_without_a_number_never_takes_one_stamped_in_a_draft(
        settings: Home, tmp_path: Path) -> None:
    """v1 is drafted (not filed); a document of the same agreement without a readable
    reference arrives first: it gets v2, and the draft gets its printed v1 later."""
    archive = Archive(settings)
    agreement = load_yaml(MORA)
    numbered = number_draft(settings, agreement, final=False, archive=archive)
    made = draft(numbered, tmp_path, pdf=False)
    from samverkan.archive.labelling import choose_version

    assert choose_version(None, numbered.agreement_id, {}, archive.drafted_versions(
        numbered.agreement_id)) == numbered.version + 1
    result = archive.file(made.docx, actor="test")
    assert result.version == numbered.version


def test_a_draft_filed_where_it_was_not_drafted_is_still_a_draft(tmp_path: Path) -> None:
    """Another home (no register): the printed "UTKAST" line tells the archive."""
    drafting_home, filing_home = Home(home=tmp_path / "a"), Home(home=tmp_path / "b")
    numbered = number_draft(drafting_home, load_yaml(MORA), final=False)
    made = draft(numbered, tmp_path / "ut", pdf=False)
    result = Archive(filing_home).file(made.docx, actor="test")
    assert result.label == "utkast"
