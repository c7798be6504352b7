"""Which version of an agreement is meant: the latest, or the one a next period starts from.

Every door (listing, search index, web pages, `new-period`) asks here, so "latest" means
the same everywhere: the highest version number the archive holds for the agreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol, TypeVar

from samverkan.archive.errors import ArchiveError
from samverkan.archive.labelling import DEFAULT_LABEL as SIGNED_LABEL


class Numbered(Protocol):
    @property
    def version(self) -> int: ...


class Labelled(Numbered, Protocol):
    @property
    def label(self) -> str: ...

    @property
    def agreement_id(self) -> str: ...


class StoredVersion(NamedTuple):
    """A version as the catalogue knows it without reading its text."""

    version: int
    sha256: str


N = TypeVar("N", bound=Numbered)
L = TypeVar("L", bound=Labelled)


class NoSuchVersion(ArchiveError):
    """A version was asked for that the agreement does not have (the message is Swedish)."""


def latest_number(versions: Iterable[Numbered]) -> int | None:
    """The latest version's number, or None for an agreement without versions."""
    return max((item.version for item in versions), default=None)


def latest_of(versions: Sequence[N]) -> N | None:
    """The latest of an agreement's versions (None when there are none)."""
    return max(versions, key=lambda item: item.version, default=None)


def latest_signed(versions: Sequence[L]) -> L | None:
    """The latest version labelled signed ("undertecknad"), or None when only drafts and
    other labels are on file: what is in force is what was signed, so a draft, a revision
    or an extension filed without that label never makes an agreement in force on its own."""
    return max((item for item in versions if item.label == SIGNED_LABEL),
               key=lambda item: item.version, default=None)


def version_to_renew(versions: Sequence[L], version: int | None = None) -> L:
    """The asked-for version, else the latest signed one, else the latest.

    A next period (and a comparison against "the agreement") starts from what was signed;
    a later draft on file is work in progress, not the agreement in force.
    """
    if not versions:
        raise NoSuchVersion("Överenskommelsen har inga versioner i arkivet.")
    if version is not None:
        for item in versions:
            if item.version == version:
                return item
        known = ", ".join(f"v{item.version}" for item in sorted(versions,
                                                                 key=lambda i: i.version))
        raise NoSuchVersion(f"{versions[0].agreement_id} har ingen version {version} "
                            f"(finns: {known}).")
    signed = latest_signed(versions)
    return signed if signed is not None else max(versions, key=lambda item: item.version)
