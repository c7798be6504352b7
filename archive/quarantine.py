"""The quarantine: refused items kept whole, each in its own folder with the reason beside it.

HOME/quarantine/<name>/ holds the item (under a safe version of its name), reason.json
(what, why in Swedish, when, checksum) and orsak.txt (the same for a person browsing the
share). Nothing is deleted: discarding moves the folder to HOME/discarded/.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from samverkan.archive.fsutil import (
    atomic_write,
    atomic_write_json,
    display_name,
    fsync_dir,
    name_bytes,
    read_json,
    readable_name,
    safe_name,
)

REASON_FILE = "reason.json"
NOTE_FILE = "orsak.txt"


@dataclass(frozen=True)
class QuarantineEntry:
    name: str
    filename: str
    reason: str
    kind: str
    when: str
    sha256: str | None
    path: Path
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Safe to show and to encode as UTF-8 (a name that is not UTF-8 reads with U+FFFD);
        `filename_hex` keeps the name's bytes exactly. `name` is the entry's safe id."""
        return {"name": self.name, "filename": readable_name(self.filename),
                "filename_hex": name_bytes(self.filename).hex(),
                "reason": readable_name(self.reason), "kind": self.kind, "when": self.when,
                "sha256": self.sha256, "path": readable_name(str(self.path)),
                "source": readable_name(self.source) if self.source is not None else None}


def new_name(filename: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}-{safe_name(filename, limit=60)}"


def write_reason(folder: Path, info: dict[str, Any]) -> None:
    """reason.json and orsak.txt (atomic), before the item is moved in."""
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_json(folder / REASON_FILE, info)
    lines = [
        f"Fil: {display_name(str(info.get('what')))}",
        f"Orsak: {info.get('why')}",
        f"Tidpunkt (UTC): {info.get('when')}",
        f"SHA-256: {info.get('sha256') or '–'}",
        f"Ursprung: {display_name(str(info.get('source') or '–'))}",
        "",
        "Filen ligger kvar här oförändrad. Åtgärda orsaken och kör "
        f"`samverkan quarantine retry {folder.name}`, eller kassera den med "
        f"`samverkan quarantine discard {folder.name}`.",
    ]
    atomic_write(folder / NOTE_FILE, ("\n".join(lines) + "\n").encode("utf-8"))
    fsync_dir(folder.parent)


def move_in(item: Path, folder: Path, *, keep_source: bool) -> Path:
    """Move (or copy, for files the user filed from elsewhere) the item into its folder."""
    target = folder / safe_name(item.name)
    if target.name in (REASON_FILE, NOTE_FILE):
        target = folder / f"_{target.name}"
    if keep_source:
        _copy(item, target)
    else:
        try:
            os.rename(item, target)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            _copy(item, target)
            _remove(item)
    fsync_dir(folder)
    return target


def _copy(item: Path, target: Path) -> None:
    if item.is_dir() and not item.is_symlink():
        shutil.copytree(item, target, symlinks=True)
    elif item.is_symlink():
        os.symlink(os.readlink(item), target)
    else:
        shutil.copy2(item, target)
        with open(target, "rb") as copied:
            os.fsync(copied.fileno())


def _remove(item: Path) -> None:
    if item.is_dir() and not item.is_symlink():
        shutil.rmtree(item)
    else:
        item.unlink()


def item_in(folder: Path) -> Path | None:
    """The quarantined item inside an entry folder, if it is there."""
    if not folder.is_dir():
        return None
    for child in folder.iterdir():
        if child.name not in (REASON_FILE, NOTE_FILE) and not child.name.startswith(".tmp-"):
            return child
    return None


def read_entry(folder: Path) -> dict[str, Any] | None:
    try:
        return read_json(folder / REASON_FILE)
    except (OSError, ValueError):
        return None
