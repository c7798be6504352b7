"""Does the index still describe the archive? Drift is reported in Swedish; reindex repairs it.

fsck asks it through the index's follower (index.archive_plugin.IndexFollower.fsck_problems)
and `samverkan reindex --check` directly: `check(settings, archive)` compares the manifest committed with
the index (one document per indexed version: agreement id, version, sha256, latest flag)
with the archive's versions (index.archive_link.archived_versions: read from the archive's
catalogue, no texts loaded), after making sure the index opens and reads at all.
"""

from __future__ import annotations

from typing import Any

from samverkan.archive.home import Home
from samverkan.index import store
from samverkan.index.archive_link import archived_versions
from samverkan.index.indexer import Indexer

REPAIR_SV = "Kör `samverkan reindex` för att bygga om sökindexet från arkivet."


def check(settings: Home, archive: Any) -> list[str]:
    """Problems found (empty when the index matches the archive exactly)."""
    problem = store.probe(settings, deep=True)
    if problem is not None:
        if not store.exists(settings) and not list(archive.agreement_ids()):
            return []  # nothing filed yet, so nothing to index
        return [problem]
    indexed = Indexer(settings).indexed_versions()
    archived = {(agreement_id, version): (sha256, latest)
                for agreement_id, versions in archived_versions(archive).items()
                for version, sha256, latest in versions}
    problems: list[str] = []
    for key in sorted(archived.keys() - indexed.keys()):
        problems.append(f"Sökindexet saknar version {key[1]} av {key[0]}, som finns i arkivet.")
    for key in sorted(indexed.keys() - archived.keys()):
        problems.append(f"Sökindexet innehåller version {key[1]} av {key[0]}, som inte finns i "
                        "arkivet.")
    for key in sorted(archived.keys() & indexed.keys()):
        (want_sha, want_latest), (have_sha, have_latest) = archived[key], indexed[key]
        if want_sha != have_sha:
            problems.append(f"Sökindexet har en annan kontrollsumma för version {key[1]} av "
                            f"{key[0]} ({have_sha[:12]}…) än arkivet ({want_sha[:12]}…).")
        elif want_latest != have_latest:
            state = "senaste" if have_latest else "äldre"
            problems.append(f"Sökindexet behandlar version {key[1]} av {key[0]} som {state} "
                            "version, men arkivet gör det inte.")
    if problems:
        problems.append(REPAIR_SV)
    return problems
