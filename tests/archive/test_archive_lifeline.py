"""Worker processes end with their owner or parent, even when that is SIGKILLed
(archive.lifeline; issue #15 item 6: forty orphans after ten kills of `samverkan watch`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from bench import procs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="PR_SET_PDEATHSIG and pidfd are Linux's")

# A stand-in for a pool worker: binds itself as the pool's initializer does, then waits
# forever on a pipe, as a worker waits on its task queue.
WORKER = textwrap.dedent("""
    import os, sys
    from samverkan.archive import lifeline
    {bind}
    print("ready", flush=True)
    os.read(os.pipe()[0], 1)
""")
# A stand-in for the fork server: starts the worker and waits for it.
PARENT = textwrap.dedent("""
    import subprocess, sys
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1]])
    print(child.pid, flush=True)
    child.wait()
""")


def _start_parent(bind: str) -> tuple[subprocess.Popen[bytes], int]:
    """The parent and its worker's pid, once the worker is bound and waiting."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, WORKER.format(bind=bind)],
                              stdout=subprocess.PIPE)
    assert parent.stdout is not None
    lines = {parent.stdout.readline(), parent.stdout.readline()}  # in either order
    assert b"ready\n" in lines, lines
    (pid,) = lines - {b"ready\n"}
    return parent, int(pid)


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])


def test_worker_ends_with_its_owner() -> None:
    owner = _sleeper()
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(bind=f"lifeline.watch_owner({owner.pid})")],
        stdout=subprocess.PIPE)
    try:
        assert worker.stdout is not None and worker.stdout.readline() == b"ready\n"
        tree = procs.kill_alone(owner)
        assert worker.wait(timeout=30) == 70
        assert not procs.wait_tree_gone(tree)
    finally:
        for process in (owner, worker):
            process.kill()
            process.wait()


def test_worker_ends_with_its_parent() -> None:
    parent, worker_pid = _start_parent("lifeline.die_with_parent()")
    try:
        tree = procs.tree_snapshot(parent.pid)
        assert worker_pid in tree
        procs.kill_alone(parent)
        assert not procs.wait_tree_gone(tree)
    finally:
        parent.kill()
        parent.wait()


def test_without_lifeline_the_worker_outlives_its_parent() -> None:
    """The tests above prove something: an unbound worker survives the same kill."""
    parent, worker_pid = _start_parent("")
    tree = procs.kill_alone(parent)
    try:
        assert worker_pid in procs.wait_tree_gone(tree, timeout=1)
    finally:
        os.kill(worker_pid, signal.SIGKILL)
