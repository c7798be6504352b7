"""Templates: discovery, the fields they need, sandboxing, escaping and Swedish errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from samverkan.config import settings_for
from samverkan.docgen import templates
from samverkan.docgen.context import FIELD_DESCRIPTIONS
from samverkan.docgen.loading import agreement_from_data
from samverkan.docgen.render import render_docx
from samverkan.docgen.templates import TemplateError
from tests.docgen.conftest import docx_paragraphs

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


def test_three_templates_with_descriptions_and_fields() -> None:
    infos = {info.name: info for info in templates.available()}
    assert set(infos) >= {"tvapartsavtal", "flerkommunsavtal", "med-bilaga"}
    for info in infos.values():
        assert info.title and len(info.description) > 40
        assert set(info.fields) <= set(FIELD_DESCRIPTIONS)
        assert {"parties_sentence", "signature_rows", "qr", "reference"} <= set(info.fields)
    assert "appendix_areas" in infos["med-bilaga"].fields
    assert "appendix_areas" not in infos["tvapartsavtal"].fields
    listed = infos["med-bilaga"].to_dict()["fields"]
    assert all(field["description"] for field in listed)


def test_templates_are_a4_with_reference_footer() -> None:
    for path in templates.template_paths(TEMPLATE_DIR):
        document = Document(str(path))
        section = document.sections[0]
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        footer_xml = section.footer._element.xml
        assert "{{ reference.footer }}" in footer_xml
        assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(TemplateError) as caught:
        templates.find("finns-inte")
    assert "Mallen «finns-inte»" in str(caught.value)
    assert "tvapartsavtal" in str(caught.value)


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "trasig") -> Path:
    """tvapartsavtal.docx with one tag edited, as a drafter might in Word."""
    document = Document(str(TEMPLATE_DIR / "tvapartsavtal.docx"))
    paragraphs = list(document.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.footer.paragraphs)
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                path = tmp_path / f"{name}.docx"
                document.save(str(path))
                return path
    raise AssertionError(f"{old} not in template")


@pytest.mark.parametrize(("old", "new", "problem", "tag", "around"), [
    ("{{ parties_sentence }}", "{{ parties_sentense }}", "okänt fält «parties_sentense»",
     "{{ parties_sentense }}", "Parter"),
    ("{{ parties_sentence }}", "{{ parties_sentence }", "taggen stängs inte",
     "{{ parties_sentence }", "Bakgrund"),
    ("{%p if purpose %}", "{%p iff purpose %}", "okänd eller felplacerad tagg «iff»",
     "{%p iff purpose %}", "Syfte och mål"),
    ("{{ group.heading }}", "{{ group.headline }}", "ingen del som heter «headline»",
     "{{ group.headline }}", "Mål"),
    ("{{ reference.footer }}", "{{ reference.foter }}", "ingen del som heter «foter»",
     "{{ reference.foter }}", "Sida"),
    ("{%p if purpose %}", "{%p if purpose.__class__ %}", "sandlåda",
     "{%p if purpose.__class__ %}", "Syfte och mål"),
    ("{{ parties_sentence }}", "{{ parties_sentence | okand }}", "okänt filter «okand»",
     "{{ parties_sentence | okand }}", "Parter"),
])
def test_template_errors_name_template_tag_and_text(tmp_path, examples, old, new, problem, tag,
                                                    around) -> None:
    path = broken_copy(tmp_path, old, new)
    target = tmp_path / "ut.docx"
    with pytest.raises(TemplateError) as caught:
        render_docx(examples["mark-2022-2024"], target, str(path))
    error = caught.value
    assert error.template == "trasig"
    assert problem in error.problem
    assert error.tag == tag
    assert around in (error.text or "")
    assert str(error).startswith("Mallen «trasig»:")
    assert not target.exists()


def test_unclosed_block_names_the_opening_tag(tmp_path, examples) -> None:
    path = broken_copy(tmp_path, "{%p endif %}", "")
    with pytest.raises(TemplateError) as caught:
        render_docx(examples["mark-2022-2024"], tmp_path / "ut.docx", str(path))
    assert caught.value.tag is not None and caught.value.tag.startswith("{%p if")
    assert "stängs aldrig" in caught.value.problem or "felplacerad" in caught.value.problem


def test_values_are_escaped_not_interpreted(tmp_path) -> None:
    agreement = agreement_from_data({
        "parties": {"municipalities": ["Mark"]},
        "focus_areas": [{"title": "Trygghet & <säkerhet> {{ title }}", "commitments": [
            {"party": "kommun", "text": "Se till att A < B & \"C\" {% if x %}"}]}],
        "signatories": [{"organisation": "Marks kommun"}, {"organisation": "Polisen"}],
    })
    path = render_docx(agreement, tmp_path / "escaped.docx")
    text = "\n".join(docx_paragraphs(path))
    assert "Trygghet & <säkerhet> {{ title }}" in text
    assert "Se till att A < B & \"C\" {% if x %}" in text


def test_templates_folder_can_be_configured(tmp_path, monkeypatch) -> None:
    shutil.copy(TEMPLATE_DIR / "med-bilaga.docx", tmp_path / "egen.docx")
    assert [info.name for info in templates.available(tmp_path)] == ["egen"]
    assert "egen" not in [info.name for info in templates.available()]  # shipped by default
    monkeypatch.setenv("SAMVERKAN_TEMPLATES", str(tmp_path))  # read at the edge only
    assert settings_for(tmp_path / "home").templates == tmp_path.resolve()
    assert "egen" not in [info.name for info in templates.available()]
