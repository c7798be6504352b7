"""Every document version the project drafted, kept so its numbers and content are known.

The version stamped in a document (footer and QR code) must be the version it gets in the
archive, and a draft never overwrites one written before. So each rendering takes a number
here: the same content drafted again (same model, same final/draft) keeps its number, any
change takes the next number after everything this register and the archive already hold.
The model is kept beside the number, so that when the signed copy comes back the archive can
file it with every section the project wrote, not only what a reader recovers from a scan.

Files: <root>/<agreement id>/v<N>.json, written once (exclusive create), never changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docgen.model import Agreement

_IGNORED = {"version", "provenance"}


def content_key(agreement: Agreement, final: bool) -> str:
    """What makes two renderings the same document: the model (without its version)."""
    data = agreement.model_dump(mode="json", exclude=_IGNORED)
    data["final"] = final
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DraftRegister:
    """The drafted versions under `root` (one folder per agreement id)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _folder(self, agreement_id: str) -> Path:
        if not agreement_id or "/" in agreement_id or agreement_id.startswith("."):
            raise ValueError(f"ogiltigt id för en överenskommelse: {agreement_id!r}")
        return self.root / agreement_id

    def entries(self, agreement_id: str) -> dict[int, dict[str, Any]]:
        """version -> stored entry (final, key, created, agreement) for one agreement."""
        folder = self._folder(agreement_id)
        found: dict[int, dict[str, Any]] = {}
        if not folder.is_dir():
            return found
        for path in folder.glob("v*.json"):
            number = path.stem[1:]
            if not number.isdigit():
                continue
            try:
                found[int(number)] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found[int(number)] = {}  # unreadable: its number stays taken, nothing else
        return found

    def taken(self, agreement_id: str) -> set[int]:
        folder = self._folder(agreement_id)
        if not folder.is_dir():
            return set()
        return {int(p.stem[1:]) for p in folder.glob("v*.json") if p.stem[1:].isdigit()}

    def assign(self, agreement: Agreement, *, final: bool,
               archived: Collection[int] = ()) -> Agreement:
        """The agreement with the version it will carry, recorded here.

        `archived` are the versions the archive already holds for this id.
        """
        agreement_id = agreement.agreement_id
        key = content_key(agreement, final)
        for version, entry in sorted(self.entries(agreement_id).items()):
            if entry.get("key") == key and version not in archived:
                return agreement.model_copy(update={"version": version})
        folder = self._folder(agreement_id)
        folder.mkdir(parents=True, exist_ok=True)
        version = max({*self.taken(agreement_id), *archived}, default=0) + 1
        while True:
            numbered = agreement.model_copy(update={"version": version})
            entry = {"final": final, "key": key,
                     "created": datetime.now(UTC).isoformat(timespec="seconds"),
                     "agreement": numbered.model_dump(mode="json", exclude={"provenance"})}
            try:
                with open(folder / f"v{version}.json", "x", encoding="utf-8") as stream:
                    json.dump(entry, stream, ensure_ascii=False, indent=1)
                    stream.flush()
                    os.fsync(stream.fileno())
            except FileExistsError:  # another drafter took this number a moment ago
                version += 1
                continue
            return numbered

    def model(self, agreement_id: str, version: int) -> Agreement | None:
        """The model drafted as `agreement_id` version `version`, if this register made it."""
        try:
            entry = self.entries(agreement_id).get(version) or {}
        except ValueError:
            return None
        data = entry.get("agreement")
        if not isinstance(data, dict):
            return None
        try:
            return Agreement.model_validate(data)
        except ValueError:
            return None

    def is_final(self, agreement_id: str, version: int) -> bool | None:
        entry = self.entries(agreement_id).get(version)
        return None if entry is None else bool(entry.get("final"))
