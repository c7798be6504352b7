"""Active content in PDFs is found (archive.active_content; issue #15 item 8)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from samverkan.archive.active_content import (
    ADDITIONAL_ACTIONS,
    EMBEDDED_FILE,
    JAVASCRIPT,
    LAUNCH,
    OPEN_ACTION,
    describe_sv,
    find_active_content,
)
from samverkan.fixtures import text_pdf_bytes


def pdf_with(change: Callable[[pikepdf.Pdf], None] | None = None) -> bytes:
    """A one-page PDF, changed by `change` before it is saved."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change is not None:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _javascript_name_tree(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('hej')")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), script])))


def _javascript_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hej')"))


def _uri_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(Dictionary(S=Name.URI, URI=String("http://x.se")))


def _launch_link(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]),
        A=Dictionary(S=Name.Launch, F=String("calc.exe"))))]))


def _attachment(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["bilaga.txt"] = pikepdf.AttachedFileSpec(pdf, b"hej", mime_type="text/plain")


def _page_actions(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("http://x.se")))


def _goto_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])


@pytest.mark.parametrize(("change", "kinds"), [
    (_javascript_name_tree, (JAVASCRIPT,)),
    (_javascript_open_action, (JAVASCRIPT, OPEN_ACTION)),
    (_uri_open_action, (OPEN_ACTION,)),
    (_launch_link, (LAUNCH,)),
    (_attachment, (EMBEDDED_FILE,)),
    (_page_actions, (ADDITIONAL_ACTIONS,)),
])
def test_active_content_is_found(change: Callable[[pikepdf.Pdf], None],
                                 kinds: tuple[str, ...]) -> None:
    assert find_active_content(pdf_with(change)) == tuple(sorted(kinds))


@pytest.mark.parametrize("data", [
    pdf_with(), pdf_with(_goto_open_action), text_pdf_bytes("Samverkansöverenskommelse"),
    b"%PDF-1.4 trasig", b"ingen pdf alls",
], ids=["blank", "goto-open-action", "text-pdf", "broken", "not-pdf"])
def test_passive_or_unreadable_pdfs_have_none(data: bytes) -> None:
    assert find_active_content(data) == ()


def test_the_warning_is_swedish() -> None:
    text = describe_sv([JAVASCRIPT, OPEN_ACTION])
    assert text.startswith("Originalet innehåller aktivt innehåll: JavaScript och en åtgärd")
    assert "arkiverat oförändrat" in text
