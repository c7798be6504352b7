"""Whoosh full-text index of passages and the search over it (archive → index → search).

Other parts call: `index.Indexer(settings)` (replace_agreement, remove_agreement, rebuild),
`index.search.search(settings, query, Filters(...))`, `index.similar.similar(settings, text)`,
`index.consistency.check(settings, archive)`, `index.archive_link` (rebuild from an Archive,
catch up, repair) and `index.archive_plugin.IndexFollower` (follow an Archive's changes; the
shell registers it through samverkan.opening). See docs/search.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Filters", "Indexer", "SearchError"]


def __getattr__(name: str) -> Any:  # imported on first use: whoosh and numpy are not light
    if name == "Indexer":
        from samverkan.index.indexer import Indexer

        return Indexer
    if name == "Filters":
        from samverkan.index.search import Filters

        return Filters
    if name == "SearchError":
        from samverkan.index.errors import SearchError

        return SearchError
    raise AttributeError(name)
