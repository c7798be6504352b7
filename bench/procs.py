"""Running `samverkan` as a real process from benchmarks and fault tests, and watching it.

Latency, memory and crash-safety are properties of the running service, so they are
measured on a subprocess with its own HOME, never in-process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def samverkan_argv(home: Path, *args: str) -> list[str]:
    """The command line of `samverkan --home HOME ARGS` using this interpreter."""
    return [sys.executable, "-c", "from samverkan.cli import main; main()",
            "--home", str(home), *args]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(REPO))
    env.update(extra)
    return env


def run_cli(home: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None,
            check: bool = False, input_text: str | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """Run one `samverkan` command to completion and capture its output."""
    done = subprocess.run(samverkan_argv(home, *args), capture_output=True, text=True,
                          timeout=timeout, env=env or cli_env(), cwd=REPO, input=input_text,
                          stdin=None if input_text is not None else subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise RuntimeError(f"samverkan {' '.join(args)} exited {done.returncode}:\n"
                           f"{done.stdout}\n{done.stderr}")
    return done


def start_cli(home: Path, *args: str, env: dict[str, str] | None = None,
              log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a long-running `samverkan` command (watch, serve) in its own process group."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(samverkan_argv(home, *args), stdout=out, stderr=subprocess.STDOUT,
                                env=env or cli_env(), cwd=REPO, start_new_session=True)
    finally:
        if log:
            out.close()  # type: ignore[union-attr]


def stop(process: subprocess.Popen[bytes], *, timeout: float = 20) -> int | None:
    """SIGTERM, then SIGKILL of the whole process group if it does not end in time."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            kill(process)
    return process.returncode


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and everything it started (a crash, as far as it can tell)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process from /proc, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], fields[19]


def tree_snapshot(pid: int) -> dict[int, str]:
    """The process `pid` and all its descendants now, each with its start time (so a pid
    the kernel hands out again later is not taken for a survivor)."""
    found = {}
    for member in process_tree(pid):
        stat = _stat(member)
        if stat is not None:
            found[member] = stat[1]
    return found


def survivors(snapshot: dict[int, str]) -> dict[int, str]:
    """Processes of `snapshot` (and their descendants) still running (zombies count as
    ended), with their command lines."""
    alive: dict[int, str] = {}
    for pid, started in snapshot.items():
        stat = _stat(pid)
        if stat is None or stat[1] != started or stat[0] == "Z":
            continue
        for member in process_tree(pid):
            member_stat = _stat(member)
            if member_stat is None or member_stat[0] == "Z":
                continue
            try:
                with open(f"/proc/{member}/cmdline", "rb") as handle:
                    alive[member] = handle.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
    return alive


def kill_alone(process: subprocess.Popen[bytes]) -> dict[int, str]:
    """SIGKILL the process only, not its children (as the OOM killer or `kill -9 PID` do);
    returns the tree it had, for `wait_tree_gone`."""
    snapshot = tree_snapshot(process.pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    return snapshot


def wait_tree_gone(snapshot: dict[int, str], timeout: float = 30) -> dict[int, str]:
    """Wait (at most `timeout` s) for every process of `snapshot` to end; {} when they all
    did, else the survivors with their command lines."""
    deadline = time.monotonic() + timeout
    while (alive := survivors(snapshot)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def wait_until(predicate: Callable[[], T], timeout: float, interval: float = 0.05,
               what: str = "condition") -> T:
    """Poll until predicate() is truthy; return its value or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------- memory via /proc

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def process_tree(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def rss_bytes(pids: Sequence[int]) -> int:
    """Sum of resident set sizes (VmRSS) of the given processes; vanished ones count 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


class RssSampler:
    """Samples the RSS of a process tree in a thread; `peak` is the largest total seen."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> int:
        current = rss_bytes(process_tree(self.pid))
        self.peak = max(self.peak, current)
        self.samples += 1
        return current

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def tree_size(path: Path) -> int:
    """Bytes of all regular files under path (what a backup of it would copy)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def pss_bytes(pids: Sequence[int]) -> int:
    """Sum of proportional set sizes (smaps_rollup Pss): shared pages are divided among the
    processes that share them, so the sum is what the tree really costs in memory."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total
