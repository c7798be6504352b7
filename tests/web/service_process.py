"""`samverkan serve` in a subprocess for browser tests, and Chromium for Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass
class Running:
    base: str
    process: subprocess.Popen
    log: IO[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_service(home: Path, log_path: Path) -> Iterator[Running]:
    """The service on a free port of 127.0.0.1 until the block ends (killed if still up)."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("samverkan")), "--home", str(home), "serve",
               "--host", "127.0.0.1", "--port", str(port)]
    log = open(log_path, "w+b")  # noqa: SIM115 - closed below
    env = dict(os.environ, SAMVERKAN_QUIET_SECONDS="0.2")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/logga-in", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError("server did not start:\n" + log.read().decode()
                                         ) from None
                time.sleep(0.2)
        yield Running(base, process, log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def chromium_tab(timeout_ms: int = 20_000, **context_options: Any) -> Iterator[Any]:
    """A tab of Chromium in Swedish that accepts downloads, until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, locale="sv-SE",
                                          **context_options)
            context.set_default_timeout(timeout_ms)
            yield context.new_page()
        finally:
            browser.close()


def log_in(tab: Any, base: str, name: str, password: str) -> None:
    """Fill in and send the login form (the caller waits for the page it expects)."""
    tab.goto(base + "/logga-in")
    tab.get_by_label("Användarnamn").fill(name)
    tab.get_by_label("Lösenord").fill(password)
    tab.get_by_role("button", name="Logga in").click()


def screenshot_folder(made: Path) -> Path:
    """Where browser tests save what they saw: $SAMVERKAN_SCREENSHOTS, else `made` (a
    temporary folder of the test run)."""
    chosen = os.environ.get("SAMVERKAN_SCREENSHOTS")
    folder = Path(chosen) if chosen else made
    folder.mkdir(parents=True, exist_ok=True)
    return folder
