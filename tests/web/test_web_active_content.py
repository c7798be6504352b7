"""A PDF with JavaScript is archived byte for byte, with a warning on the version that the
agreement page and `samverkan show` give in Swedish (issue #15 item 8)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pikepdf import Dictionary, Name, String

from samverkan.archive.active_content import JAVASCRIPT, OPEN_ACTION
from samverkan.archive.home import Home
from samverkan.cli import cli
from samverkan.fixtures import text_pdf_bytes
from samverkan.users import UserStore
from samverkan.web.app import create_app
from samverkan.web.backend import Backend
from tests.archive.conftest import agreement_text
from tests.web.conftest import PASSWORD, login

WARNING = "Originalet innehåller aktivt innehåll: JavaScript och en åtgärd som körs när filen öppnas"


def scripted_pdf() -> bytes:
    """An agreement as a text PDF that runs a script when it is opened."""
    pdf = pikepdf.open(io.BytesIO(text_pdf_bytes(agreement_text())))
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hej')"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_scripted_pdf_is_kept_flagged_and_shown_with_a_warning(tmp_path: Path) -> None:
    settings = Home(home=tmp_path / "home")
    backend = Backend(settings)
    data = scripted_pdf()
    source = tmp_path / "avtal.pdf"
    source.write_bytes(data)
    result = backend.file(source, None, None, "testare")
    assert result.status == "new", result
    assert any(note.startswith(WARNING) for note in result.notes), result.notes
    assert backend.archive.original_path(result.sha256).read_bytes() == data  # byte for byte
    (record,) = backend.archive.version_records(result.agreement_id)
    assert record.active_content == (JAVASCRIPT, OPEN_ACTION)

    UserStore(settings.home).add("las", "läsare", PASSWORD)
    app = create_app(settings, backend)
    try:
        with TestClient(app) as client:
            login(client, "las")
            page = client.get(f"/overenskommelse/{result.agreement_id}").text
            assert "<strong>Varning:</strong> " + WARNING in page
            assert f'<a href="/fil/{result.sha256}" download title="' in page
            assert "Original med aktivt innehåll</a>" in page
            assert "(för läsning)" not in page  # no PDF/A rendition yet
            # With a PDF/A rendition, it is the one offered for reading, the original after.
            rendition = backend.archive.objects.derived(result.sha256) / "ocr.pdf"
            rendition.write_bytes(text_pdf_bytes(agreement_text()))
            page = client.get(f"/overenskommelse/{result.agreement_id}").text
            pdfa_link = f'<a href="/fil/{result.sha256}/pdfa" download>PDF/A</a>'
            assert f"Läs i första hand arkivkopian: {pdfa_link}" in page
            assert page.index(f"{pdfa_link} <span class=\"muted\">(för läsning)</span>") \
                < page.index("Original med aktivt innehåll")
            assert client.get(f"/fil/{result.sha256}").content == data  # still downloadable
    finally:
        app.state.jobs.close()
        backend.close()

    shown = CliRunner().invoke(cli, ["--home", str(settings.home), "show", result.agreement_id])
    assert shown.exit_code == 0, shown.output
    assert f"Varning: {WARNING}" in shown.output
