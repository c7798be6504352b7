"""The edge where settings are read: `--home`, SAMVERKAN_HOME and the tuning variables.

Everything below the shell receives the resulting `Home` (samverkan.archive.home) and reads
no environment of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from samverkan.archive.home import MEBIBYTE, Home


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def settings_for(home: str | Path | None = None) -> Home:
    """The HOME chosen by argument, SAMVERKAN_HOME or ./var, tuned by the environment."""
    chosen = home or os.environ.get("SAMVERKAN_HOME") or "var"
    default = Home(home=Path())
    return Home(
        home=Path(chosen).expanduser().resolve(),
        quiet_seconds=_env_float("SAMVERKAN_QUIET_SECONDS", default.quiet_seconds),
        max_file_bytes=_env_int("SAMVERKAN_MAX_FILE_MB", default.max_file_bytes // MEBIBYTE)
        * MEBIBYTE,
        rescan_seconds=_env_float("SAMVERKAN_RESCAN_SECONDS", default.rescan_seconds),
        soffice=os.environ.get("SAMVERKAN_SOFFICE", default.soffice),
        polling=os.environ.get("SAMVERKAN_POLLING", "") not in ("", "0"),
        intake_workers=_env_int("SAMVERKAN_INTAKE_WORKERS", 0) or None,
        templates=Path(templates).expanduser().resolve()
        if (templates := os.environ.get("SAMVERKAN_TEMPLATES")) else None,
        uno_python=os.environ.get("SAMVERKAN_UNO_PYTHON") or None,
    )
