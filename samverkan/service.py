"""The running service: web server, inbox watcher and background OCR in one process tree.

One Archive is shared by all three, so a file dropped in the inbox, uploaded in the browser
or filed by OCR completing all reach the same followers (the search index). Stopping
(Ctrl+C, SIGTERM) lets the web server finish its requests, stops the watcher, waits for
filing jobs in progress so nothing is half-filed, and closes LibreOffice if it was started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from samverkan.archive.home import Home
from samverkan.web.backend import Backend
from samverkan.web.jobs import JobManager

log = logging.getLogger("samverkan.service")
UPLOAD_WORKERS = 2


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn re-raises SIGINT/SIGTERM after shutting down, which would kill the process
        before the service stops its watcher and jobs; here a signal only ends serving."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            original = {sig: signal.signal(sig, self.handle_exit)
                        for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    return Server


class Service:
    def __init__(self, settings: Home, *, host: str = "127.0.0.1", port: int = 8080,
                 watch: bool = True):
        from samverkan.web.app import create_app

        self.settings = settings
        self.host, self.port, self.watch = host, port, watch
        for folder in (settings.home, settings.inbox, settings.runtime):
            folder.mkdir(parents=True, exist_ok=True)
        self.backend = Backend(settings)
        self.jobs = JobManager(settings.runtime / "uploads", self.backend.file,
                               workers=UPLOAD_WORKERS)
        self.app = create_app(settings, self.backend, self.jobs)
        self._watcher: Any = None
        self._watch_thread: threading.Thread | None = None
        self._server: Any = None

    # -- start-up ------------------------------------------------------------------------

    def recover_uploads(self) -> list[Path]:
        """Uploads a previous run accepted but did not file go to the inbox, never lost."""
        moved = []
        uploads = self.settings.runtime / "uploads"
        if not uploads.is_dir():
            return moved
        for folder in sorted(uploads.iterdir()):
            for item in sorted(folder.iterdir()) if folder.is_dir() else []:
                target = self.settings.inbox / f"webb-{folder.name}-{item.name}"
                os.replace(item, target)
                moved.append(target)
            with contextlib.suppress(OSError):
                folder.rmdir() if folder.is_dir() else folder.unlink()
        return moved

    def attach_index(self) -> None:
        """Keep the search index in step with the archive, and rebuild it if it drifted."""
        self.backend.attach_index()

    def warm_search(self) -> None:
        """Load what the first search and the first Översikt need in the background
        (Backend.warm), while the server starts, so the first user does not wait for it."""
        threading.Thread(target=self.backend.warm, name="warm-up", daemon=True).start()

    def claim_intake(self) -> None:
        """With the watcher: become the one process that takes files from HOME/inbox, or
        raise archive.ownership.IntakeBusy before anything is served (a second watcher on a
        HOME logged false duplicates)."""
        from samverkan.archive.watch import InboxWatcher

        if self.watch and self._watcher is None:
            # The watcher logs every result itself; logging it here as well wrote each line
            # twice.
            watcher = InboxWatcher(self.backend.archive)
            watcher.claim_home()
            self._watcher = watcher

    def start_watcher(self) -> None:
        self.watch = True
        self.claim_intake()
        self._watch_thread = threading.Thread(target=self._watcher.run, name="inbox-watcher",
                                              daemon=True)
        self._watch_thread.start()

    # -- running -------------------------------------------------------------------------

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM; returns the exit code."""
        import uvicorn

        self.claim_intake()  # before anything moves into the inbox another process takes
        for path in self.recover_uploads():
            log.warning("unfiled upload from an earlier run moved to the inbox: %s", path.name)
        self.attach_index()
        self.warm_search()
        if self.watch:
            self.start_watcher()
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="info",
                                lifespan="off", access_log=False, timeout_graceful_shutdown=10)
        self._server = _server_class()(config)
        try:
            self._server.run()
        finally:
            self.stop()
        return 0

    def stop(self) -> None:
        """Stop everything this service started, in the order that loses nothing."""
        if self._server is not None:
            self._server.should_exit = True
        if self._watcher is not None:
            self._watcher.stop()
        if self._watch_thread is not None:
            self._watch_thread.join(timeout=30)
        self.jobs.close(wait=True)
        self.backend.close()
        with contextlib.suppress(Exception):
            from samverkan.docgen.pdf import close_shared

            close_shared()
        # Uploads cancelled before filing wait in the inbox for the next start.
        for path in self.recover_uploads():
            log.warning("upload not filed before stop, left in the inbox: %s", path.name)
