"""Rendered DOCX read back: parties, period, every commitment, signatories, footer, A4."""

from __future__ import annotations

import pytest
from docx import Document

from samverkan.docgen import signature_page
from samverkan.docgen.context import build_context, municipality_names
from samverkan.docgen.properties import docx_reference
from samverkan.docgen.reference import Reference
from samverkan.docgen.render import DraftExistsError, choose_template, render_docx
from tests.docgen.conftest import EXAMPLE_NAMES, docx_paragraphs, signatory_agreement, squash


@pytest.fixture(scope="module")
def rendered(examples, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    return {name: render_docx(agreement, out / f"{name}.docx")
            for name, agreement in examples.items()}


def test_default_template_follows_the_data(examples) -> None:
    assert choose_template(examples["mark-2022-2024"]) == "tvapartsavtal"
    assert choose_template(examples["upplands-vasby-2021-2022"]) == "tvapartsavtal"
    assert choose_template(examples["mora-orsa-alvdalen"]) == "flerkommunsavtal"
    assert choose_template(examples["trelleborg-2023-2026"]) == "med-bilaga"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_docx_carries_the_whole_agreement(rendered, examples, name: str) -> None:
    agreement = examples[name]
    text = squash("\n".join(docx_paragraphs(rendered[name])))
    context = build_context(agreement)
    assert context["parties_sentence"] in text
    for formal in municipality_names(agreement):
        assert formal in text
    assert agreement.period.label_sv in text
    assert context["period_sentence"] in text
    for _, commitment in agreement.all_commitments():
        assert squash(commitment.text) in text, commitment.text
    for area in agreement.all_focus_areas():
        assert squash(area.title) in text
        for activity in area.activities:
            assert squash(activity.aktivitet) in text
    for forum in agreement.forums:
        assert forum.name in text
    for signatory in agreement.signatories:
        assert signatory.organisation in text
        for value in (signatory.name, signatory.title):
            if value:
                assert value in text
    assert context["copies_sentence"] in text
    assert "{{" not in text and "{%" not in text and "%}" not in text


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_docx_page_footer_and_properties(rendered, examples, name: str) -> None:
    agreement = examples[name]
    reference = Reference(agreement.agreement_id, agreement.version)
    document = Document(str(rendered[name]))
    for section in document.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        footer = section.footer._element
        footer_text = "".join(t.text or "" for t in footer.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        assert footer_text.startswith(f"{reference.footer} · Sida ")
        instructions = [i.text.strip() for i in footer.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
    props = document.core_properties
    assert props.identifier == agreement.agreement_id
    assert props.version == str(agreement.version)
    assert props.subject == reference.footer
    assert props.language == "sv-SE"
    assert docx_reference(rendered[name]) == reference
    pictures = document.inline_shapes
    assert len(pictures) == 1 and round(pictures[0].width.mm) == 25


def test_nothing_unconfirmed_is_printed(rendered, examples) -> None:
    text = "\n".join(docx_paragraphs(rendered["mora-orsa-alvdalen"]))
    confirmed = [s for s in examples["mora-orsa-alvdalen"].signatories if s.confirm]
    assert confirmed
    for signatory in confirmed:
        assert signatory.name in text
    assert "bekräfta" not in text.casefold()


@pytest.mark.parametrize("count", [2, 3, 5, 8])
def test_every_signatory_gets_a_block(tmp_path, count: int) -> None:
    agreement = signatory_agreement(count)
    path = render_docx(agreement, tmp_path / "sig.docx")
    paragraphs = [p.strip() for p in docx_paragraphs(path)]
    assert paragraphs.count("Namnförtydligande") == count
    assert paragraphs.count("Ort och datum") == count
    for signatory in agreement.signatories:
        assert signatory.name in paragraphs
    for party in signature_page.signing_parties(agreement):
        assert party.name in paragraphs


@pytest.mark.parametrize("template", ["tvapartsavtal", "flerkommunsavtal", "med-bilaga"])
def test_every_template_renders_every_example(examples, tmp_path, template: str) -> None:
    for name, agreement in examples.items():
        path = render_docx(agreement, tmp_path / f"{name}.docx", template)
        text = squash("\n".join(docx_paragraphs(path)))
        for _, commitment in agreement.all_commitments():
            assert squash(commitment.text) in text


def test_render_never_overwrites(tmp_path, examples) -> None:
    target = tmp_path / "ut.docx"
    target.write_bytes(b"old")
    with pytest.raises(DraftExistsError):
        render_docx(examples["mark-2022-2024"], target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.docx"]
