"""The edge where settings are read: `--home`, SAMVERKAN_HOME and the tuning variables.

Everything below the shell receives the resulting `Home` (samverkan.archive.home) and reads
no environment of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from samverkan.archive.home import MEBIBYTE, Home


class SettingsError(ValueError):
    """An environment variable with a value that cannot be used (the message is Swedish)."""


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value.replace(",", ".")) if value else default
    except ValueError:
        raise SettingsError(f"{name}: «{value}» är inget tal (t.ex. 2 eller 0,5)") from None


def _env_int(name: str, default: int | None) -> int | None:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise SettingsError(f"{name}: «{value}» är inget heltal") from None


def settings_for(home: str | Path | None = None) -> Home:
    """The HOME chosen by argument, SAMVERKAN_HOME or ./var, tuned by the environment."""
    chosen = home or os.environ.get("SAMVERKAN_HOME") or "var"
    default = Home(home=Path())
    return Home(
        home=Path(chosen).expanduser().resolve(),
        quiet_seconds=_env_float("SAMVERKAN_QUIET_SECONDS", default.quiet_seconds),
        max_file_bytes=(_env_int("SAMVERKAN_MAX_FILE_MB", None)
                        or default.max_file_bytes // MEBIBYTE) * MEBIBYTE,
        rescan_seconds=_env_float("SAMVERKAN_RESCAN_SECONDS", default.rescan_seconds),
        soffice=os.environ.get("SAMVERKAN_SOFFICE", default.soffice),
        polling=os.environ.get("SAMVERKAN_POLLING", "") not in ("", "0"),
        intake_workers=_env_int("SAMVERKAN_INTAKE_WORKERS", None),  # 0 or 1: no pool
        templates=Path(templates).expanduser().resolve()
        if (templates := os.environ.get("SAMVERKAN_TEMPLATES")) else None,
        uno_python=os.environ.get("SAMVERKAN_UNO_PYTHON") or None,
    )
