"""Errors the search part raises; every message is Swedish and meant for the user."""

from __future__ import annotations


class SearchError(ValueError):
    """A search that cannot be carried out, with a message that says why and what to do."""


class QuerySyntaxError(SearchError):
    """A query that cannot be understood (empty, a dangling NEAR, …)."""


class IndexUnavailable(SearchError):
    """The index is missing, unreadable or of an older format; `samverkan reindex` repairs it."""


class IndexBusy(SearchError):
    """Another writer held the index lock for longer than we were prepared to wait."""
