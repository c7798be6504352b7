"""Typed hooks through which later stages follow the archive (pluggy, as ocrmypdf and
datasette use it).

The archive knows nothing of what follows it. The shell registers plugins (the search index,
samverkan.index.archive_plugin) on the archive it opens; the archive calls them when it is
opened for changes, after every change to an agreement, when it is closed, and when fsck
looks for drift.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

PROJECT = "samverkan"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
log = logging.getLogger(__name__)


class ArchiveHooks:
    """What a follower of the archive may implement (each hook is optional)."""

    @hookspec
    def archive_opened(self, archive: Archive) -> None:
        """The archive is open for changes: catch up with what was filed while away."""

    @hookspec
    def archive_changed(self, archive: Archive, agreement_id: str) -> None:
        """A version of `agreement_id` was filed, moved, corrected or finished OCR."""

    @hookspec
    def archive_closing(self, archive: Archive) -> None:
        """The process is done with the archive: finish what follows it (index what is
        still waiting) before the process ends."""

    @hookspec
    def fsck_problems(self, archive: Archive) -> list[str]:
        """Swedish descriptions of what is out of step with the archive ([] if nothing)."""
        raise NotImplementedError


def plugin_manager(*plugins: object) -> pluggy.PluginManager:
    """A manager that knows the archive's hooks, with `plugins` registered."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(ArchiveHooks)
    for plugin in plugins:
        manager.register(plugin)
    return manager


def register(manager: pluggy.PluginManager, plugin: object) -> bool:
    """Register a follower once, under its `name` (what fsck shows); False if one of that
    name follows already, so opening an archive twice never indexes a change twice."""
    name = str(getattr(plugin, "name", None) or type(plugin).__name__)
    if manager.has_plugin(name):
        return False
    manager.register(plugin, name=name)
    return True


def call_each(caller: pluggy.HookCaller, **kwargs: object) -> list[tuple[str, object]]:
    """Call every implementation of one hook on its own, so that one follower's failure
    neither stops the others nor undoes what the archive did; returns (plugin name, result)
    for those that answered and logs the rest."""
    answers: list[tuple[str, object]] = []
    for impl in caller.get_hookimpls():
        try:
            answers.append((impl.plugin_name,
                            impl.function(*(kwargs[name] for name in impl.argnames))))
        except Exception:
            log.exception("the archive's follower %s failed in %s", impl.plugin_name,
                          caller.name)
    return answers
