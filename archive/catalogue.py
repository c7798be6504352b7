"""The current state of the archive: a projection of the audit log, rebuilt by replaying it.

Nothing here is stored on its own; corrections are events, and the state a reader sees is
what replaying every event in order gives. That keeps the store crash-safe without a second
database to keep in step (see docs/archive.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class VersionState:
    """One archived original as the events describe it now."""

    sha256: str
    agreement_id: str
    version: int
    label: str
    filename: str
    media_type: str
    filed_at: str
    filed_by: str
    dnr: str | None = None
    dates: dict[str, str | None] = field(default_factory=dict)
    match: dict[str, Any] = field(default_factory=dict)
    key: dict[str, Any] = field(default_factory=dict)
    size: int = 0
    method: str | None = None
    signatures: list[dict[str, Any]] = field(default_factory=list)
    ocr_sha256: str | None = None
    active_content: list[str] = field(default_factory=list)  # archive.active_content kinds


@dataclass
class Catalogue:
    """Agreements, versions, pending OCR and quarantine entries after the events seen so far."""

    versions: dict[str, VersionState] = field(default_factory=dict)  # by sha256
    agreements: dict[str, dict[int, str]] = field(default_factory=dict)  # id → version → sha
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha → "received" entry
    quarantine: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → entry
    ocr_failed: dict[str, str] = field(default_factory=dict)  # sha → reason
    sources: dict[str, str] = field(default_factory=dict)  # claim id → sha (completed claims)
    discarded: set[str] = field(default_factory=set)  # quarantine names given up on
    released: set[str] = field(default_factory=set)  # quarantine names filed after a retry
    entries: int = 0

    def apply(self, entry: dict[str, Any]) -> set[str]:
        """Apply one audit entry; return the agreement ids whose state it changed."""
        self.entries += 1
        handler = getattr(self, f"_on_{entry.get('event')}", None)
        changed = handler(entry) if handler else set()
        claim = entry.get("claim")
        if claim:
            self.sources[claim] = entry.get("sha256") or ""

        return changed or set()

    def knows(self, sha256: str) -> bool:
        return sha256 in self.versions or sha256 in self.pending

    def versions_of(self, agreement_id: str) -> list[VersionState]:
        numbers = self.agreements.get(agreement_id, {})
        return [self.versions[numbers[number]] for number in sorted(numbers)]

    def find(self, agreement_id: str, version: int) -> VersionState | None:
        sha = self.agreements.get(agreement_id, {}).get(version)
        return self.versions.get(sha) if sha else None

    # -- event handlers ----------------------------------------------------------------------

    def _on_received(self, entry: dict[str, Any]) -> set[str]:
        self.pending[entry["sha256"]] = entry
        return set()

    def _on_filed(self, entry: dict[str, Any]) -> set[str]:
        sha = entry["sha256"]
        self.pending.pop(sha, None)
        state = VersionState(
            sha256=sha, agreement_id=entry["agreement_id"], version=int(entry["version"]),
            label=entry.get("label") or "okänd", filename=entry.get("filename") or "",
            media_type=entry.get("media_type") or "", filed_at=entry["time"],
            filed_by=entry.get("actor") or "", dnr=entry.get("dnr"),
            dates=dict(entry.get("dates") or {}), match=dict(entry.get("match") or {}),
            key=dict(entry.get("key") or {}), size=int(entry.get("size") or 0),
            method=entry.get("method"), signatures=list(entry.get("signatures") or []),
            ocr_sha256=entry.get("ocr_sha256"),
            active_content=list(entry.get("active_content") or []),
        )
        self.versions[sha] = state
        self.agreements.setdefault(state.agreement_id, {})[state.version] = sha
        return {state.agreement_id}

    def _on_ocr_failed(self, entry: dict[str, Any]) -> set[str]:
        self.ocr_failed[entry["sha256"]] = entry.get("reason") or ""
        return set()

    def _on_corrected(self, entry: dict[str, Any]) -> set[str]:
        state = self.versions.get(entry["sha256"])
        if state is None:
            return set()
        changes = entry.get("changes") or {}
        changed = {state.agreement_id}
        if "label" in changes:
            state.label = changes["label"]
        if "dnr" in changes:
            state.dnr = changes["dnr"]
        if "upprättad" in changes:
            state.dates["upprättad"] = changes["upprättad"]
        target = entry.get("new_agreement_id")
        if target and target != state.agreement_id:
            numbers = self.agreements.get(state.agreement_id, {})
            numbers.pop(state.version, None)
            if not numbers:
                self.agreements.pop(state.agreement_id, None)
            state.agreement_id = target
            state.version = int(entry["new_version"])
            self.agreements.setdefault(target, {})[state.version] = state.sha256
            changed.add(target)
        return changed

    def _on_quarantined(self, entry: dict[str, Any]) -> set[str]:
        self.quarantine[entry["name"]] = entry
        self.released.discard(entry["name"])
        return set()

    def _on_discarded(self, entry: dict[str, Any]) -> set[str]:
        self.quarantine.pop(entry["name"], None)
        self.discarded.add(entry["name"])
        return set()

    def _on_released(self, entry: dict[str, Any]) -> set[str]:
        """A quarantined item was filed after a retry and left the quarantine."""
        self.quarantine.pop(entry["name"], None)
        self.released.add(entry["name"])
        return set()
