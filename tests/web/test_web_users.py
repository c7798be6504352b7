"""Local accounts: hashing, roles, tokens stored only as digests, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from samverkan.users import UserError, UserStore


def test_password_is_hashed_and_checked(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("anna", "registrator", "hemligt-lösen")
    raw = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "hemligt-lösen" not in raw
    assert json.loads(raw)["users"]["anna"]["password_hash"].startswith("$argon2")
    assert store.authenticate("anna", "hemligt-lösen").name == "anna"
    assert store.authenticate("anna", "fel-lösenord") is None
    assert store.authenticate("okänd", "hemligt-lösen") is None
    assert (tmp_path / "users.json").stat().st_mode & 0o777 == 0o600


def test_roles_and_permissions(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    reader = store.add("las", "läsare", "lösenord1")
    drafter = store.add("sam", "samordnare", "lösenord1")
    registrar = store.add("reg", "registrator", "lösenord1")
    admin = store.add("adm", "läsare", "lösenord1", admin=True)
    assert reader.can("read") and not reader.can("draft") and not reader.can("file")
    assert drafter.can("draft") and not drafter.can("file")
    assert registrar.can("file") and not registrar.can("draft")
    assert admin.can("file") and admin.can("draft") and admin.can("admin")


def test_bad_accounts_are_refused_in_swedish(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    with pytest.raises(UserError, match="Okänd roll"):
        store.add("anna", "chef", "lösenord1")
    with pytest.raises(UserError, match="minst 8 tecken"):
        store.add("anna", "läsare", "kort")
    with pytest.raises(UserError, match="Ogiltigt användarnamn"):
        store.add("../etc", "läsare", "lösenord1")
    store.add("anna", "läsare", "lösenord1")
    with pytest.raises(UserError, match="finns redan"):
        store.add("anna", "läsare", "lösenord1")


def test_tokens_are_stored_as_digests(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("diarium", "registrator", "lösenord1")
    token = store.new_token("diarium", "W3D3")
    assert token not in (tmp_path / "users.json").read_text(encoding="utf-8")
    assert store.by_token(token).name == "diarium"
    assert store.by_token(token + "x") is None
    assert store.by_token("") is None
    assert store.revoke_tokens("diarium") == 1
    assert store.by_token(token) is None


def test_user_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    home = str(tmp_path / "home")
    added = runner.invoke(cli, ["--home", home, "user", "add", "reg", "--role", "registrator",
                                "--password-stdin"], input="lösenord-123\n")
    assert added.exit_code == 0, added.output
    assert "Registrator" in added.output
    token = runner.invoke(cli, ["--home", home, "user", "token", "reg"])
    assert token.exit_code == 0
    value = token.stdout.strip().splitlines()[0]
    assert UserStore(Path(home)).by_token(value).name == "reg"
    listed = runner.invoke(cli, ["--home", home, "user", "list", "--json"])
    assert json.loads(listed.output)[0] == {"name": "reg", "role": "registrator", "admin": False,
                                            "permissions": ["file", "read"], "tokens": 1}
    bad = runner.invoke(cli, ["--home", home, "user", "add", "x", "--role", "chef",
                              "--password-stdin"], input="lösenord-123\n")
    assert bad.exit_code != 0
    missing = runner.invoke(cli, ["--home", home, "user", "token", "ingen"])
    assert missing.exit_code != 0 and "finns inte" in missing.output
