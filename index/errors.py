"""Errors the search part raises; every message is Swedish and meant for the user."""

from __future__ import annotations


class SearchError(ValueError):
    """A search that cannot be carried out, with a message that says why and what to do.

    `field` names what is at fault ("query", or a Filters attribute such as "county"), so a
    caller can point at its own parameter."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class QuerySyntaxError(SearchError):
    """A query that cannot be understood (empty, a dangling NEAR, …)."""

    def __init__(self, message: str, *, field: str | None = "query") -> None:
        super().__init__(message, field=field)


class IndexUnavailable(SearchError):
    """The index is missing, unreadable or of an older format; `samverkan reindex` repairs it."""


class IndexBusy(SearchError):
    """Another writer held the index lock for longer than we were prepared to wait."""
