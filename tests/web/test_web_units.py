"""Pure helpers of the web service: escaping of highlights, upload names, draft form merge."""

from __future__ import annotations

import pytest

from samverkan.web import drafting, searching
from samverkan.web.backend import BadRequest, NotFound, check_agreement_id, check_sha256
from samverkan.web.rendering import safe_highlight
from samverkan.web.routes_auth import safe_next
from samverkan.web.uploads import clean_dnr, safe_filename


def test_highlight_keeps_only_mark() -> None:
    html = 'Kommunen <mark>förbinder sig att</mark> <script>alert(1)</script><b onclick="x">b</b>'
    assert safe_highlight(html) == ("Kommunen <mark>förbinder sig att</mark> alert(1)b")
    assert safe_highlight("a &lt;script&gt; b") == "a &lt;script&gt; b"
    assert safe_highlight("<mark>open") == "<mark>open</mark>"
    assert safe_highlight("x</mark>y") == "xy"
    assert safe_highlight(None) == ""


@pytest.mark.parametrize(("raw", "expected"), [
    ("avtal.pdf", "avtal.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\anna\\Mark 2022.pdf", "Mark 2022.pdf"),
    ("/abs/path/överenskommelse.pdf", "överenskommelse.pdf"),
    ("<script>.pdf", "script_.pdf"),
    ("..", "uppladdad-fil"),
    ("", "uppladdad-fil"),
    ("a\x00b\nc.pdf", "abc.pdf"),
])
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_long_filename_keeps_extension() -> None:
    name = safe_filename("x" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= 120


def test_dnr_is_checked() -> None:
    assert clean_dnr("  KS 2023/12 ") == "KS 2023/12"
    assert clean_dnr("") is None
    with pytest.raises(BadRequest):
        clean_dnr("x" * 65)


@pytest.mark.parametrize("value", ["../x", "/etc/passwd", "AB" * 32 + "/..", "ABCDEF" * 10 + "ABCD",
                                   "0" * 63, "%2e%2e%2f"])
def test_download_ids_must_be_bare_sha256(value: str) -> None:
    with pytest.raises(NotFound):
        check_sha256(value)
    check_sha256("0" * 64)


def test_agreement_ids() -> None:
    check_agreement_id("SV-7F3K-9Q2M")
    for bad in ("SV-7F3K-9Q2", "../SV-7F3K-9Q2M", "sv-7f3k-9q2m", "SV-ILOU-0000"):
        with pytest.raises(NotFound):
            check_agreement_id(bad)


def test_next_target_stays_on_site() -> None:
    assert safe_next("/sok?q=x") == "/sok?q=x"
    for bad in ("//evil.example/", "https://evil.example/", "javascript:alert(1)", "", None,
                "/\\evil.example"):
        assert safe_next(bad) == "/sok"


def test_search_parameters() -> None:
    from starlette.datastructures import QueryParams

    wanted = searching.parse(QueryParams("q=trygghet&kommun=Mark&kommun=Borås&ar=2023&part=polis&sida=2"))
    assert wanted.kommun == ["Mark", "Borås"] and wanted.ar == 2023 and wanted.sida == 2
    assert wanted.filters()["party"] == "polis"
    for bad in ("ar=tjugo", "sida=0", "sida=x", "part=chef", "typ=bild", "fran=99"):
        with pytest.raises(BadRequest):
            searching.parse(QueryParams(bad))


MARK_YAML = (
    "title: Samverkansöverenskommelse\n"
    "parties:\n  municipalities: [Mark]\n  police:\n    name: Borås\n"
    "period:\n  start: '2025'\n  end: '2027'\n"
    "focus_areas:\n  - title: Trygghet i offentliga miljöer\n    commitments:\n"
    "      - party: kommun\n        text: Genomföra trygghetsvandringar två gånger per år.\n"
    "      - party: polis\n        text: Delta i trygghetsvandringarna.\n"
    "signatories:\n  - title: Kommunstyrelsens ordförande\n    organisation: Marks kommun\n")


def test_blank_draft_names_no_parties() -> None:
    data = drafting.parse_yaml_text(drafting.starter_yaml())
    assert data["parties"]["municipalities"] == [] and data["signatories"] == []


def test_draft_form_changes_only_what_the_user_changed() -> None:
    yaml_text = MARK_YAML
    shown = drafting.form_values(drafting.validate(drafting.parse_yaml_text(yaml_text)))
    # The user edits the YAML title directly but leaves the form's title as it was shown.
    edited = yaml_text.replace("title: Samverkansöverenskommelse", "title: Ny rubrik")
    data = drafting.merge(edited, dict(shown), shown)
    assert data["title"] == "Ny rubrik"
    # ... and changes the municipalities and period in the form.
    changed = dict(shown, municipalities="Mora, Orsa, Älvdalen", period_end="", open_ended="1")
    agreement = drafting.validate(drafting.merge(edited, changed, shown))
    assert agreement.parties.municipalities == ["Mora", "Orsa", "Älvdalen"]
    assert agreement.period.open_ended and agreement.period.end is None
    assert agreement.title == "Ny rubrik"


def test_draft_preview_escapes_content() -> None:
    yaml_text = MARK_YAML.replace(
        "Genomföra trygghetsvandringar två gånger per år.", "'<script>alert(1)</script>'")
    agreement = drafting.validate(drafting.parse_yaml_text(yaml_text))
    html = drafting.preview_html(agreement)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Marks kommun" in html and "Polisen förbinder sig att:" in html


def test_bad_yaml_is_explained() -> None:
    from samverkan.docgen.loading import AgreementDataError

    with pytest.raises(AgreementDataError) as caught:
        drafting.parse_yaml_text("title: [unclosed")
    assert "ogiltig YAML" in str(caught.value)
    with pytest.raises(AgreementDataError):
        drafting.validate(drafting.parse_yaml_text("parties:\n  municipalities: [Atlantis]\n"))


@pytest.mark.parametrize(("path", "label"), [
    ("parties.municipalities", "Kommuner"),
    ("parties.municipalities[2]", "Kommuner"),
    ("period.end", "Gäller till"),
    ("signing.date", "Datum för undertecknande"),
    ("parties.police.name", "Enhetens namn"),
    ("parties.others[0]", "YAML-fältet parties.others[0]"),
    ("signatories[1].organisation", "Undertecknare 2, organisation (i YAML-fältet)"),
    ("focus_areas[0].title", "YAML-fältet focus_areas[0].title"),
])
def test_problems_name_the_form_label(path: str, label: str) -> None:
    assert drafting.label_for(path) == label
    assert drafting.problem_lines([(path, "fel")]) == [f"{label}: fel"]
