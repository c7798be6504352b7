"""Crash-safe file primitives: atomic writes, directory fsync, UTC timestamps, safe names.

Every write the archive makes goes through `atomic_write`: a temporary file in the same
folder, fsync, rename, fsync of the folder. A crash leaves either the old state or the new
one, plus at worst a ".tmp" file that start-up removes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TEMP_PREFIX = ".tmp-"


def utc_now() -> str:
    """Current time as UTC ISO 8601 with microseconds ("2024-05-01T09:30:00.123456Z")."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_from_timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see all of it or none (then fsync the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_many(folder: Path, files: dict[str, bytes]) -> None:
    """Several atomic writes into one folder with a single folder fsync at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                                 suffix=".tmp", dir=folder)
            staged.append((temporary, folder / name))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _target in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def json_bytes(data: Any, **options: Any) -> bytes:
    """UTF-8 JSON; file names that are not valid UTF-8 (lone surrogates from the file system)
    fall back to \\u escapes, which read back to the same name."""
    try:
        return json.dumps(data, ensure_ascii=False, default=str, **options).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, default=str, **options).encode("ascii")


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write(path, json_bytes(data, indent=1, sort_keys=True))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _writer_pid(name: str) -> int | None:
    found = re.match(rf"^{re.escape(TEMP_PREFIX)}(\d+)-", name)
    return int(found[1]) if found else None


def remove_temp_files(folder: Path) -> list[Path]:
    """Delete leftovers of interrupted atomic writes below `folder` whose writer process is
    gone (the pid is part of the temporary name); return what was removed."""
    removed: list[Path] = []
    if not folder.exists():
        return removed
    for candidate in folder.rglob(f"{TEMP_PREFIX}*"):
        pid = _writer_pid(candidate.name)
        if candidate.is_file() and candidate.name.endswith(".tmp") and (
                pid is None or not pid_alive(pid)):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


_UNSAFE = re.compile(r"[^\w.\- ()åäöÅÄÖ,+]")


def safe_name(name: str, *, limit: int = 120) -> str:
    """A file name that is safe on every file system and share, keeping Swedish letters."""
    cleaned = unicodedata.normalize("NFC", name.encode("utf-8", "replace").decode("utf-8"))
    cleaned = _UNSAFE.sub("_", cleaned).strip(" .") or "fil"
    if len(cleaned) > limit:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (stem[: limit - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 10 \
            else cleaned[:limit]
    return cleaned


def name_bytes(name: str) -> bytes:
    """The bytes a file-system name stands for: Python keeps bytes that are not UTF-8 (an old
    share's Latin-1 "å") as lone surrogates, which cannot be written out as UTF-8 text."""
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (read back from JSON)
        return name.encode("utf-8", "surrogatepass")


def readable_name(name: str) -> str:
    """A name (or text holding one) safe to show and to encode: bytes that are not UTF-8
    become U+FFFD (the replacement character); keep name_bytes for the record."""
    return name_bytes(name).decode("utf-8", "replace")


def display_name(name: str) -> str:
    """A name safe to print: undecodable bytes and control characters shown as "?"."""
    text = name.encode("utf-8", "replace").decode("utf-8")
    return "".join("?" if unicodedata.category(ch) == "Cc" else ch for ch in text)


def odd_name_problem(name: str) -> str | None:
    """Swedish reason when a file name cannot be kept as it is, else None.

    Control characters, bytes that are not UTF-8 (shown by Python as lone surrogates) and
    names longer than 255 bytes break shares, logs and the registrar's tools.
    """
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return "filnamnet innehåller tecken som inte är giltig UTF-8"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "filnamnet innehåller styrtecken (till exempel radbrytning eller tabb)"
    if len(encoded) > 255:
        return "filnamnet är längre än 255 byte"
    if name != name.strip():
        return "filnamnet börjar eller slutar med blanksteg"
    return None
