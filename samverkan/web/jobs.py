"""Uploads being filed: one job per file, run in the background so the page can poll progress.

Filing a scan includes OCR and can take a minute; the request that uploads returns at once
with job ids and the browser polls /api/uploads/{id}. Jobs are kept in memory (they are a
view of work in progress; the archive's audit log is the record of what happened).
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATES_SV = {
    "queued": "I kö",
    "working": "Läser och arkiverar (en inskannad handling tolkas med OCR, det kan ta en minut)",
    "done": "Klar",
    "failed": "Misslyckades",
}
OUTCOMES_SV = {
    "new": "Ny version",
    "duplicate": "Dubblett – finns redan i arkivet, ingen ny version",
    "quarantined": "I karantän",
    "pending": "Sparad – väntar på textigenkänning (OCR) innan den grupperas",
}
MAX_JOBS_KEPT = 500


@dataclass
class Job:
    id: str
    filename: str
    size: int
    owner: str
    dnr: str | None
    label: str | None
    created: float = field(default_factory=time.time)
    state: str = "queued"
    status: str | None = None
    agreement_id: str | None = None
    version: int | None = None
    sha256: str | None = None
    reason: str | None = None
    finished: float | None = None

    def public(self) -> dict[str, Any]:
        message = STATES_SV[self.state]
        if self.state == "done":
            message = OUTCOMES_SV.get(self.status or "", "Klar")
            if self.status == "new":
                message = f"Ny version {self.version} av överenskommelse {self.agreement_id}"
            elif self.status == "duplicate" and self.agreement_id:
                message = (f"Dubblett av version {self.version} av {self.agreement_id} – "
                           "ingen ny version")
            elif self.status == "quarantined":
                message = f"I karantän: {self.reason or 'okänd orsak'}"
        elif self.state == "failed":
            message = f"Misslyckades: {self.reason or 'okänt fel'}"
        return {
            "id": self.id, "filename": self.filename, "size": self.size, "dnr": self.dnr,
            "label": self.label, "state": self.state, "state_sv": STATES_SV[self.state],
            "status": self.status, "agreement_id": self.agreement_id, "version": self.version,
            "sha256": self.sha256, "reason": self.reason, "message": message,
            "finished": self.state in ("done", "failed"),
        }


FileFunction = Callable[[Path, str | None, str | None, str], Any]


class JobManager:
    """Runs filing jobs on a small worker pool; uploads wait in HOME/run/uploads until filed."""

    def __init__(self, upload_dir: Path, file_function: FileFunction, workers: int = 1):
        self.upload_dir = Path(upload_dir)
        self._file = file_function
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="upload")
        self._closed = False

    def submit(self, filename: str, data_path: Path, *, owner: str, dnr: str | None,
               label: str | None) -> Job:
        """Take ownership of `data_path` (already on disk under upload_dir) and queue it."""
        job = Job(id=secrets.token_hex(8), filename=filename, size=data_path.stat().st_size,
                  owner=owner, dnr=dnr, label=label)
        with self._lock:
            if self._closed:
                raise RuntimeError("job manager is closed")
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, data_path)
        return job

    def new_upload_path(self, filename: str) -> Path:
        """A private folder per upload keeps the client's (sanitised) name for the archive."""
        folder = self.upload_dir / secrets.token_hex(8)
        folder.mkdir(parents=True)
        return folder / filename

    def _run(self, job: Job, data_path: Path) -> None:
        job.state = "working"
        try:
            result = self._file(data_path, job.dnr, job.label, job.owner)
            job.status = getattr(result, "status", None)
            job.agreement_id = getattr(result, "agreement_id", None)
            job.version = getattr(result, "version", None)
            job.sha256 = getattr(result, "sha256", None)
            job.reason = getattr(result, "reason", None)
            job.state = "done"
        except Exception as error:  # a failed job must be reported, never kill the worker
            job.reason = str(error) or error.__class__.__name__
            job.state = "failed"
        finally:
            job.finished = time.time()
            with contextlib.suppress(OSError):
                shutil.rmtree(data_path.parent)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, owner: str | None = None, limit: int = 20) -> list[Job]:
        with self._lock:
            jobs = [j for j in reversed(self._jobs.values()) if owner is None or j.owner == owner]
        return jobs[:limit]

    def close(self, wait: bool = True) -> None:
        """Stop taking jobs; by default let running ones finish so nothing is half-filed."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
