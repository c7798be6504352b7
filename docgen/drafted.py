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

from samverkan.docgen.model import Agreement

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
        return {version: self._entry(agreement_id, version) or {}
                for version in self.taken(agreement_id)}

    def _entry(self, agreement_id: str, version: int) -> dict[str, Any] | None:
        """One stored entry; {} when unreadable (its number stays taken), None when absent."""
        path = self._folder(agreement_id) / f"v{version}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}
        return entry if isinstance(entry, dict) else {}

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
        entries = self.entries(agreement_id)
        for version, entry in sorted(entries.items()):
            if entry.get("key") == key and version not in archived:
                return agreement.model_copy(update={"version": version})
        folder = self._folder(agreement_id)
        folder.mkdir(parents=True, exist_ok=True)
        version = max({*entries, *archived}, default=0) + 1
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

    def drafted(self, agreement_id: str, version: int) -> tuple[Agreement, bool] | None:
        """The model drafted as `agreement_id` version `version` and whether that document
        was final, if this register made it (one file read)."""
        try:
            entry = self._entry(agreement_id, version)
        except ValueError:  # not an id this register could hold
            return None
        data = (entry or {}).get("agreement")
        if not isinstance(data, dict):
            return None
        try:
            return Agreement.model_validate(data), bool((entry or {}).get("final"))
        except ValueError:
            return None
