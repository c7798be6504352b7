"""A document the project drafted comes back: filed with its whole model, labelled as printed."""

from __future__ import annotations

from pathlib import Path

from archive.store import Archive
from docgen.checklist import confirmed
from docgen.loading import load_yaml
from docgen.render import draft
from samverkan.config import Settings
from samverkan.numbering import number_draft
from tests.conftest import REPO

MORA = REPO / "examples" / "mora-orsa-alvdalen.yaml"


def file_drafted(settings: Settings, archive: Archive, final: bool, out: Path):
    agreement = confirmed(load_yaml(MORA)) if final else load_yaml(MORA)
    numbered = number_draft(settings, agreement, final=final, archive=archive)
    made = draft(numbered, out, pdf=False, final=final)
    result = archive.file(made.docx, actor="test")
    record = next(r for r in archive.version_records(result.agreement_id)
                  if r.version == result.version)
    return numbered, result, record


def test_draft_and_final_come_back_with_their_model_and_label(settings: Settings,
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


def test_text_that_disagrees_with_the_model_is_not_replaced(settings: Settings,
                                                            tmp_path: Path) -> None:
    from archive.recognise import Recognition, adopt_drafted

    model = load_yaml(MORA)
    read = model.model_copy(update={"parties": model.parties.model_copy(
        update={"municipalities": ["Mora", "Orsa"]})})
    reading = Recognition(record={"municipalities": ["Mora", "Orsa"]}, agreement=read)
    assert adopt_drafted(reading, model) is reading
    adopted = adopt_drafted(Recognition(agreement=model), model)
    assert adopted.drafted and adopted.agreement.background == model.background
