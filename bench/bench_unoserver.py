"""The project's warm LibreOffice converter against unoserver, on the same DOCX drafts.

(1) docgen.pdf.WarmConverter: one `soffice --accept=pipe` driven by docgen/uno_worker.py;
(2) unoserver (https://github.com/unoconv/unoserver): `python -m unoserver.server` (XML-RPC in
front of `soffice --accept=socket`), called the way its `unoconvert` client does it (info(),
then convert() with the file paths), with the same PDF/A-2b option (SelectPdfVersion=2).

Rows (value: unoserver; reference: the project's converter; ratio = unoserver / project):
- first conversion: from nothing running to the first PDF/A, start-up included;
- per document: warm conversion, median over the examples x rounds; both servers are up and
  take turns document by document, so background load hits both alike;
- soffice killed during a conversion (stopped as it is asked for, SIGKILLed FAULT_DELAY s
  later, so the kill surely lands mid-conversion): seconds until that document is converted.
  The project's converter restarts LibreOffice itself; unoserver exits with its LibreOffice,
  so here the bench starts it again, as a supervisor (systemd) would, and retries once;
- recovers from a LibreOffice crash by itself: 1 yes, 0 no;
- hung conversion (LibreOffice stopped with SIGSTOP as the conversion is asked for; a
  conversion timeout of HANG_TIMEOUT on both sides): seconds until the caller hears of it
  (None: nothing within HANG_TIMEOUT + CLIENT_GRACE seconds);
- after the hang: seconds until the next document is converted (supervisor restart included
  where one was needed), and whether it worked without outside help (1 / 0);
- PDF/A-2b: share of the outputs whose XMP declares pdfaid:part 2, conformance B.

unoserver is not a dependency of the project and `make install` does not install it, so
`make bench` leaves this module out; run it with `python -m bench --only unoserver` after
    /usr/bin/python3 -m venv --system-site-packages bench/out/unoserver-venv
    bench/out/unoserver-venv/bin/pip install 'unoserver>=3,<4'
(a Python that can `import uno`, i.e. Debian's python3-uno; pip install --user is refused
there by PEP 668). SAMVERKAN_UNOSERVER_PYTHON names another such Python.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pikepdf

from bench import row
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.pdf import ConversionError, WarmConverter, uno_python
from samverkan.docgen.render import render_docx

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
DEFAULT_PYTHON = HERE / "out" / "unoserver-venv" / "bin" / "python"
HANG_TIMEOUT = 15  # seconds a conversion may take before either converter gives up on it
CLIENT_GRACE = 30.0  # how much longer the bench waits for unoserver to answer at all
FAULT_DELAY = 0.3  # seconds into a (stopped) conversion when LibreOffice is killed
START_TIMEOUT = 90.0


def _say(message: str) -> None:
    print(f"   {message}", file=sys.stderr, flush=True)


def unoserver_python() -> str:
    """A Python with both uno and unoserver, or RuntimeError saying how to make one."""
    candidate = os.environ.get("SAMVERKAN_UNOSERVER_PYTHON") or str(DEFAULT_PYTHON)
    executable = shutil.which(candidate)
    if executable:
        probe = subprocess.run([executable, "-c", "import uno, unoserver.server"],
                               capture_output=True, timeout=60, check=False)
        if probe.returncode == 0:
            return executable
    raise RuntimeError(
        f"no Python with uno and unoserver at {candidate}; create one with "
        "`/usr/bin/python3 -m venv --system-site-packages bench/out/unoserver-venv && "
        "bench/out/unoserver-venv/bin/pip install 'unoserver>=3,<4'` or set "
        "SAMVERKAN_UNOSERVER_PYTHON")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def _signal_tree(pid: int, signum: int) -> None:
    for member in _process_tree(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signum)


def _is_pdfa2b(path: Path) -> bool:
    try:
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            return (str(meta.get("pdfaid:part")) == "2"
                    and str(meta.get("pdfaid:conformance")).upper() == "B")
    except Exception:
        return False


class _Transport(xmlrpc.client.Transport):
    """xmlrpc.client has no timeout of its own; without one a hung server hangs the bench."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> Any:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class Unoserver:
    """One `unoserver` process (and its LibreOffice) that the bench starts, calls and kills."""

    def __init__(self, python: str, work: Path, conversion_timeout: int) -> None:
        self.python = python
        self.work = work
        self.conversion_timeout = conversion_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.starts = 0

    @property
    def _pid_file(self) -> Path:
        return self.work / f"unoserver-{self.starts}.pid"

    def start(self) -> None:
        self.starts += 1
        self.port, uno_port = _free_port(), _free_port()
        profile = self.work / f"unoserver-profile-{self.starts}"
        command = [self.python, "-m", "unoserver.server", "--port", str(self.port),
                   "--uno-port", str(uno_port), "--user-installation", str(profile),
                   "--libreoffice-pid-file", str(self._pid_file),
                   "--conversion-timeout", str(self.conversion_timeout)]
        soffice = shutil.which("soffice")
        if soffice:
            command += ["--executable", soffice]
        log = open(self.work / "unoserver.log", "ab")  # noqa: SIM115 - the child writes it
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"unoserver exited at start ({self.process.returncode}); "
                                   f"see {self.work / 'unoserver.log'}")
            try:
                self._proxy(5.0).info()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.05)
        raise RuntimeError("unoserver did not answer within the start-up timeout")

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True,
                                         transport=_Transport(timeout))

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def office_pid(self) -> int:
        deadline = time.monotonic() + 30
        while not self._pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return int(self._pid_file.read_text().strip())

    def convert(self, src: Path, dst: Path, timeout: float | None = None,
                fault: Callable[[], object] | None = None) -> None:
        """As unoconvert does it: info() (checks the API version), then convert()."""
        proxy = self._proxy(timeout if timeout is not None else HANG_TIMEOUT + CLIENT_GRACE)
        proxy.info()
        if fault is not None:
            fault()
        proxy.convert(str(src), None, str(dst), "pdf", None, ["SelectPdfVersion=2"], True,
                      None, None)
        if not dst.is_file() or dst.read_bytes()[:5] != b"%PDF-":
            raise RuntimeError(f"unoserver gave no PDF for {src.name}")

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # LibreOffice is in its group
            self.process.wait(timeout=30)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def _timed(action: Callable[[], object]) -> tuple[float, BaseException | None]:
    started = time.perf_counter()
    try:
        action()
        error = None
    except Exception as caught:
        error = caught
    return time.perf_counter() - started, error


def _killed_later(pid: int) -> Callable[[], object]:
    """Stops LibreOffice now, so the conversion about to be asked for is surely under way
    when it is killed FAULT_DELAY seconds later."""
    def fault() -> None:
        _signal_tree(pid, signal.SIGSTOP)
        threading.Timer(FAULT_DELAY, _signal_tree, (pid, signal.SIGKILL)).start()
    return fault


def _stopped(pid: int) -> Callable[[], object]:
    return lambda: _signal_tree(pid, signal.SIGSTOP)


def _drafts(work: Path) -> list[Path]:
    documents = []
    for index, path in enumerate(sorted(EXAMPLES.glob("*.yaml"))):
        target = work / f"draft-{index}.docx"
        render_docx(load_yaml(path), target)
        documents.append(target)
    return documents


def run(quick: bool) -> list[dict[str, Any]]:
    if uno_python() is None:
        raise RuntimeError("no Python with uno (python3-uno): the project's converter is "
                           "one-shot here, there is nothing warm to compare")
    server_python = unoserver_python()
    rounds = 2 if quick else 5
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-unoserver-"))
    project = WarmConverter(work / "run-project", timeout=HANG_TIMEOUT)
    server = Unoserver(server_python, work, HANG_TIMEOUT)
    try:
        documents = _drafts(work)
        out = work / "out"
        out.mkdir()
        # LibreOffice's files into the page cache first, so neither side pays the disk.
        with WarmConverter(work / "run-warmup") as warmup:
            warmup.convert(documents[0], out / "warmup.pdf")

        first_project, error = _timed(lambda: project.convert(documents[0], out / "p-first.pdf"))
        if error:
            raise error
        def first_from_unoserver() -> None:
            server.start()
            server.convert(documents[0], out / "u-first.pdf")

        first_server, error = _timed(first_from_unoserver)
        if error:
            raise error
        _say(f"first conversion: project {first_project:.2f} s, unoserver {first_server:.2f} s")

        project_times: list[float] = []
        server_times: list[float] = []
        produced: dict[str, list[Path]] = {"p": [], "u": []}
        sides: tuple[tuple[str, Callable[[Path, Path], object], list[float]], ...] = (
            ("p", project.convert, project_times), ("u", server.convert, server_times))
        for round_number in range(rounds):
            for index, document in enumerate(documents):
                for side, convert, times in sides:
                    target = out / f"{side}-{round_number}-{index}.pdf"
                    seconds, error = _timed(partial(convert, document, target))
                    if error:
                        raise error
                    times.append(seconds)
                    produced[side].append(target)
        per_project, per_server = statistics.median(project_times), statistics.median(server_times)
        _say(f"per document (median of {len(project_times)}): project {per_project:.3f} s, "
             f"unoserver {per_server:.3f} s; mean {statistics.mean(project_times):.3f} / "
             f"{statistics.mean(server_times):.3f} s")
        pdfa_project = sum(map(_is_pdfa2b, produced["p"])) / len(produced["p"])
        pdfa_server = sum(map(_is_pdfa2b, produced["u"])) / len(produced["u"])

        crash = _crash(project, server, documents[1], out)
        hang = _hang(project, server, documents[2], documents[3], out)
        return [
            row("first conversion, start-up included (vs project)", first_server, "s",
                first_project),
            row("per document, warm, median (vs project)", per_server, "s", per_project),
            row("soffice killed mid-conversion: s to that PDF (vs project)", crash["server"],
                "s", crash["project"]),
            row("recovers from a LibreOffice crash by itself (1/0, vs project)",
                crash["server_alone"], "yes", crash["project_alone"]),
            row("hung conversion: s until the caller hears (vs project)", hang["server"], "s",
                hang["project"]),
            row("after the hang: s to the next PDF (vs project)", hang["server_next"], "s",
                hang["project_next"]),
            row("works after the hang without outside help (1/0, vs project)",
                hang["server_alone"], "yes", hang["project_alone"]),
            row("outputs declaring PDF/A-2b (share, vs project)", pdfa_server, "share",
                pdfa_project),
        ]
    finally:
        with contextlib.suppress(Exception):
            project.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def _crash(project: WarmConverter, server: Unoserver, document: Path, out: Path
           ) -> dict[str, float | None]:
    """SIGKILL LibreOffice during a conversion; time until that PDF exists all the same."""
    office = project._office  # noqa: SLF001 - the bench kills it on purpose
    assert office is not None
    starts = project.starts
    _killed_later(office.pid)()
    project_seconds, project_error = _timed(lambda: project.convert(document, out / "p-crash.pdf"))
    project_alone = project_error is None and project.starts == starts + 1
    _say(f"crash, project: {project_seconds:.2f} s, converted "
         f"{'after restarting LibreOffice itself' if project_alone else f'? {project_error!r}'}")

    office_pid = server.office_pid()
    started = time.perf_counter()
    _, error = _timed(lambda: server.convert(document, out / "u-crash.pdf",
                                             fault=_killed_later(office_pid)))
    server_alone = error is None
    if error is not None:
        _say(f"crash, unoserver: the call failed ({type(error).__name__}: {str(error)[:100]})")
        time.sleep(1.0)  # time for unoserver to notice its LibreOffice is gone
        _say(f"crash, unoserver: 1 s later unoserver has "
             f"{'exited' if not server.alive else 'kept running'}")
        _, error = _timed(lambda: server.convert(document, out / "u-crash.pdf", 10.0))
        server_alone = error is None
        if error is not None:
            _say(f"crash, unoserver: retry failed ({type(error).__name__}); restarting it as "
                 "a supervisor would")
            server.restart()
            _, error = _timed(lambda: server.convert(document, out / "u-crash.pdf"))
    server_seconds = time.perf_counter() - started
    _say(f"crash, unoserver: {server_seconds:.2f} s to the PDF"
         f"{f', failed: {error!r}' if error else ''}")
    return {"project": project_seconds if project_error is None else None,
            "server": server_seconds if error is None else None,
            "project_alone": float(project_alone), "server_alone": float(server_alone)}


def _hang(project: WarmConverter, server: Unoserver, document: Path, following: Path,
          out: Path) -> dict[str, float | None]:
    """SIGSTOP LibreOffice as a conversion is asked for; how the caller finds out, and how
    long the next conversion takes."""
    if not project.running:
        project.start()
    office = project._office  # noqa: SLF001 - the bench stops it on purpose
    assert office is not None
    _stopped(office.pid)()
    project_seconds, error = _timed(lambda: project.convert(document, out / "p-hang.pdf"))
    heard = isinstance(error, ConversionError)
    _say(f"hang, project: {project_seconds:.2f} s, {error!r}")
    project_next, next_error = _timed(lambda: project.convert(following, out / "p-next.pdf"))
    _say(f"hang, project: next document {project_next:.2f} s"
         f"{f' failed: {next_error!r}' if next_error else ''}")

    office_pid = server.office_pid()
    started = time.perf_counter()
    _, error = _timed(lambda: server.convert(document, out / "u-hang.pdf",
                                             fault=_stopped(office_pid)))
    server_seconds = time.perf_counter() - started
    server_heard = error is not None and server_seconds < HANG_TIMEOUT + CLIENT_GRACE - 1
    _say(f"hang, unoserver: {server_seconds:.2f} s, "
         f"{'answered' if server_heard else 'no answer (client timeout)'}: "
         f"{type(error).__name__}: {str(error)[:120]}; unoserver "
         f"{'running' if server.alive else 'exited'}")
    started = time.perf_counter()
    _, next_server_error = _timed(lambda: server.convert(following, out / "u-next.pdf", 30.0))
    server_alone = next_server_error is None
    if not server_alone:
        _say(f"hang, unoserver: next document failed ({type(next_server_error).__name__}: "
             f"{str(next_server_error)[:120]}) while unoserver "
             f"{'kept running' if server.alive else 'had exited'}; restarting it")
        _signal_tree(office_pid, signal.SIGKILL)
        server.restart()
        _, next_server_error = _timed(lambda: server.convert(following, out / "u-next.pdf"))
    server_next = time.perf_counter() - started
    _say(f"hang, unoserver: next document after {server_next:.2f} s"
         f"{f' failed: {next_server_error!r}' if next_server_error else ''}")
    return {"project": project_seconds if heard else None,
            "server": server_seconds if server_heard else None,
            "project_next": None if next_error else project_next,
            "server_next": None if next_server_error else server_next,
            "project_alone": float(heard and next_error is None),
            "server_alone": float(server_alone)}


if __name__ == "__main__":
    print(json.dumps(run(quick=True), ensure_ascii=False, indent=1))
