"""The example agreements (YAML) that `make run` drafts and files, shipped as package data.

`example_files()` is the one place that finds them, through importlib.resources, so an
installed wheel has them wherever pip put it, not only a checkout.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

SUFFIX = ".yaml"


def example_files() -> dict[str, Traversable]:
    """The shipped examples by name ("mark-2022-2024"), in name order.

    Read one with `.read_text(encoding="utf-8")`; `importlib.resources.as_file` gives a
    real path where one is needed.
    """
    found = [resource for resource in files(__name__).iterdir()
             if resource.is_file() and resource.name.endswith(SUFFIX)]
    return {resource.name[: -len(SUFFIX)]: resource
            for resource in sorted(found, key=lambda resource: resource.name)}
