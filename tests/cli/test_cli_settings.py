"""Settings are read once, at the edge: what each SAMVERKAN_* variable becomes, and a value
that cannot be used stops the command with a Swedish message instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from samverkan.config import SettingsError, settings_for


def test_the_environment_becomes_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    for name, value in {"SAMVERKAN_QUIET_SECONDS": "0,5", "SAMVERKAN_MAX_FILE_MB": "3",
                        "SAMVERKAN_INTAKE_WORKERS": "0", "SAMVERKAN_POLLING": "1",
                        "SAMVERKAN_TEMPLATES": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    home = settings_for(tmp_path / "hem")
    assert (home.quiet_seconds, home.max_file_bytes) == (0.5, 3 * 1024 * 1024)
    assert home.intake_workers == 0  # no analysis pool, not "the default"
    assert home.polling and home.templates == tmp_path.resolve()
    monkeypatch.delenv("SAMVERKAN_INTAKE_WORKERS")
    assert settings_for(tmp_path).intake_workers is None


@pytest.mark.parametrize(("name", "value", "said"), [
    ("SAMVERKAN_INTAKE_WORKERS", "två", "«två» är inget heltal"),
    ("SAMVERKAN_QUIET_SECONDS", "snart", "«snart» är inget tal"),
])
def test_an_unusable_value_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    name: str, value: str, said: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=said):
        settings_for(tmp_path)
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "list"])
    assert result.exit_code == 2
    assert f"Fel: {name}: {said}" in result.output
    assert "Traceback" not in result.output
