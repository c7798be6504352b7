"""Failed logins and unknown API tokens are throttled (429, Retry-After, Swedish, audited)
without letting a guesser at one address lock the real user out at another."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import limits.storage.memory
import pytest

from samverkan.web.throttle import ThrottleLimits
from tests.web.conftest import PASSWORD, csrf_of
from tests.web.swedish_text import is_english
from tests.web.test_web_sessions import Site, make_site

ATTACKER, REAL_USER = "10.0.0.66", "10.0.0.7"


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path, ThrottleLimits(pair="3 per hour", address="6 per hour",
                                                  account="10 per hour", token="3 per hour"))


def attempt(site: Site, address: str, name: str, password: str):  # type: ignore[no-untyped-def]
    client = site.client(address=address)
    form = client.get("/logga-in")
    return client.post("/logga-in", data={"name": name, "password": password,
                                          "csrf_token": csrf_of(form.text)},
                       follow_redirects=False)


def test_a_guesser_is_stopped_and_the_real_user_still_logs_in(site: Site) -> None:
    for _ in range(3):
        assert attempt(site, ATTACKER, "reg", "fel-lösenord").status_code == 401
    stopped = attempt(site, ATTACKER, "reg", "fel-lösenord")
    assert stopped.status_code == 429
    assert 1 <= int(stopped.headers["Retry-After"]) <= 3600
    assert "För många misslyckade inloggningsförsök" in stopped.text
    assert "Försök igen om 60 minuter" in stopped.text
    # Even the right password is not looked at from the locked address …
    assert attempt(site, ATTACKER, "reg", PASSWORD).status_code == 429
    # … while the real user at their own address logs in as usual.
    assert attempt(site, REAL_USER, "reg", PASSWORD).status_code == 303

    (locked,) = site.audit("login_locked")
    assert locked["actor"] == "reg" and locked["scope"] == "pair"
    assert locked["address"] == ATTACKER and locked["limit"] == "3 per 1 hour"
    (throttled,) = site.audit("login_throttled")  # the second refusal is not logged again
    assert throttled["scope"] == "pair" and throttled["retry_after"] >= 1


def test_an_address_trying_many_accounts_is_stopped(site: Site) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        assert attempt(site, ATTACKER, name, "fel-lösenord").status_code == 401
    stopped = attempt(site, ATTACKER, "adm", PASSWORD)
    assert stopped.status_code == 429 and "denna adress" in stopped.text
    assert attempt(site, REAL_USER, "adm", PASSWORD).status_code == 303
    assert {e["scope"] for e in site.audit("login_locked")} == {"address"}
    assert {e["actor"] for e in site.audit("login_locked")} == {"a6"}


def test_only_a_spread_out_attack_locks_the_account_everywhere(site: Site) -> None:
    for number in range(10):  # ten addresses, one failure each: the account's own limit
        assert attempt(site, f"10.1.0.{number}", "reg", "fel").status_code == 401
    everywhere = attempt(site, REAL_USER, "reg", PASSWORD)
    assert everywhere.status_code == 429 and "kontot." in everywhere.text
    assert attempt(site, REAL_USER, "adm", PASSWORD).status_code == 303


def test_made_up_tokens_are_throttled_per_address(site: Site) -> None:
    guesser = site.client(address=ATTACKER)
    for number in range(3):
        said = guesser.get("/api/me", headers={"Authorization": f"Bearer svk_gissning{number}"})
        assert said.status_code == 401
    stopped = guesser.get("/api/me", headers={"Authorization": "Bearer svk_gissning"})
    assert stopped.status_code == 429 and int(stopped.headers["Retry-After"]) >= 1
    error = stopped.json()["error"]
    assert error["code"] == "too_many_attempts" and not is_english(error["message"])
    token = site.store.new_token("reg", "diarium")
    other = site.client(address=REAL_USER)
    assert other.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert {e["scope"] for e in site.audit("login_locked")} == {"token"}


def test_the_lock_ends_with_its_window(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(limits.storage.memory, "time", types.SimpleNamespace(time=lambda: now[0]))
    site.app.state.throttle.clock = lambda: now[0]
    for _ in range(3):
        attempt(site, ATTACKER, "reg", "fel")
    assert attempt(site, ATTACKER, "reg", PASSWORD).status_code == 429
    now[0] += 3601
    assert attempt(site, ATTACKER, "reg", PASSWORD).status_code == 303


def test_an_ipv6_guesser_counts_by_its_64_block(site: Site) -> None:
    """A new address of the same /64 for every attempt is still the same client."""
    for number in range(3):
        assert attempt(site, f"2001:db8:1:2::{number + 1}", "reg", "fel").status_code == 401
    assert attempt(site, "2001:db8:1:2::99", "reg", "fel").status_code == 429
    assert attempt(site, "2001:db8:1:3::1", "reg", PASSWORD).status_code == 303
