"""bilibili_search: Bilibili videos matching a query (title, address, author, plays).

The web search API refuses bare requests, so the tool behaves as the site's own page
does: it carries a ``buvid3`` device cookie (from the ``finger/spi`` endpoint) and signs
every search with WBI, the site's request signature: two keys published by the ``nav``
endpoint are shuffled by a fixed table into a "mixin key", and ``w_rid`` is the MD5 of
the sorted, encoded query followed by that key. Cookie and keys are cached for a while;
a refusal drops them so the next call starts fresh.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from app.errors import ToolError
from app.net import http
from app.text import plain_text
from app.tools.registry import ToolContext, tool

API_URL = "https://api.bilibili.com"
API_URL_ENV = "SMART_AGENT_BILIBILI_API_URL"
REFERER = "https://www.bilibili.com/"  # the API answers only requests that come from the site
PROVIDER = "Bilibili"
MOST_RESULTS = 20  # one page of the search API
KEYS_TTL = 3600.0  # the WBI keys change daily; an hour keeps them fresh enough

# The published permutation that turns img_key + sub_key into the mixin key.
MIXIN_KEY_ENC_TAB = (
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49,
    33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7, 16, 24, 55, 40,
    61, 26, 17, 0, 1, 60, 51, 30, 4, 22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11,
    36, 20, 34, 44, 52,
)  # fmt: skip

# Codes the API uses when its risk control turns a request away.
REFUSALS = {
    -352: "anti-bot check",
    -403: "access denied",
    -412: "request blocked by risk control",
    -509: "too many requests",
    -799: "too many requests",
}


_UNSIGNED = str.maketrans("", "", "!'()*")  # characters the signature leaves out


@dataclass(frozen=True)
class _Credentials:
    cookies: dict[str, str]
    mixin_key: str
    fetched: float


_cache: dict[str, _Credentials] = {}
_cache_lock = threading.Lock()


def reset_cache() -> None:
    """Forget cookies and WBI keys, e.g. after a refusal; the next search fetches new ones."""
    with _cache_lock:
        _cache.clear()


@tool
def bilibili_search(query: str, max_results: int = 5, *, context: ToolContext) -> str:
    """Search Bilibili for videos; returns title, address, author and play count of each.

    Args:
        query: Words to search for in video titles and descriptions.
        max_results: How many videos to return, 1 to 20.
    """
    query = " ".join(query.split())
    if not query:
        raise ToolError("the Bilibili query is empty")
    api = http.endpoint(API_URL_ENV, API_URL).rstrip("/")
    credentials = _credentials(api, context.http)
    signed = sign({"search_type": "video", "keyword": query, "page": 1}, credentials.mixin_key)
    reply = http.request(
        PROVIDER,
        "GET",
        f"{api}/x/web-interface/wbi/search/type?{signed}",
        headers={"Referer": REFERER},
        cookies=credentials.cookies,
        check=False,
        policy=context.http,
    )
    if reply.status == 412:
        reset_cache()
        raise ToolError(
            "Bilibili refused the search (request blocked by risk control, HTTP 412); "
            "try again later"
        )
    reply.raise_for_status()
    data = _data(reply)
    if "v_voucher" in data:
        reset_cache()
        raise ToolError("Bilibili refused the search (anti-bot check, v_voucher); try again later")
    videos = [v for v in data.get("result") or [] if isinstance(v, dict) and v.get("title")]
    if not videos:
        return f"no Bilibili videos match '{query}'"
    count = max(1, min(max_results, MOST_RESULTS))
    return "\n".join(_entry(n, video) for n, video in enumerate(videos[:count], 1))


def _entry(number: int, video: dict[str, Any]) -> str:
    title = plain_text(str(video["title"]))
    bvid = str(video.get("bvid") or "")
    url = f"https://www.bilibili.com/video/{bvid}" if bvid else str(video.get("arcurl") or "")
    play = video.get("play")
    plays = f"{play:,} plays" if isinstance(play, int) else f"{play or '?'} plays"
    facts = [f"by {plain_text(str(video.get('author') or 'unknown'))}", plays]
    if video.get("duration"):
        facts.append(str(video["duration"]))
    return f"{number}. {title}\n   {url}\n   {' · '.join(facts)}"


def _data(reply: http.Reply) -> dict[str, Any]:
    """``data`` of a ``{"code": 0, "data": ...}`` answer; refusal codes become ToolErrors."""
    body = reply.json()
    if not isinstance(body, dict):
        raise ToolError("Bilibili sent an answer that is not a JSON object")
    code = body.get("code")
    if code in REFUSALS:
        reset_cache()
        raise ToolError(
            f"Bilibili refused the search ({REFUSALS[code]}, code {code}); try again later"
        )
    if code != 0:
        said = str(body.get("message") or "no reason given")
        raise ToolError(f"Bilibili answered code {code} ({said})")
    data = body.get("data")
    return data if isinstance(data, dict) else {}


def _credentials(api: str, policy: http.Policy) -> _Credentials:
    """The device cookie and mixin key for ``api``, from the cache while they are fresh."""
    with _cache_lock:
        cached = _cache.get(api)
    if cached and time.time() - cached.fetched < KEYS_TTL:
        return cached
    spi = _data(
        http.request(
            PROVIDER,
            "GET",
            f"{api}/x/frontend/finger/spi",
            headers={"Referer": REFERER},
            policy=policy,
        )
    )
    cookies = {name: str(spi[key]) for name, key in (("buvid3", "b_3"), ("buvid4", "b_4"))
               if spi.get(key)}
    if "buvid3" not in cookies:
        raise ToolError("Bilibili did not hand out a device cookie (buvid3); try again later")
    fresh = _Credentials(cookies, mixin_key(*_wbi_keys(api, cookies, policy)), time.time())
    with _cache_lock:
        _cache[api] = fresh
    return fresh


def _wbi_keys(api: str, cookies: dict[str, str], policy: http.Policy) -> tuple[str, str]:
    """img_key and sub_key: the file stems of ``data.wbi_img`` in the ``nav`` answer.

    ``nav`` answers code -101 (not logged in) to an anonymous visitor but still carries
    ``wbi_img``, so its code is not checked here.
    """
    body = http.request(
        PROVIDER,
        "GET",
        f"{api}/x/web-interface/nav",
        headers={"Referer": REFERER},
        cookies=cookies,
        policy=policy,
    ).json()
    images = ((body.get("data") or {}).get("wbi_img") or {}) if isinstance(body, dict) else {}
    stems = [str(images.get(name) or "").rsplit("/", 1)[-1].split(".")[0]
             for name in ("img_url", "sub_url")]
    if not all(stems) or len(stems[0] + stems[1]) < len(MIXIN_KEY_ENC_TAB):
        raise ToolError("Bilibili did not publish its signing keys (wbi_img); try again later")
    return stems[0], stems[1]


def mixin_key(img_key: str, sub_key: str) -> str:
    """The WBI mixin key: img_key + sub_key shuffled by MIXIN_KEY_ENC_TAB, first 32 chars."""
    raw = img_key + sub_key
    return "".join(raw[i] for i in MIXIN_KEY_ENC_TAB)[:32]


def sign(params: dict[str, Any], key: str, now: int | None = None) -> str:
    """The query string of ``params`` with ``wts`` and its WBI signature ``w_rid`` added.

    Values lose the characters ``!'()*`` and are encoded as JavaScript's
    encodeURIComponent does (space as %20), because the server checks exactly that.
    """
    stamped = {**params, "wts": int(time.time()) if now is None else now}
    cleaned = sorted((k, str(v).translate(_UNSIGNED)) for k, v in stamped.items())
    query = urlencode(cleaned, quote_via=quote)
    w_rid = hashlib.md5((query + key).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{query}&w_rid={w_rid}"
