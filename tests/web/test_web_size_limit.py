"""One size rule at every door: Home.max_file_bytes. The upload page says it, a web upload over
it is refused whole (413, nothing taken), and the inbox keeps such a file in quarantine."""

from __future__ import annotations

import html
import os

from samverkan.archive.home import megabytes_sv
from samverkan.archive.store import Archive
from tests.web.test_web_quarantine import Door, door, drop_in_inbox  # noqa: F401 - fixture


def test_the_upload_page_says_the_limit(door: Door) -> None:  # noqa: F811
    page = html.unescape(door.client.get("/registrera").text)
    assert "högst 2 MB per fil" in page


def test_both_doors_refuse_the_same_file_by_the_same_rule(door: Door) -> None:  # noqa: F811
    limit = door.settings.max_file_bytes
    too_big = b"%PDF-1.4\n" + b"x" * limit
    api = door.client.post("/api/uploads", headers={"X-CSRF-Token": door.csrf},
                           files=[("files", ("liten.txt", b"Kommun: Mark", "text/plain")),
                                  ("files", ("stor.pdf", too_big, "application/pdf"))])
    assert api.status_code == 413, api.text
    error = api.json()["error"]
    assert error["code"] == "too_large"
    assert error["message"].startswith("«stor.pdf» är större än gränsen 2 MB per fil.")
    assert door.client.app.state.jobs.recent(owner="reg") == []  # nothing taken, not even liten

    form = door.client.post("/registrera", data={"csrf_token": door.csrf},
                            files=[("files", ("stor.pdf", too_big, "application/pdf"))])
    assert form.status_code == 413
    assert "<html" in form.text and "Filen är för stor" in form.text
    assert "större än gränsen 2 MB per fil" in html.unescape(form.text)

    path = drop_in_inbox(door.settings, os.fsencode("stor.pdf"), too_big)
    archive: Archive = door.backend.archive
    result = archive.file_from_inbox(path, wait=True)
    assert result.status == "quarantined"
    assert f"större än gränsen {megabytes_sv(limit)}" in (result.reason or "")


def test_sizes_read_as_people_read_them() -> None:
    assert megabytes_sv(100 * 1024 * 1024) == "100 MB"
    assert megabytes_sv(3 * 1024 * 1024 // 2) == "1,5 MB"
    assert megabytes_sv(100_000) == "98 kB"
    assert megabytes_sv(int(100.4 * 1024 * 1024)) == "100,4 MB"  # never the limit itself


def test_the_form_door_without_javascript_takes_files(door: Door) -> None:  # noqa: F811
    # The form parser hands Starlette's UploadFile (FastAPI's is a subclass): the form door
    # once saw no files at all and said "Välj minst en fil" for every upload.
    form = door.client.post("/registrera", data={"csrf_token": door.csrf},
                            files=[("files", ("liten.txt", b"Kommun: Mark", "text/plain"))],
                            follow_redirects=False)
    assert form.status_code == 303, form.text
    (job,) = door.client.app.state.jobs.recent(owner="reg")
    assert job.filename == "liten.txt"
