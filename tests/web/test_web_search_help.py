"""Search help: what a loosely written query was repaired to is said next to the results, and
every example in the help finds something in the example data `make run` files."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from samverkan.archive.home import Home
from samverkan.index.query import And, Word, parse_query
from samverkan.users import UserStore
from samverkan.web.app import create_app
from samverkan.web.backend import Backend
from tests.web.conftest import PASSWORD, login

_EXAMPLE = re.compile(r'<a class="example" href="([^"]+)">')


def help_examples(page: str) -> list[str]:
    """The queries the search help offers as examples (each is a link that runs it)."""
    start = page.index('id="sokhjalp"')
    section = page[start:page.index("</details>", start)]
    links = [unescape(href) for href in _EXAMPLE.findall(section)]
    return [parse_qs(urlsplit(link).query)["q"][0] for link in links]


def hits_heading(page: str) -> str:
    found = re.search(r'<h2 id="traffrubrik"[^>]*>(.*?)</h2>', page, re.S)
    assert found, "no result heading"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_repairs_are_reported() -> None:
    quote = parse_query('"förbinder sig att')
    assert quote.node == And((Word("förbinder"), Word("sig"), Word("att")))
    assert len(quote.repairs) == 1 and quote.repairs[0].startswith("Citattecknet stängs aldrig")
    parenthesis = parse_query("(trygghet skola")
    assert parenthesis.node == And((Word("trygghet"), Word("skola")))
    assert parenthesis.repairs[0].startswith("Parentesen stängs aldrig")
    assert parse_query("trygghet) skola").repairs[0].startswith("En slutparentes")
    assert "«OR»" in parse_query("trygghet OR").repairs[0]
    assert "«NOT»" in parse_query("skola NOT").repairs[0]
    for fine in ('"förbinder sig att"', "skola AND (drog OR narkotika)", "trygghet -alkohol",
                 "NEAR(trygghet skola, 3)", "trygghet NEAR/5 skola"):
        assert parse_query(fine).repairs == (), fine


def test_hint_next_to_the_results(client_for) -> None:
    client, _ = client_for("las")
    page = client.get("/sok", params={"q": '"förbinder sig'}).text
    results = page[page.index('id="traffrubrik"'):]
    assert "Citattecknet stängs aldrig – sökte på orden var för sig" in results
    assert "Parentesen stängs aldrig" in client.get("/sok", params={"q": "(trygghet skola"}).text
    clean = client.get("/sok", params={"q": "trygghet"}).text
    assert 'class="hint"' not in clean
    api = client.get("/api/search", params={"q": "(trygghet skola"}).json()
    assert api["notes"] and api["notes"][0].startswith("Parentesen stängs aldrig")
    assert client.get("/api/search", params={"q": "trygghet"}).json()["notes"] == []


def test_counts_are_worded(client_for) -> None:
    client, _ = client_for("las")
    one = client.get("/sok", params={"q": '"Samordna två trygghetsvandringar"', "samla": "1"}).text
    assert hits_heading(one).startswith("1 träff för"), hits_heading(one)
    none = client.get("/sok", params={"q": "ordsomintefinns"}).text
    assert hits_heading(none).startswith("0 träffar för")


def test_near_finds_inflections_and_compounds(client_for) -> None:
    """`trygghet` finds trygghetsvandringar outside NEAR, so it does inside NEAR too."""
    client, _ = client_for("las")
    plain = client.get("/api/search", params={"q": "trygghetsvandringar NEAR/3 samordna"}).json()
    loose = client.get("/api/search", params={"q": "trygghet NEAR/3 samordna"}).json()
    assert plain["total"] >= 1
    assert {h["passage_id"] for h in plain["hits"]} <= {h["passage_id"] for h in loose["hits"]}
    marked = " ".join(h["html"] for h in loose["hits"])
    assert re.search(r"<mark>[Tt]rygghetsvandring\w*</mark>", marked), marked


@pytest.fixture(scope="module")
def example_client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The data `make run` serves: examples/*.yaml drafted and filed, and the seeds."""
    from samverkan import demo

    home = tmp_path_factory.mktemp("examplehome")
    settings = Home(home=Path(home))
    backend = Backend(settings)
    backend.attach_index()
    report = demo.prepare(backend, echo=lambda _: None)
    assert not report.problems, report.problems
    assert len(report.filed) >= len(list((demo.REPO / "examples").glob("*.yaml")))
    backend.close()  # the index writes the batch of filings before anything searches
    UserStore(settings.home).add("lasare", "läsare", PASSWORD)
    app = create_app(settings, backend)
    with TestClient(app, raise_server_exceptions=False) as client:
        login(client, "lasare")
        yield client
    app.state.jobs.close()
    backend.close()


@pytest.mark.slow
def test_every_help_example_finds_something(example_client) -> None:
    page = example_client.get("/sok").text
    examples = help_examples(page)
    assert len(examples) >= 6 and "trygghet NEAR/5 skola" in examples
    for query in examples:
        answer = example_client.get("/sok", params={"q": query})
        assert answer.status_code == 200, query
        heading = hits_heading(answer.text)
        assert not heading.startswith("0 "), (query, heading)
        assert 'role="alert"' not in answer.text, query
        assert 'class="hint"' not in answer.text, query  # the examples are written correctly
