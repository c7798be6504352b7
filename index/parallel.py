"""Full rebuilds on several cores: worker processes write segments, the parent commits them.

A rebuild of a national archive is CPU-bound Python (analysis and posting lists), so one
process uses one core. Here the parent reads the agreements from the archive and deals them
in batches to worker processes; each worker writes its own segments of the new generation
with a BulkWriter (index.bulk) and reports them back; the parent, which holds Whoosh's
write lock throughout, commits all segments in one TOC. The generation is published by the
caller only once this has succeeded.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.context import ForkContext, ForkServerContext
from typing import Any

from samverkan.archive.records import VersionRecord

MIN_AGREEMENTS = 150  # below this, starting workers costs more than it saves
MAX_WORKERS = 4
BATCH = 12  # agreements per message to a worker
QUEUED_BATCHES = 3  # per worker: bounds memory and keeps progress honest
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Built:
    agreements: int
    versions: int
    passages: int


def worker_count(total: int | None) -> int:
    """How many worker processes a rebuild of `total` agreements should use (1: none)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    if total is None or total < MIN_AGREEMENTS or cpus < 2:
        return 1
    return min(cpus, MAX_WORKERS)


def _context() -> ForkContext | ForkServerContext:
    """Fork is cheapest, but forking a process with other threads (the web service, a
    progress bar) can copy a lock another thread holds; then the fork server starts them."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


def _work(folder: str, indexname: str, tasks: Any, results: Any,
          segment_postings: int, owner: int) -> None:
    """Worker process: write the agreements it is sent into segments of the index; it ends
    with the process that started the rebuild, even when that one is SIGKILLed."""
    from samverkan.archive import lifeline

    lifeline.watch_owner(owner)
    try:
        from whoosh import index as whoosh_index

        from samverkan.index.bulk import BulkWriter
        from samverkan.index.indexer import write_agreement

        ix = whoosh_index.open_dir(folder, indexname)
        writer = BulkWriter(ix, _lk=False)
        segments = []
        agreements = versions = passages = 0
        while True:
            batch = tasks.get()
            if batch is None:
                break
            for _, records in batch:
                passages += write_agreement(writer, records)
                agreements += 1
                versions += len(records)
                if writer.postings >= segment_postings:
                    segments.append(writer.finish_segment())
                    writer = BulkWriter(ix, _lk=False)
        if writer.docnum:
            segments.append(writer.finish_segment())
        results.put(("done", segments, agreements, versions, passages))
    except BaseException:  # reported to the parent, which aborts the rebuild
        results.put(("failed", traceback.format_exc()))


def build(writer: Any, source: Iterable[tuple[str, Sequence[VersionRecord]]], workers: int,
          segment_postings: int, check: Callable[[str, Sequence[VersionRecord]], None],
          progress: Callable[[int, int | None], None] | None = None,
          total: int | None = None) -> Built:
    """Write `source` into the index of `writer` (a BulkWriter on a fresh generation) using
    `workers` processes, and commit. On any error the workers are stopped and it raises."""
    context = _context()
    folder, indexname = str(writer.storage.folder), writer.indexname
    tasks = [context.Queue(maxsize=QUEUED_BATCHES) for _ in range(workers)]
    results = context.Queue()
    processes = [context.Process(target=_work, daemon=True, name=f"samverkan-index-{number}",
                                 args=(folder, indexname, tasks[number], results,
                                       segment_postings, os.getpid()))
                 for number in range(workers)]
    for process in processes:
        process.start()
    try:
        dealt = 0
        batch: list[tuple[str, list[VersionRecord]]] = []
        for agreement_id, records in source:
            check(agreement_id, records)
            batch.append((agreement_id, list(records)))
            if len(batch) >= BATCH:
                _send(tasks, processes, dealt // BATCH % workers, batch, results)
                batch = []
            dealt += 1
            if progress:
                progress(dealt, total)
        if batch:
            _send(tasks, processes, dealt // BATCH % workers, batch, results)
        for number in range(workers):
            _send(tasks, processes, number, None, results)
        outcomes = [_result(results, processes) for _ in processes]
    except BaseException:
        for task in tasks:
            task.cancel_join_thread()  # never wait at exit for batches nobody will read
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(10)
        raise
    for process in processes:
        process.join(30)
    writer.commit_segments([s for outcome in outcomes for s in outcome[1]])
    return Built(agreements=sum(o[2] for o in outcomes), versions=sum(o[3] for o in outcomes),
                 passages=sum(o[4] for o in outcomes))


def _send(tasks: list[Any], processes: list[Any], number: int, batch: Any, results: Any) -> None:
    while True:
        try:
            tasks[number].put(batch, timeout=POLL_SECONDS)
            return
        except queue.Full:
            _check_alive(processes, results)


def _check_alive(processes: list[Any], results: Any) -> None:
    """A worker that failed says why on the result queue; one that died says nothing."""
    try:
        outcome = results.get_nowait()
    except queue.Empty:
        outcome = None
    if outcome is not None and outcome[0] == "failed":
        raise RuntimeError(f"indexing worker failed:\n{outcome[1]}")
    if outcome is not None:
        results.put(outcome)  # a finished worker: keep its result for later
    for process in processes:
        if not process.is_alive() and process.exitcode not in (0, None):
            raise RuntimeError(f"indexing worker {process.name} died "
                               f"(exit code {process.exitcode})")


def _result(results: Any, processes: list[Any]) -> tuple[Any, ...]:
    while True:
        try:
            outcome = results.get(timeout=POLL_SECONDS)
        except queue.Empty:
            _check_alive(processes, results)
            continue
        if outcome[0] == "failed":
            raise RuntimeError(f"indexing worker failed:\n{outcome[1]}")
        return outcome
