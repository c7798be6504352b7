"""Folders the wheel ships as package data, as real paths, found with importlib.resources.

Never relative to a checkout: an installed wheel has its data inside the `samverkan.*`
packages wherever pip put them. Callers that can work on `importlib.resources.files()`
directly (read a file, list a folder) should; this is for code that needs a real folder
(docxtpl, python-docx, Jinja's FileSystemLoader, Starlette's StaticFiles).
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

_KEPT = ExitStack()  # a folder extracted from a zip stays until the process ends
atexit.register(_KEPT.close)


# Unbounded on purpose: called with a few fixed (package, folder) names from the code.
@cache
def package_folder(package: str, *parts: str) -> Path:
    """The folder `parts` inside `package` ("samverkan.web", "static") as a real path."""
    resource = files(package)
    for part in parts:
        resource = resource / part
    if not resource.is_dir():
        raise FileNotFoundError(f"{package}: {'/'.join(parts) or '.'} saknas i installationen")
    return _KEPT.enter_context(as_file(resource))
