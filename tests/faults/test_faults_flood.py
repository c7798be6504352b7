"""Many files dropped at once, some of them bad: every good one archived, every bad one
quarantined with its reason, none lost, and the archive answers throughout.

The count defaults to what fits the test budget on two cores; SAMVERKAN_FAULT_FLOOD=1000
runs the full flood of the issue (as `make bench` users do before a release).
"""

from __future__ import annotations

import io
import os
import random
import threading
import time
from pathlib import Path

import pytest

from bench import procs
from tests.faults.conftest import (
    agreement_files,
    archived_shas,
    fsck,
    quarantined,
    sha256,
    waiting,
)

FLOOD = int(os.environ.get("SAMVERKAN_FAULT_FLOOD", "80"))
BAD_SHARE = 0.05


def _encrypted_pdf(text_pdf: bytes) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(text_pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemligt", owner_password="ägare")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bad_files(count: int, rng: random.Random, sample_pdf: bytes) -> list[tuple[str, bytes]]:
    """Files the archive must refuse, each kind in turn, each with distinct bytes."""
    encrypted = _encrypted_pdf(sample_pdf)
    kinds = [
        ("tom", lambda n: b""),
        ("avkortad", lambda n: sample_pdf[: len(sample_pdf) // 3] + str(n).encode()),
        ("html", lambda n: f"<!DOCTYPE html><html><body>Sidan {n} finns inte</body></html>"
         .encode()),
        ("krypterad", lambda n: encrypted + f"\n%{n}\n".encode()),
        ("skrap", lambda n: rng.randbytes(2048)),
        ("bild", lambda n: b"\x89PNG\r\n\x1a\n" + rng.randbytes(512)),
    ]
    files = []
    for number in range(count):
        kind, make = kinds[number % len(kinds)]
        files.append((f"trasig-{kind}-{number:04d}.pdf", make(number)))
    return files


@pytest.mark.slow
def test_flood_with_bad_files(fresh_home: Path, watcher, tmp_path: Path) -> None:
    rng = random.Random(1000)
    bad_count = max(6, round(FLOOD * BAD_SHARE))
    good = agreement_files(FLOOD - bad_count, seed=77, pdf_every=10)
    sample_pdf = next(data for name, data in good if name.endswith(".pdf"))
    bad = bad_files(bad_count, rng, sample_pdf)
    everything = good + bad
    rng.shuffle(everything)

    # Written elsewhere and moved in, so all of them land in the inbox at once.
    staging = tmp_path / "staging"
    staging.mkdir()
    for name, data in everything:
        (staging / name).write_bytes(data)
    inbox = fresh_home / "inbox"
    process = watcher()
    started = time.monotonic()
    for name, _ in everything:
        os.replace(staging / name, inbox / name)

    # Meanwhile: the archive must keep answering (`samverkan list` from another process).
    answers: list[float] = []
    failures: list[str] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            asked = time.monotonic()
            result = procs.run_cli(fresh_home, "list", "--json", timeout=60)
            answers.append(time.monotonic() - asked)
            if result.returncode != 0:
                failures.append(result.stderr[-500:])
            done.wait(3.0)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        procs.wait_until(lambda: not waiting(fresh_home), 600, 0.2, "the inbox to empty")
    finally:
        done.set()
        prober.join(90)
    seconds = time.monotonic() - started
    procs.stop(process)
    print(f"\n{len(everything)} files ({bad_count} bad) filed in {seconds:.1f} s "
          f"({len(everything) / seconds:.1f} files/s); `samverkan list` answered "
          f"{len(answers)} times, slowest {max(answers, default=0):.2f} s")

    assert not failures, failures[0]
    assert len(answers) >= 2, "the archive was never asked while intake ran"
    assert max(answers) < 30, f"`samverkan list` took {max(answers):.1f} s during intake"

    filed = archived_shas(fresh_home)
    assert len(filed) == len(set(filed)), "a file was archived twice"
    good_shas = {sha256(data) for _, data in good}
    missing = good_shas - set(filed)
    assert not missing, f"{len(missing)} good files were not archived"

    refused = quarantined(fresh_home)
    names = {_name(entry) for entry in refused}
    for name, _ in bad:
        assert name in names, f"{name} was not quarantined"
    expected = {"tom": ("tom",), "avkortad": ("avkortad", "ofullständig", "skadad"),
                "krypterad": ("lösenord",), "html": ("html",)}
    for entry in refused:
        reason = _reason(entry).lower()
        assert len(reason) > 10, entry
        kind = _name(entry).split("-")[1]
        assert any(word in reason for word in expected.get(kind, ("",))), (kind, reason)
    assert len(refused) == len(bad), "a good file was quarantined or a bad one twice"
    result = fsck(fresh_home)
    assert result.returncode == 0, result.stdout + result.stderr


def _name(entry: object) -> str:
    for key in ("filename", "name", "source"):
        value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
        if value:
            return Path(str(value)).name
    raise AssertionError(f"quarantine entry without a name: {entry!r}")


def _reason(entry: object) -> str:
    value = entry.get("reason") if isinstance(entry, dict) else getattr(entry, "reason", None)
    return str(value or "")
