"""The draft form: what the drafter typed survives an error, and counts on the next submit."""

from __future__ import annotations

import re

from samverkan.web import drafting
from tests.web.test_web_units import MARK_YAML


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def visible(html: str, name: str) -> str:
    found = re.search(rf'id="{name}" name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_typing_survives_an_error_and_is_applied_after_the_fix(client_for) -> None:
    client, csrf = client_for("sam")
    shown = drafting.form_values(drafting.validate(drafting.parse_yaml_text(MARK_YAML)))
    form = {"csrf_token": csrf, "yaml": MARK_YAML, "action": "preview",
            **{f"orig_{k}": v for k, v in shown.items()}, **shown,
            "municipalities": "Mark, Borås", "period_start": "2025-02-30"}
    failed = client.post("/utkast", data=form)
    assert failed.status_code == 422
    assert "Gäller från:" in failed.text  # the form's label, not period.start
    assert visible(failed.text, "municipalities") == "Mark, Borås"
    assert visible(failed.text, "period_start") == "2025-02-30"
    again = {**form, "period_start": "2025",
             **{f"orig_{k}": hidden(failed.text, f"orig_{k}") for k in shown}}
    fixed = client.post("/utkast", data=again)
    assert fixed.status_code == 200, fixed.text
    assert "- Borås" in fixed.text and "Borås kommun" in fixed.text


def test_blank_draft_is_blank(client_for) -> None:
    client, _ = client_for("sam")
    page = client.get("/utkast").text
    assert visible(page, "municipalities") == "" and "Marks kommun" not in page
    assert 'role="alert"' not in page
