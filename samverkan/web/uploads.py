"""Taking uploaded files: safe names, size limits, and handing them to the filing jobs."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from typing import Any

from fastapi import UploadFile

from samverkan.archive import fields
from samverkan.web.backend import BadRequest
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


async def accept(jobs: JobManager, files: list[UploadFile], *, owner: str, dnr: str | None,
                 label: str | None, max_bytes: int) -> list[Job]:
    """Store each upload under HOME/run/uploads (checking its size) and queue it for filing."""
    if not files:
        raise BadRequest("Välj minst en fil att registrera.")
    accepted = []
    for upload in files:
        name = safe_filename(upload.filename)
        target = jobs.new_upload_path(name)
        size = 0
        too_large = False
        with open(target, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    too_large = True
                    break
                out.write(chunk)
        await upload.close()
        if too_large:
            with contextlib.suppress(OSError):
                target.unlink()
                target.parent.rmdir()
            reason = (f"Filen är för stor (högst {max_bytes // (1024 * 1024)} MB) och togs inte "
                      "emot.")
            accepted.append(jobs.reject(name, size, owner=owner, reason=reason))
            continue
        accepted.append(jobs.submit(name, target, owner=owner, dnr=dnr, label=label))
    return accepted
