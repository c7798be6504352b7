"""DOCX to PDF/A-2b through LibreOffice, kept warm between documents.

Starting LibreOffice costs seconds; converting a loaded document costs a fraction of that.
WarmConverter keeps one `soffice --headless --accept=pipe,...` running with its own profile
under HOME/run and drives it through docgen/uno_worker.py, run by a Python that can
`import uno` (Debian's python3-uno; the venv cannot). Requests are serialised by a lock;
a conversion that exceeds its timeout kills LibreOffice, which is restarted on the next
request. Where no UNO-capable Python exists, each document is converted by a one-shot
`soffice --convert-to` with the same PDF/A options.

Each running LibreOffice needs a profile folder of its own (two instances sharing one
would hand work to each other), so profiles are numbered and claimed with a file lock.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from functools import cache
from pathlib import Path
from typing import IO, Any

from filelock import FileLock, Timeout

log = logging.getLogger("samverkan.pdf")

# PDF/A-2b: LibreOffice's SelectPdfVersion 2 (1 = PDF/A-1b, 3 = PDF/A-3b).
PDFA_FILTER_DATA: dict[str, Any] = {"SelectPdfVersion": 2}
ONESHOT_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
WORKER = Path(__file__).with_name("uno_worker.py")
UNO_PYTHON_CANDIDATES = ("/usr/lib/libreoffice/program/python", "/usr/bin/python3", "python3")


class ConversionError(RuntimeError):
    """A document LibreOffice could not turn into PDF, in words for the user."""


# Unbounded on purpose: the argument is the configured interpreter (one per process).
@cache
def uno_python(configured: str | None = None) -> str | None:
    """A Python interpreter that can `import uno` (the configured one, else the first of the
    usual places), or None (then conversions are one-shot)."""
    for candidate in ((configured,) if configured else UNO_PYTHON_CANDIDATES):
        executable = shutil.which(candidate)
        if not executable:
            continue
        try:
            probe = subprocess.run([executable, "-c", "import uno"], capture_output=True,
                                   timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return executable
    return None


class _Profile:
    """A LibreOffice profile folder claimed with an exclusive lock for this process."""

    def __init__(self, runtime: Path, prefix: str):
        runtime.mkdir(parents=True, exist_ok=True)
        for number in range(64):
            lock = FileLock(runtime / f"{prefix}-{number}.lock", timeout=0)
            try:
                lock.acquire()
            except Timeout:
                continue
            self._lock: FileLock | None = lock
            self.path = runtime / f"{prefix}-{number}"
            return
        raise ConversionError(f"Ingen ledig LibreOffice-profil i {runtime} (alla 64 används).")

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _kill_group(process: subprocess.Popen[Any] | None, grace: float = 5.0) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def _check_pdf(path: Path, src: Path) -> Path:
    if not path.is_file() or path.stat().st_size == 0:
        raise ConversionError(f"PDF-konverteringen av «{src.name}» gav ingen fil.")
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise ConversionError(f"PDF-konverteringen av «{src.name}» gav ingen giltig PDF.")
    return path


def convert_oneshot(src: Path, dst: Path, runtime: Path, *, soffice: str = "soffice",
                    timeout: float = 180.0) -> Path:
    """One cold `soffice --convert-to` run: PDF/A-2b of `src` written to `dst`."""
    src, dst = Path(src).resolve(), Path(dst).resolve()
    profile = _Profile(runtime, "lo-oneshot")
    try:
        with tempfile.TemporaryDirectory(dir=runtime, prefix="convert-") as scratch:
            command = [soffice, f"-env:UserInstallation={profile.url}", "--headless",
                       "--invisible", "--nologo", "--norestore", "--nolockcheck",
                       "--convert-to", ONESHOT_FILTER, "--outdir", scratch, str(src)]
            try:
                process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as error:
                raise ConversionError(
                    f"LibreOffice ({soffice}) kunde inte startas: {error}") from None
            try:
                output, _ = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                raise ConversionError(
                    f"PDF-konverteringen av «{src.name}» tog mer än {timeout:.0f} s och "
                    "avbröts.") from None
            produced = Path(scratch) / f"{src.stem}.pdf"
            if process.returncode != 0 or not produced.exists():
                detail = output.decode("utf-8", "replace").strip()[-400:]
                raise ConversionError(
                    f"PDF-konverteringen av «{src.name}» misslyckades: {detail}")
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), dst)
    finally:
        profile.release()
    return _check_pdf(dst, src)


class WarmConverter:
    """One long-lived LibreOffice driven over UNO; thread-safe, restarts after failures."""

    def __init__(self, runtime: Path, *, soffice: str = "soffice", timeout: float = 120.0,
                 start_timeout: float = 90.0, python: str | None = None):
        self.runtime = Path(runtime)
        self.soffice = soffice
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.python = python
        self._lock = threading.Lock()
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._profile: _Profile | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    # -- lifecycle --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return (self._worker is not None and self._worker.poll() is None
                and self._office is not None and self._office.poll() is None)

    def _read_replies(self, stream: IO[str], replies: queue.Queue[dict[str, Any] | None]
                      ) -> None:
        for line in stream:
            try:
                replies.put(json.loads(line))
            except json.JSONDecodeError:
                log.debug("uno worker: %s", line.rstrip())
        replies.put(None)  # the worker has gone

    def _start(self) -> None:
        python = self.python or uno_python()  # configured by PdfConverter, else found
        if python is None:
            raise ConversionError("Ingen Python med UNO (python3-uno) hittades.")
        self.runtime.mkdir(parents=True, exist_ok=True)
        self._profile = _Profile(self.runtime, "lo-profile")
        pipe = f"samverkan-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._log = open(self._profile.path.with_suffix(".log"), "ab")  # noqa: SIM115
        command = [self.soffice, f"-env:UserInstallation={self._profile.url}", "--headless",
                   "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                   f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        try:
            self._office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                            stderr=self._log, start_new_session=True)
            self._worker = subprocess.Popen(
                [python, str(WORKER), pipe, str(self.start_timeout)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self._log, text=True, encoding="utf-8",
                start_new_session=True)
        except OSError as error:
            self._stop(force=True)
            raise ConversionError(f"LibreOffice ({self.soffice}) kunde inte startas: {error}"
                                  ) from None
        self._replies = queue.Queue()
        threading.Thread(target=self._read_replies, args=(self._worker.stdout, self._replies),
                         daemon=True, name="uno-replies").start()
        ready = self._wait(self.start_timeout + 5)
        if not ready or not ready.get("ok"):
            self._stop(force=True)
            detail = (ready or {}).get("error", "ingen kontakt")
            raise ConversionError(f"LibreOffice startade inte som tjänst: {detail}")
        self.starts += 1
        log.info("LibreOffice started (profile %s)", self._profile.path)

    def _wait(self, timeout: float) -> dict[str, Any] | None:
        try:
            return self._replies.get(timeout=timeout)
        except queue.Empty:
            return None

    def _request(self, message: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        assert self._worker is not None and self._worker.stdin is not None
        try:
            self._worker.stdin.write(json.dumps(message) + "\n")
            self._worker.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        return self._wait(timeout)

    def _stop(self, force: bool = False) -> None:
        worker, office = self._worker, self._office
        if not force and worker is not None and worker.poll() is None:
            with contextlib.suppress(Exception):
                self._request({"cmd": "quit"}, timeout=10)
        if worker is not None:
            with contextlib.suppress(Exception):
                if worker.stdin:
                    worker.stdin.close()
            _kill_group(worker, grace=2 if force else 5)
        if office is not None:
            if not force:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    office.wait(timeout=10)
            _kill_group(office)
        self._worker = self._office = None
        if self._profile is not None:
            self._profile.release()
            self._profile = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def start(self) -> None:
        """Start LibreOffice now rather than on the first conversion (no-op if running)."""
        with self._lock:
            if not self.running:
                self._stop(force=True)
                self._start()

    def close(self) -> None:
        """Shut LibreOffice down cleanly (killed if it does not quit in time)."""
        with self._lock:
            self._stop()

    def __enter__(self) -> WarmConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- work -------------------------------------------------------------------------

    def convert(self, src: Path, dst: Path) -> Path:
        """PDF/A-2b of `src` at `dst`; one retry on a fresh LibreOffice if the first dies."""
        src, dst = Path(src).resolve(), Path(dst).resolve()
        if not src.is_file():
            raise ConversionError(f"«{src}» finns inte och kan inte konverteras.")
        dst.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for attempt in (1, 2):
                if not self.running:
                    self._stop(force=True)
                    self._start()
                reply = self._request({"cmd": "convert", "src": str(src), "dst": str(dst),
                                       "filter": "writer_pdf_Export",
                                       "filter_data": PDFA_FILTER_DATA}, self.timeout)
                if reply is not None and reply.get("ok"):
                    return _check_pdf(dst, src)
                if reply is None and self.running:
                    # Still running but silent: hung on this document; do not retry it.
                    self._stop(force=True)
                    raise ConversionError(
                        f"PDF-konverteringen av «{src.name}» tog mer än {self.timeout:.0f} s "
                        "och avbröts.")
                detail = (reply or {}).get("error", "LibreOffice avslutades oväntat")
                log.warning("conversion attempt %d of %s failed: %s", attempt, src.name, detail)
                self._stop(force=True)
            raise ConversionError(f"PDF-konverteringen av «{src.name}» misslyckades: {detail}")


class PdfConverter:
    """Warm when UNO is available, one-shot otherwise; the one object callers hold."""

    def __init__(self, runtime: Path, *, soffice: str = "soffice", timeout: float = 120.0,
                 warm: bool | None = None, python: str | None = None):
        self.runtime = Path(runtime)
        self.soffice = soffice
        self.timeout = timeout
        python = uno_python(python)
        use_warm = (python is not None) if warm is None else warm
        self._warm = WarmConverter(self.runtime, soffice=soffice, timeout=timeout,
                                   python=python) if use_warm else None
        self._oneshot_lock = threading.Lock()

    @property
    def mode(self) -> str:
        return "warm" if self._warm is not None else "oneshot"

    def convert(self, src: Path, dst: Path) -> Path:
        if self._warm is not None:
            try:
                return self._warm.convert(src, dst)
            except ConversionError as error:
                if self._warm.starts:  # it worked before: a real problem with this document
                    raise
                log.warning("warm LibreOffice unavailable (%s); using one-shot conversion", error)
                self._warm = None
        with self._oneshot_lock:
            return convert_oneshot(src, dst, self.runtime, soffice=self.soffice,
                                   timeout=self.timeout)

    def close(self) -> None:
        if self._warm is not None:
            self._warm.close()

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: dict[tuple[str, str], PdfConverter] = {}
_shared_lock = threading.Lock()


def shared_converter(runtime: Path, soffice: str = "soffice",
                     python: str | None = None) -> PdfConverter:
    """One converter per runtime folder for the whole process, closed at exit."""
    key = (str(Path(runtime).resolve()), soffice)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = PdfConverter(Path(runtime), soffice=soffice, python=python)
        return _shared[key]


@atexit.register
def close_shared() -> None:
    with _shared_lock:
        for converter in _shared.values():
            with contextlib.suppress(Exception):
                converter.close()
        _shared.clear()
