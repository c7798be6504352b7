"""Worker processes end with the process they work for, even when it is SIGKILLed.

A killed `samverkan watch` or `serve` cannot shut its analysis pool down. Its workers are
children of multiprocessing's fork server and block on their task queue, whose write end
they hold themselves, so they would wait forever; the fork server waits for them (they hold
its "alive" pipe), and the resource tracker for both. All were adopted by PID 1, four per
kill. So each worker, as it starts:

- asks the kernel to SIGKILL it when its parent dies (PR_SET_PDEATHSIG, Linux), which covers
  the fork server being killed, and
- waits in a thread for the owner (the process that made the pool) to end, through a pidfd
  (polling where there is none), and then exits.

With the workers gone the fork server sees its last client go and exits by itself, and the
resource tracker after it. The fork server gets no PDEATHSIG of its own on purpose: that
signal follows the *thread* that started it, and the service starts its pool from the
watcher thread, so the server would die with a thread rather than with the process.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import signal
import sys
import threading

from samverkan.archive.fsutil import pid_alive

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 1.0  # without pidfd: how often a worker looks whether its owner still lives
EXIT_ORPHANED = 70  # the exit status of a worker whose owner is gone (no one reads it)


def die_with(owner: int) -> None:
    """In a new worker process: end it when its parent or the `owner` process ends."""
    die_with_parent()
    watch_owner(owner)


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent ends (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(EXIT_ORPHANED)


def watch_owner(owner: int) -> threading.Thread:
    """Exit this process as soon as `owner` has ended (a daemon thread waits for it)."""
    descriptor: int | None = None
    try:
        descriptor = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(EXIT_ORPHANED)
    except (AttributeError, OSError):  # not Linux 5.3+: look every POLL_SECONDS instead
        descriptor = None
    thread = threading.Thread(target=_wait_for, args=(owner, descriptor), daemon=True,
                              name=f"lifeline-{owner}")
    thread.start()
    return thread


def _wait_for(owner: int, descriptor: int | None) -> None:
    waited = False
    if descriptor is not None:
        with contextlib.suppress(OSError):
            select.select([descriptor], [], [])  # readable once the owner has exited
            waited = True
    if not waited:
        while pid_alive(owner):
            threading.Event().wait(POLL_SECONDS)
    os._exit(EXIT_ORPHANED)
