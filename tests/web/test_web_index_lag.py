"""The footer says how far behind the archive the search index is, and only when it is."""

from __future__ import annotations

import pytest

from tests.web.conftest import WebEnv


def test_the_footer_names_agreements_waiting_for_the_index(
        web_env: WebEnv, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    client, _ = client_for("las")
    assert web_env.backend.index_lag() == 0  # the fixture's filings are indexed
    assert "Sökindexet:" not in client.get("/sok").text

    monkeypatch.setattr(web_env.backend, "index_lag", lambda: 3)
    assert "Sökindexet: 3 överenskommelser väntar på att indexeras." in client.get("/sok").text
    monkeypatch.setattr(web_env.backend, "index_lag", lambda: 1)
    assert "Sökindexet: 1 överenskommelse väntar på att indexeras." in client.get("/").text
