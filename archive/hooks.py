"""Process-wide hooks: subscribers to every Archive instance, and extra fsck checks.

The search index registers here (or on one Archive with `subscribe`) to update itself when
a version is filed or changed; fsck runs every registered check and, when the module
exists, `index.consistency.check(settings, archive) -> list[str]`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

GLOBAL_SUBSCRIBERS: list[Callable[[str], None]] = []
FSCK_CHECKS: list[Callable[[Any, Any], list[str]]] = []
OPTIONAL_FSCK_MODULES = ("samverkan.index.consistency",)
# Modules with `attach(settings, archive)` that the CLI commands which change the archive
# call, so the search index follows filings made from the command line too.
OPTIONAL_FOLLOWERS = ("samverkan.index.archive_link",)


def subscribe_all(callback: Callable[[str], None]) -> Callable[[str], None]:
    """Call `callback(agreement_id)` after filings and corrections in any Archive."""
    if callback not in GLOBAL_SUBSCRIBERS:
        GLOBAL_SUBSCRIBERS.append(callback)
    return callback


def register_fsck_check(check: Callable[[Any, Any], list[str]]) -> Callable[[Any, Any], list[str]]:
    """`check(settings, archive)` returns Swedish problem descriptions ([] when consistent)."""
    if check not in FSCK_CHECKS:
        FSCK_CHECKS.append(check)
    return check


def optional_module(module_name: str) -> ModuleType | None:
    """The module, or None when it (not one of its own imports) is not installed."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise


def attach_followers(archive: Any) -> list[str]:
    """Attach every installed follower (the search index) to `archive`; return their names."""
    attached = []
    for module_name in OPTIONAL_FOLLOWERS:
        module = optional_module(module_name)
        if module is None:
            continue
        attach = getattr(module, "attach", None)
        if callable(attach):
            try:
                attach(archive.settings, archive)
            except Exception:  # a broken index must not stop filing; fsck will report it
                logging.getLogger(__name__).exception("could not attach %s", module_name)
                continue
            attached.append(module_name)
    return attached
