"""web_search: the web's top results (title, address, snippet) from the chosen provider.

Three providers, picked by the ``search.provider`` setting: DuckDuckGo (default, no key;
its no-JavaScript HTML page, parsed with the standard library), a SearXNG instance (its
JSON API) and the Brave Search API (needs a key). Each base URL can be moved by an
environment variable so tests (or a mirror) can stand in for the real service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

from app.errors import ToolError
from app.net import http
from app.secrets import get_secret
from app.settings import BRAVE_API_KEY
from app.text import clip, plain_text
from app.tools.registry import ToolContext, tool

DDG_URL = "https://html.duckduckgo.com/html/"
DDG_URL_ENV = "SMART_AGENT_DDG_URL"
BRAVE_URL = "https://api.search.brave.com/res/v1/web/search"
BRAVE_URL_ENV = "SMART_AGENT_BRAVE_URL"
MOST_RESULTS = 20  # Brave's ceiling for one page; more would only flood the evidence
SNIPPET_CHARS = 300


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: str


@tool
def web_search(query: str, max_results: int = 5, *, context: ToolContext) -> str:
    """Search the web and return the top results: title, address and a short snippet each.

    Args:
        query: What to search for, as one would type it into a search engine.
        max_results: How many results to return, 1 to 20.
    """
    query = " ".join(query.split())
    if not query:
        raise ToolError("the search query is empty")
    count = max(1, min(max_results, MOST_RESULTS))
    provider = context.settings.get("search.provider")
    search, name = _PROVIDERS.get(provider, _PROVIDERS["duckduckgo"])
    hits = search(query, count, context)[:count]
    if not hits:
        return f"no web results for '{query}' ({name})"
    return "\n".join(_entry(n, hit) for n, hit in enumerate(hits, 1))


def _entry(number: int, hit: Hit) -> str:
    lines = [f"{number}. {hit.title or hit.url}", f"   {hit.url}"]
    if hit.snippet:
        lines.append(f"   {hit.snippet}")
    return "\n".join(lines)


# -- DuckDuckGo --------------------------------------------------------------------------

DDG = "DuckDuckGo"


def _duckduckgo(query: str, count: int, context: ToolContext) -> list[Hit]:
    reply = http.request(
        DDG,
        "POST",
        http.endpoint(DDG_URL_ENV, DDG_URL),
        data={"q": query},
        check=False,
        policy=context.http,
    )
    page = reply.text
    if reply.status == 202 or "anomaly-modal" in page or "challenge-form" in page:
        raise ToolError(
            "DuckDuckGo refused the request (bot check); try again later or choose another provider"
        )
    reply.raise_for_status()
    parser = _DuckDuckGoPage(reply.url)
    parser.feed(page)
    parser.close()
    if not parser.hits and not parser.says_no_results:
        raise ToolError(
            "DuckDuckGo sent a page this tool cannot read (its layout may have changed); "
            "choose another search provider in the settings"
        )
    return parser.hits


class _DuckDuckGoPage(HTMLParser):
    """The results of DuckDuckGo's HTML page: ``a.result__a`` and ``.result__snippet``."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.hits: list[Hit] = []
        self.says_no_results = False
        self._field: str | None = None  # "title" or "snippet" while inside one
        self._tag = ""
        self._depth = 0
        self._text: list[str] = []
        self._href = ""
        self._pending: tuple[str, str] | None = None  # (title, href) waiting for a snippet

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._field:
            self._depth += tag == self._tag
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if "no-results" in classes or "result--no-result" in classes:
            self.says_no_results = True
        if tag == "a" and "result__a" in classes:
            self._start("title", tag)
            self._href = values.get("href") or ""
        elif "result__snippet" in classes and self._pending:
            self._start("snippet", tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._field or tag != self._tag:
            return
        if self._depth:
            self._depth -= 1
            return
        text = " ".join("".join(self._text).split())
        if self._field == "title":
            self._flush()
            self._pending = (text, self._href)
        else:
            self._flush(snippet=text)
        self._field = None

    def handle_data(self, data: str) -> None:
        if self._field:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _start(self, field: str, tag: str) -> None:
        self._field, self._tag, self._depth, self._text = field, tag, 0, []

    def _flush(self, snippet: str = "") -> None:
        """Finish the pending result (title seen, snippet optional); ads (``/y.js``) are dropped."""
        if not self._pending:
            return
        title, href = self._pending
        self._pending = None
        url = target_of(urljoin(self.base, href))
        parts = urlsplit(url)
        if not ((parts.hostname or "").endswith("duckduckgo.com") and parts.path == "/y.js"):
            self.hits.append(Hit(title, url, clip(snippet, SNIPPET_CHARS)))


def target_of(href: str) -> str:
    """The real address behind a DuckDuckGo redirect link (``/l/?uddg=<address>``)."""
    parts = urlsplit(href)
    if parts.path == "/l/" and (parts.hostname or "").endswith("duckduckgo.com"):
        target = parse_qs(parts.query).get("uddg")
        if target:
            return target[0]
    return href


# -- SearXNG -----------------------------------------------------------------------------

SEARXNG = "SearXNG"


def _searxng(query: str, count: int, context: ToolContext) -> list[Hit]:
    base = str(context.settings.get("search.searxng_url")).strip().rstrip("/")
    if not base:
        raise ToolError(
            "the search provider is SearXNG but search.searxng_url is empty; "
            "set it to the instance's address, e.g. http://localhost:8888"
        )
    reply = http.request(
        SEARXNG,
        "GET",
        f"{base}/search",
        params={"q": query, "format": "json"},
        check=False,
        policy=context.http,
    )
    if reply.status == 403:
        reply.raise_for_status(
            "its JSON output may be switched off; add json to search.formats in settings.yml"
        )
    reply.raise_for_status()
    data = reply.json()
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ToolError("SearXNG sent JSON without a results list; is the URL a SearXNG instance?")
    return [
        Hit(
            plain_text(str(item.get("title") or "")),
            str(item.get("url") or ""),
            clip(plain_text(str(item.get("content") or "")), SNIPPET_CHARS),
        )
        for item in results[:count]
        if isinstance(item, dict) and item.get("url")
    ]


# -- Brave Search ------------------------------------------------------------------------

BRAVE = "Brave Search"


def _brave(query: str, count: int, context: ToolContext) -> list[Hit]:
    key = get_secret(BRAVE_API_KEY.keyring, env=BRAVE_API_KEY.env)
    if not key:
        raise ToolError(
            "Brave Search needs an API key: set the environment variable "
            f"{BRAVE_API_KEY.env} or store it in the keyring as '{BRAVE_API_KEY.keyring}' "
            "(service 'smart-agent')"
        )
    reply = http.request(
        BRAVE,
        "GET",
        http.endpoint(BRAVE_URL_ENV, BRAVE_URL),
        params={"q": query, "count": count},
        headers={"X-Subscription-Token": key, "Accept": "application/json"},
        check=False,
        policy=context.http,
    )
    if reply.status >= 400:
        reply.raise_for_status(_brave_error(reply))
    data = reply.json()
    web = data.get("web") if isinstance(data, dict) else None
    results = web.get("results") if isinstance(web, dict) else []
    return [
        Hit(
            plain_text(str(item.get("title") or "")),
            str(item.get("url") or ""),
            clip(plain_text(str(item.get("description") or "")), SNIPPET_CHARS),
        )
        for item in results or []
        if isinstance(item, dict) and item.get("url")
    ]


def _brave_error(reply: http.Reply) -> str:
    """What Brave's error body says (``{"error": {"detail": ...}}``), if it is readable."""
    try:
        error = reply.json().get("error") or {}
        return str(error.get("detail") or error.get("code") or "")
    except (ToolError, AttributeError):
        return ""


_PROVIDERS: dict[str, tuple[Callable[[str, int, ToolContext], list[Hit]], str]] = {
    "duckduckgo": (_duckduckgo, DDG),
    "searxng": (_searxng, SEARXNG),
    "brave": (_brave, BRAVE),
}
