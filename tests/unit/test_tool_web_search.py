"""web_search against stand-ins for DuckDuckGo, SearXNG and Brave Search on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug import Request, Response

from app.errors import ToolError
from app.settings import BRAVE_API_KEY, Settings
from app.tools import web_search
from app.tools.registry import ToolContext, tool_from_function

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"
HTML = "text/html; charset=UTF-8"


from tests.http_fixtures import FAST, httpserver_listen_address  # noqa: F401, E402 (fixtures)


@pytest.fixture(autouse=True)
def local_endpoints(httpserver, monkeypatch):
    monkeypatch.setenv(web_search.DDG_URL_ENV, httpserver.url_for("/html/"))
    monkeypatch.setenv(web_search.BRAVE_URL_ENV, httpserver.url_for("/res/v1/web/search"))


def context_for(tmp_path, **settings) -> ToolContext:
    return ToolContext(workspace=tmp_path, settings=Settings(settings), http=FAST)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# -- DuckDuckGo ----------------------------------------------------------------------------


def ddg_page(body: str, status: int = 200):
    def handler(request: Request) -> Response:
        if request.form.get("q") != "python programming language":
            return Response("wrong form", status=400)
        return Response(body, status=status, content_type=HTML)

    return handler


def test_duckduckgo_results_are_parsed_from_the_html_page(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_handler(
        ddg_page(fixture("ddg_results.html"))
    )

    text = web_search.web_search("python programming language", context=context_for(tmp_path))

    assert text.splitlines()[:3] == [
        "1. Welcome to Python.org",
        "   https://www.python.org/",
        "   The official home of the Python Programming Language. Python is a programming "
        "language that lets you work quickly & integrate systems more effectively.",
    ]
    assert "2. Python (programming language) - Wikipedia" in text
    assert "   https://en.wikipedia.org/wiki/Python_(programming_language)" in text
    assert "3. The Python Tutorial — Python 3 documentation" in text
    assert "   https://docs.python.org/3/tutorial/index.html" in text
    assert "Sponsored" not in text and "y.js" not in text  # the ad is dropped
    assert "duckduckgo.com/l/" not in text  # redirect links are resolved


def test_duckduckgo_honours_max_results(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_handler(
        ddg_page(fixture("ddg_results.html"))
    )

    text = web_search.web_search(
        "python programming language", max_results=2, context=context_for(tmp_path)
    )

    assert "2. Python (programming language)" in text
    assert "3." not in text


@pytest.mark.parametrize("status", [202, 200])
def test_duckduckgo_bot_check_is_a_clear_refusal(httpserver, tmp_path, status):
    httpserver.expect_request("/html/", method="POST").respond_with_handler(
        ddg_page(fixture("ddg_anomaly.html"), status=status)
    )

    with pytest.raises(ToolError) as caught:
        web_search.web_search("python programming language", context=context_for(tmp_path))

    assert str(caught.value) == (
        "DuckDuckGo refused the request (bot check); try again later or choose another provider"
    )
    assert len(httpserver.log) == 1  # a bot check is not hammered with retries


def test_duckduckgo_no_results_is_evidence_not_an_error(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_handler(
        lambda request: Response(fixture("ddg_no_results.html"), content_type=HTML)
    )

    text = web_search.web_search("qwzxvbnmplkj", context=context_for(tmp_path))

    assert text == "no web results for 'qwzxvbnmplkj' (DuckDuckGo)"


def test_duckduckgo_page_of_unknown_layout_is_not_mistaken_for_no_results(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_data(
        "<html><body><div class='new-layout'>Results moved</div></body></html>", content_type=HTML
    )

    with pytest.raises(ToolError, match="DuckDuckGo sent a page this tool cannot read"):
        web_search.web_search("anything", context=context_for(tmp_path))


def test_duckduckgo_server_error_is_explained(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_data("oops", status=500)

    with pytest.raises(ToolError, match=r"DuckDuckGo answered 500 \(internal server error\)"):
        web_search.web_search("anything", context=context_for(tmp_path))


def test_redirect_link_is_resolved():
    link = "https://duckduckgo.com/l/?uddg=https%3A%2F%2Fexample.org%2Fa%3Fb%3Dc&rut=abc"
    assert web_search.target_of(link) == "https://example.org/a?b=c"
    assert web_search.target_of("https://example.org/") == "https://example.org/"


# -- SearXNG -------------------------------------------------------------------------------


def test_searxng_json_results(httpserver, tmp_path):
    httpserver.expect_request(
        "/searx/search", query_string={"q": "python programming language", "format": "json"}
    ).respond_with_data(fixture("searxng_results.json"), content_type="application/json")
    context = context_for(tmp_path, **{"search.provider": "searxng",
                                       "search.searxng_url": httpserver.url_for("/searx/")})

    text = web_search.web_search("python programming language", context=context)

    assert text.splitlines() == [
        "1. Welcome to Python.org",
        "   https://www.python.org/",
        "   The official home of the Python Programming Language.",
        "2. Python (programming language) - Wikipedia",
        "   https://en.wikipedia.org/wiki/Python_(programming_language)",
        "   Python is a high-level, general-purpose programming language. Its design philosophy "
        "emphasizes code readability & significant indentation.",
    ]


def test_searxng_without_url_says_which_setting_to_fill(tmp_path):
    context = context_for(tmp_path, **{"search.provider": "searxng"})

    with pytest.raises(ToolError, match="search.searxng_url is empty"):
        web_search.web_search("python", context=context)


def test_searxng_with_json_switched_off_says_how_to_switch_it_on(httpserver, tmp_path):
    httpserver.expect_request("/search").respond_with_data("Forbidden", status=403)
    context = context_for(tmp_path, **{"search.provider": "searxng",
                                       "search.searxng_url": httpserver.url_for("/")})

    with pytest.raises(ToolError) as caught:
        web_search.web_search("python", context=context)

    assert str(caught.value).startswith("SearXNG answered 403 (forbidden)")
    assert "add json to search.formats in settings.yml" in str(caught.value)


def test_searxng_address_that_is_not_searxng(httpserver, tmp_path):
    httpserver.expect_request("/search").respond_with_json({"hello": "world"})
    context = context_for(tmp_path, **{"search.provider": "searxng",
                                       "search.searxng_url": httpserver.url_for("/")})

    with pytest.raises(ToolError, match="without a results list"):
        web_search.web_search("python", context=context)


# -- Brave Search ----------------------------------------------------------------------------


def brave_context(tmp_path) -> ToolContext:
    return context_for(tmp_path, **{"search.provider": "brave"})


def test_brave_sends_the_key_and_formats_results(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv(BRAVE_API_KEY.env, "test-key-123")
    httpserver.expect_request(
        "/res/v1/web/search",
        headers={"X-Subscription-Token": "test-key-123"},
        query_string={"q": "python programming language", "count": "3"},
    ).respond_with_data(fixture("brave_results.json"), content_type="application/json")

    text = web_search.web_search(
        "python programming language", max_results=3, context=brave_context(tmp_path)
    )

    assert text.splitlines() == [
        "1. Welcome to Python.org",
        "   https://www.python.org/",
        "   The official home of the Python Programming Language.",
        "2. Python (programming language) - Wikipedia",
        "   https://en.wikipedia.org/wiki/Python_(programming_language)",
        "   Python is a high-level, general-purpose programming language.",
    ]


def test_brave_without_a_key_says_how_to_set_one(tmp_path, monkeypatch):
    monkeypatch.setattr(web_search, "get_secret", lambda name, env=None: None)

    with pytest.raises(ToolError) as caught:
        web_search.web_search("python", context=brave_context(tmp_path))

    assert "Brave Search needs an API key" in str(caught.value)
    assert BRAVE_API_KEY.env in str(caught.value)
    assert "brave_api_key" in str(caught.value)


def test_brave_rejected_key_shows_brave_s_reason(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv(BRAVE_API_KEY.env, "expired")
    httpserver.expect_request("/res/v1/web/search").respond_with_data(
        fixture("brave_error_invalid_token.json"), status=422, content_type="application/json"
    )

    with pytest.raises(ToolError) as caught:
        web_search.web_search("python", context=brave_context(tmp_path))

    assert str(caught.value) == (
        "Brave Search answered 422 (unprocessable entity): "
        "The provided subscription token is invalid; the request was not accepted"
    )


def test_brave_rate_limit_is_retried_then_reported(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv(BRAVE_API_KEY.env, "k")
    httpserver.expect_request("/res/v1/web/search").respond_with_json(
        {"type": "ErrorResponse", "error": {"status": 429, "code": "RATE_LIMITED",
                                            "detail": "Request rate limit exceeded for plan."}},
        status=429,
        headers={"Retry-After": "1", "X-RateLimit-Limit": "1, 2000",
                 "X-RateLimit-Remaining": "0, 1990"},
    )

    with pytest.raises(ToolError) as caught:
        web_search.web_search("python", context=brave_context(tmp_path))

    assert str(caught.value).startswith("rate limited by Brave Search (HTTP 429)")
    assert len(httpserver.log) == 3


# -- the tool as the registry sees it ------------------------------------------------------


def test_schema_leaves_out_the_keyword_only_context(httpserver, tmp_path):
    tool = tool_from_function(web_search.web_search)

    assert tool.name == "web_search"
    assert set(tool.parameters["properties"]) == {"query", "max_results"}
    assert tool.parameters["required"] == ["query"]
    assert tool.parameters["properties"]["max_results"]["default"] == 5
    assert tool.context_parameter == "context"


def test_invoke_through_the_registry_injects_the_context(httpserver, tmp_path):
    httpserver.expect_request("/html/", method="POST").respond_with_handler(
        ddg_page(fixture("ddg_results.html"))
    )
    tool = tool_from_function(web_search.web_search)

    text = tool.invoke({"query": "python programming language", "max_results": 1},
                       context_for(tmp_path))

    assert text.startswith("1. Welcome to Python.org")
    assert "2." not in text


def test_empty_query_is_refused(tmp_path):
    with pytest.raises(ToolError, match="empty"):
        web_search.web_search("   ", context=context_for(tmp_path))
