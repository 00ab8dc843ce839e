"""wikipedia_search against a stand-in MediaWiki Action API on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ToolError
from app.settings import Settings
from app.tools import wikipedia
from app.tools.registry import ToolContext, tool_from_function

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"
JSON = "application/json; charset=utf-8"
BASE = {"action": "query", "format": "json", "formatversion": "2"}
EXTRACTS = {
    **BASE,
    "prop": "extracts|pageprops|info",
    "exintro": "1",
    "explaintext": "1",
    "exlimit": "max",
    "ppprop": "disambiguation",
    "inprop": "url",
}


from tests.http_fixtures import FAST, httpserver_listen_address  # noqa: F401, E402 (fixtures)


@pytest.fixture(autouse=True)
def local_api(httpserver, monkeypatch):
    monkeypatch.setenv(wikipedia.API_URL_ENV, httpserver.url_for("/{lang}/w/api.php"))


def context_for(tmp_path, **settings) -> ToolContext:
    return ToolContext(workspace=tmp_path, settings=Settings(settings), http=FAST)


def answer(httpserver, path: str, query: dict[str, str], fixture: str, **kwargs) -> None:
    body = (FIXTURES / fixture).read_text(encoding="utf-8")
    httpserver.expect_request(path, query_string=query).respond_with_data(
        body, content_type=JSON, **kwargs
    )


def search_params(query: str, limit: int) -> dict[str, str]:
    return {**BASE, "list": "search", "srsearch": query, "srlimit": str(limit)}


def test_articles_come_in_search_order_with_url_and_intro(httpserver, tmp_path):
    answer(httpserver, "/en/w/api.php", search_params("python programming language", 3),
           "wikipedia_search.json")
    answer(httpserver, "/en/w/api.php", {**EXTRACTS, "pageids": "23862|26227016|12576"},
           "wikipedia_extracts.json")

    text = wikipedia.wikipedia_search("python programming language", context=context_for(tmp_path))

    entries = text.split("\n\n")
    assert [entry.splitlines()[0] for entry in entries] == [
        "1. Python (programming language)",
        "2. History of Python",
        "3. Guido van Rossum",
    ]
    assert entries[0].splitlines()[1] == (
        "   https://en.wikipedia.org/wiki/Python_(programming_language)"
    )
    intro = entries[0].splitlines()[2].strip()
    assert intro.startswith("Python is a high-level, general-purpose programming language.")
    assert intro.endswith("…") and len(intro) <= wikipedia.EXTRACT_CHARS  # trimmed
    assert entries[2].splitlines()[2] == (
        "   Guido van Rossum (born 31 January 1956) is a Dutch programmer. "
        "He is the creator of the Python programming language."
    )


def test_language_setting_picks_the_wiki(httpserver, tmp_path):
    answer(httpserver, "/de/w/api.php", search_params("python programming language", 1),
           "wikipedia_search.json")
    answer(httpserver, "/de/w/api.php", {**EXTRACTS, "pageids": "23862"},
           "wikipedia_extracts.json")

    text = wikipedia.wikipedia_search(
        "python programming language", top_k=1,
        context=context_for(tmp_path, **{"wikipedia.language": "de"}),
    )

    assert text.startswith("1. Python (programming language)")
    assert "History of Python" not in text


def test_no_match_is_evidence_with_the_suggestion(httpserver, tmp_path):
    answer(httpserver, "/en/w/api.php", search_params("pythn programing", 3),
           "wikipedia_search_empty.json")

    text = wikipedia.wikipedia_search("pythn programing", context=context_for(tmp_path))

    assert text == (
        "no Wikipedia article matches 'pythn programing' (en.wikipedia.org); "
        "did you mean 'python programming'?"
    )


def test_disambiguation_page_is_flagged_with_its_meanings(httpserver, tmp_path):
    answer(httpserver, "/en/w/api.php", search_params("mercury", 2),
           "wikipedia_mercury_search.json")
    answer(httpserver, "/en/w/api.php", {**EXTRACTS, "pageids": "19694|19001"},
           "wikipedia_mercury_extracts.json")

    text = wikipedia.wikipedia_search("mercury", top_k=2, context=context_for(tmp_path))

    first, second = text.split("\n\n")
    assert first.splitlines() == [
        "1. Mercury — a disambiguation page, not an article; it may mean:",
        "   https://en.wikipedia.org/wiki/Mercury",
        "   - Mercury (planet), the planet closest to the Sun",
        "   - Mercury (element), a metallic chemical element with the symbol Hg",
        "   - Mercury (mythology), a Roman god",
    ]
    assert second.startswith("2. Mercury (planet)\n")
    assert "disambiguation" not in second


def test_maxlag_error_object_says_to_wait(httpserver, tmp_path):
    answer(httpserver, "/en/w/api.php", search_params("python", 3), "wikipedia_error_maxlag.json",
           headers={"Retry-After": "5", "MediaWiki-API-Error": "maxlag"})

    with pytest.raises(ToolError) as caught:
        wikipedia.wikipedia_search("python", context=context_for(tmp_path))

    assert str(caught.value) == "Wikipedia's servers are lagging (maxlag); try again in 5 s"


def test_ratelimited_error_object(httpserver, tmp_path):
    httpserver.expect_request("/en/w/api.php").respond_with_json({
        "error": {"code": "ratelimited",
                  "info": "You've exceeded your rate limit. Please wait some time and try again."},
        "servedby": "mw1400",
    })

    with pytest.raises(ToolError, match=r"rate limited by Wikipedia \(ratelimited\); try again"):
        wikipedia.wikipedia_search("python", context=context_for(tmp_path))


def test_other_error_object_is_quoted(httpserver, tmp_path):
    answer(httpserver, "/en/w/api.php", search_params("python", 3), "wikipedia_error_badvalue.json")

    with pytest.raises(ToolError) as caught:
        wikipedia.wikipedia_search("python", context=context_for(tmp_path))

    assert str(caught.value) == (
        'Wikipedia refused the query (badvalue: Unrecognized value for parameter "list": serch.)'
    )


def test_service_unavailable_is_retried_then_explained(httpserver, tmp_path):
    httpserver.expect_request("/en/w/api.php").respond_with_data(
        "<html>Wikimedia Error</html>", status=503, content_type="text/html"
    )

    with pytest.raises(ToolError) as caught:
        wikipedia.wikipedia_search("python", context=context_for(tmp_path))

    assert str(caught.value) == "Wikipedia answered 503 (service unavailable); try again later"
    assert len(httpserver.log) == 3


def test_html_instead_of_json_is_reported(httpserver, tmp_path):
    httpserver.expect_request("/en/w/api.php").respond_with_data(
        "<!DOCTYPE html><title>Captive portal</title>", content_type="text/html"
    )

    with pytest.raises(ToolError, match="Wikipedia sent a reply that is not valid JSON"):
        wikipedia.wikipedia_search("python", context=context_for(tmp_path))


def test_a_language_that_is_not_a_code_is_refused_before_any_request(httpserver, tmp_path):
    context = context_for(tmp_path, **{"wikipedia.language": "en.evil.example/x"})

    with pytest.raises(ToolError, match="is not a Wikipedia language code"):
        wikipedia.wikipedia_search("python", context=context)

    assert httpserver.log == []


def test_article_url_is_derived_when_the_api_gives_none():
    url = wikipedia._article_url("https://en.wikipedia.org/w/api.php", "C (programming language)")
    assert url == "https://en.wikipedia.org/wiki/C_(programming_language)"


def test_schema(tmp_path):
    tool = tool_from_function(wikipedia.wikipedia_search)

    assert set(tool.parameters["properties"]) == {"query", "top_k"}
    assert tool.parameters["properties"]["top_k"]["default"] == 3
    assert tool.context_parameter == "context"
