"""wikipedia_search: the best-matching Wikipedia articles with their introductions.

Two calls to the MediaWiki Action API: full-text search for the ranking, then the intro
extracts (plain text), page properties and canonical URLs of the hits in one request.
A disambiguation page is reported as such, with a few of its meanings, so the answer is
never built on "Mercury may refer to:". Finding nothing is evidence, not a failure: the
tool then says so (with the search's own spelling suggestion, if any) instead of raising.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from app.errors import ToolError
from app.net import http
from app.text import clip
from app.tools.registry import ToolContext, tool

API_URL = "https://{lang}.wikipedia.org/w/api.php"
API_URL_ENV = "SMART_AGENT_WIKIPEDIA_URL"  # may contain {lang}
PROVIDER = "Wikipedia"
MOST_RESULTS = 10
EXTRACT_CHARS = 700
MEANINGS_SHOWN = 6

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,10})*|simple")


@tool
def wikipedia_search(query: str, top_k: int = 3, *, context: ToolContext) -> str:
    """Search Wikipedia and return the best-matching articles with their introductions.

    Args:
        query: Topic or question to look up, e.g. "Ada Lovelace" or "boiling point of water".
        top_k: How many articles to return, 1 to 10.
    """
    query = " ".join(query.split())
    if not query:
        raise ToolError("the Wikipedia query is empty")
    language = str(context.settings.get("wikipedia.language")).strip().lower()
    if not _LANGUAGE.fullmatch(language):
        raise ToolError(
            f"wikipedia.language '{language}' is not a Wikipedia language code (e.g. en, de, zh)"
        )
    api = http.endpoint(API_URL_ENV, API_URL).replace("{lang}", language)
    limit = max(1, min(top_k, MOST_RESULTS))
    found = _call(api, {"list": "search", "srsearch": query, "srlimit": limit}, context.http)
    ids = [str(hit["pageid"]) for hit in found.get("search") or [] if "pageid" in hit][:limit]
    if not ids:
        suggestion = (found.get("searchinfo") or {}).get("suggestion")
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        return f"no Wikipedia article matches '{query}' ({language}.wikipedia.org){hint}"
    pages = _call(
        api,
        {
            "prop": "extracts|pageprops|info",
            "exintro": 1,
            "explaintext": 1,
            "exlimit": "max",
            "ppprop": "disambiguation",
            "inprop": "url",
            "pageids": "|".join(ids),
        },
        context.http,
    ).get("pages") or []
    by_id = {str(page.get("pageid")): page for page in pages if not page.get("missing")}
    entries = [_entry(by_id[pid], api) for pid in ids if pid in by_id]
    return "\n\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1))


def _call(api: str, params: dict[str, Any], policy: http.Policy) -> dict[str, Any]:
    """One ``action=query`` request; the API's own ``error`` object becomes a ToolError."""
    reply = http.request(
        PROVIDER,
        "GET",
        api,
        params={"action": "query", "format": "json", "formatversion": 2, **params},
        policy=policy,
    )
    data = reply.json()
    if not isinstance(data, dict):
        raise ToolError("Wikipedia sent an answer that is not a JSON object")
    error = data.get("error")
    if isinstance(error, dict):
        raise _api_error(error, reply.headers.get("Retry-After", ""))
    query = data.get("query")
    return query if isinstance(query, dict) else {}


def _api_error(error: dict[str, Any], retry_after: str) -> ToolError:
    code = str(error.get("code") or "unknown")
    info = str(error.get("info") or "").strip()
    wait = f"try again in {retry_after} s" if retry_after.isdigit() else "try again later"
    if code == "maxlag":
        return ToolError(f"Wikipedia's servers are lagging (maxlag); {wait}")
    if code == "ratelimited":
        return ToolError(f"rate limited by Wikipedia ({code}); {wait}")
    return ToolError(f"Wikipedia refused the query ({code}: {info or 'no reason given'})")


def _entry(page: dict[str, Any], api: str) -> str:
    title = str(page.get("title") or "")
    url = str(page.get("canonicalurl") or page.get("fullurl") or _article_url(api, title))
    extract = str(page.get("extract") or "").strip()
    if "disambiguation" in (page.get("pageprops") or {}):
        lines = [line.strip() for line in extract.splitlines()[1:]]
        options = [line for line in lines if line and not line.endswith(":")]  # not headings
        meanings = [f"   - {clip(line, 160)}" for line in options[:MEANINGS_SHOWN]]
        if not meanings:
            meanings = ["   (search again with a more specific title)"]
        return "\n".join(
            [f"{title} — a disambiguation page, not an article; it may mean:", f"   {url}"]
            + meanings
        )
    summary = clip(extract, EXTRACT_CHARS) if extract else "(no introduction text)"
    return f"{title}\n   {url}\n   {summary}"


def _article_url(api: str, title: str) -> str:
    """Where the article lives, for an API that did not say (``/w/api.php`` → ``/wiki/``)."""
    root = api.rsplit("/w/api.php", 1)[0]
    return f"{root}/wiki/{quote(title.replace(' ', '_'), safe='()/:,')}"
