"""Taking uploaded files: safe names, size limits, and handing them to the filing jobs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import UploadFile

from samverkan.archive import fields
from samverkan.archive.home import megabytes_sv
from samverkan.web.backend import BadRequest, TooLarge
from samverkan.web.jobs import Job, JobManager

CHUNK = 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[^\w.\- ()+,åäöÅÄÖ]+")
MAX_NAME = 120


def safe_filename(raw: str | None) -> str:
    """The client's file name without any path, control or odd characters ("../x" -> "x")."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", _CONTROL.sub("", name)).strip(" ._")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name or "uppladdad-fil"


def clean_dnr(raw: Any) -> str | None:
    """An upload's diarienummer by the archive's rule (archive.fields), or BadRequest."""
    text = fields.tidy(raw) or None
    problem = fields.dnr_problem(text)
    if problem:
        raise BadRequest(problem.message)
    return text


def clean_label(raw: Any) -> str | None:
    """An upload's label by the archive's rule (archive.fields), or BadRequest."""
    text = fields.tidy(raw) or None
    problem = fields.label_problem(text)
    if problem:
        raise BadRequest(problem.message)
    return text


def _size_of(upload: UploadFile) -> int:
    """The upload's size; the form parser has spooled it whole before the route runs."""
    if upload.size is not None:
        return upload.size
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


def check_sizes(files: Sequence[UploadFile], max_bytes: int) -> None:
    """TooLarge (413) naming every file over the archive's limit, before any is taken: the
    rule of every door is Home.max_file_bytes; the web refuses the whole upload (the sender
    still has the files), where the inbox keeps such a file in quarantine."""
    too_large = [safe_filename(f.filename) for f in files if _size_of(f) > max_bytes]
    if too_large:
        names = ", ".join(f"«{name}»" for name in too_large)
        limit = megabytes_sv(max_bytes)
        raise TooLarge(f"{names} är större än gränsen {limit} per fil. Ingen fil togs emot; "
                       f"dela upp eller komprimera filen (gränsen ändras med "
                       f"SAMVERKAN_MAX_FILE_MB).")


async def accept(jobs: JobManager, files: Sequence[UploadFile], *, owner: str, dnr: str | None,
                 label: str | None, max_bytes: int) -> list[Job]:
    """Store each upload under HOME/run/uploads and queue it for filing; nothing is taken
    when a file is over the size limit (check_sizes)."""
    if not files:
        raise BadRequest("Välj minst en fil att registrera.", field="files")
    check_sizes(files, max_bytes)
    accepted = []
    for upload in files:
        name = safe_filename(upload.filename)
        target = jobs.new_upload_path(name)
        with open(target, "wb") as out:
            while chunk := await upload.read(CHUNK):
                out.write(chunk)
        await upload.close()
        accepted.append(jobs.submit(name, target, owner=owner, dnr=dnr, label=label))
    return accepted
