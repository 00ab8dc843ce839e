"""bilibili_search against a stand-in Bilibili API on 127.0.0.1 that checks cookie and WBI."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from werkzeug import Request, Response

from app.errors import ToolError
from app.settings import Settings
from app.tools import bilibili
from app.tools.registry import ToolContext, tool_from_function

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"
SEARCH = "/x/web-interface/wbi/search/type"
SPI = "/x/frontend/finger/spi"
NAV = "/x/web-interface/nav"
# The mixin key the WBI documentation derives from the keys in bilibili_nav.json.
PUBLISHED_MIXIN_KEY = "ea1db124af3c7062474693fa704f4ff8"
DENIED = {"code": -403, "message": "访问权限不足", "ttl": 1}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


from tests.http_fixtures import FAST, httpserver_listen_address  # noqa: F401, E402 (fixtures)


@pytest.fixture(autouse=True)
def local_api(httpserver, monkeypatch):
    monkeypatch.setenv(bilibili.API_URL_ENV, httpserver.url_for("/"))
    bilibili.reset_cache()
    yield
    bilibili.reset_cache()


@pytest.fixture
def context(tmp_path) -> ToolContext:
    return ToolContext(workspace=tmp_path, settings=Settings(), http=FAST)


def serve_credentials(httpserver, nav: dict | None = None) -> None:
    httpserver.expect_request(SPI).respond_with_json(fixture("bilibili_spi.json"))
    httpserver.expect_request(NAV).respond_with_json(nav or fixture("bilibili_nav.json"))


def encode_uri_component(text: str) -> str:
    return quote(text, safe="!'()*")


def signature_is_valid(request: Request) -> bool:
    """The server's side of WBI, from the documentation: decode, sort, re-encode, hash."""
    fields = request.args.to_dict()
    w_rid = fields.pop("w_rid", "")
    unsigned = "&".join(
        f"{encode_uri_component(k)}={encode_uri_component(v)}" for k, v in sorted(fields.items())
    )
    expected = hashlib.md5((unsigned + PUBLISHED_MIXIN_KEY).encode()).hexdigest()
    fresh = abs(int(fields.get("wts", "0")) - time.time()) < 60
    return w_rid == expected and fresh


def search_handler(body: dict):
    buvid3 = fixture("bilibili_spi.json")["data"]["b_3"]

    def handler(request: Request) -> Response:
        checks = (
            signature_is_valid(request),
            request.cookies.get("buvid3") == buvid3,
            request.headers.get("Referer") == "https://www.bilibili.com/",
            request.args.get("search_type") == "video",
        )
        answer = body if all(checks) else DENIED
        return Response(json.dumps(answer, ensure_ascii=False), content_type="application/json")

    return handler


def count(httpserver, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


def test_signature_matches_the_published_example():
    key = bilibili.mixin_key("7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45")

    assert key == PUBLISHED_MIXIN_KEY
    assert bilibili.sign({"foo": "114", "bar": "514", "zab": 1919810}, key, now=1702204169) == (
        "bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4"
    )


def test_signature_encodes_like_encode_uri_component_and_drops_reserved_marks():
    signed = bilibili.sign({"foo": "one one four", "bar": "五一四", "q": "(hi)!*'"}, "k", now=1)

    assert signed.startswith("bar=%E4%BA%94%E4%B8%80%E5%9B%9B&foo=one%20one%20four&q=hi&wts=1&")


def test_search_lists_videos_with_url_author_and_plays(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_handler(
        search_handler(fixture("bilibili_search.json"))
    )

    text = bilibili.bilibili_search("Python 教程", context=context)

    assert text.splitlines() == [
        "1. Python入门教程 & 实战",
        "   https://www.bilibili.com/video/BV17x411w7KC",
        "   by Python官方教程 · 1,234,567 plays · 12:34",
        "2. 十分钟学会Python列表",
        "   https://www.bilibili.com/video/BV1GJ411x7h7",
        "   by 编程老师 · 98,765 plays · 10:05",
    ]


def test_max_results_limits_the_list(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_handler(
        search_handler(fixture("bilibili_search.json"))
    )

    text = bilibili.bilibili_search("python", max_results=1, context=context)

    assert text.startswith("1. Python入门教程")
    assert "2." not in text


def test_cookie_and_keys_are_fetched_once_and_reused(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_handler(
        search_handler(fixture("bilibili_search.json"))
    )

    bilibili.bilibili_search("python", context=context)
    bilibili.bilibili_search("rust", context=context)

    assert count(httpserver, SEARCH) == 2
    assert count(httpserver, SPI) == 1
    assert count(httpserver, NAV) == 1


def test_wrong_signature_is_refused_and_the_keys_are_fetched_again(httpserver, context):
    stale = fixture("bilibili_nav.json")
    stale["data"]["wbi_img"] = {
        "img_url": "https://i0.hdslb.com/bfs/wbi/653657f524a547ac981ded72ea172057.png",
        "sub_url": "https://i0.hdslb.com/bfs/wbi/6e4909c702f846728e64f6007736a338.png",
    }
    serve_credentials(httpserver, nav=stale)
    httpserver.expect_request(SEARCH).respond_with_handler(
        search_handler(fixture("bilibili_search.json"))
    )

    for _ in range(2):
        with pytest.raises(ToolError) as caught:
            bilibili.bilibili_search("python", context=context)
        assert str(caught.value) == (
            "Bilibili refused the search (access denied, code -403); try again later"
        )

    assert count(httpserver, NAV) == 2  # the refusal dropped the cached keys


def test_http_412_is_reported_as_risk_control(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_data(
        "<html><body>412 Precondition Failed</body></html>", status=412, content_type="text/html"
    )

    with pytest.raises(ToolError) as caught:
        bilibili.bilibili_search("python", context=context)

    assert str(caught.value) == (
        "Bilibili refused the search (request blocked by risk control, HTTP 412); try again later"
    )
    assert count(httpserver, SEARCH) == 1  # a refusal is not retried


def test_anti_bot_code_352(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_json(fixture("bilibili_refused_352.json"))

    with pytest.raises(ToolError) as caught:
        bilibili.bilibili_search("python", context=context)

    assert str(caught.value) == (
        "Bilibili refused the search (anti-bot check, code -352); try again later"
    )


def test_voucher_instead_of_results_is_a_refusal(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_json(fixture("bilibili_voucher.json"))

    with pytest.raises(ToolError, match=r"anti-bot check, v_voucher"):
        bilibili.bilibili_search("python", context=context)


def test_other_error_code_is_quoted(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_json(
        {"code": -400, "message": "请求错误", "ttl": 1}
    )

    with pytest.raises(ToolError, match=r"Bilibili answered code -400 \(请求错误\)"):
        bilibili.bilibili_search("python", context=context)


def test_no_videos_is_evidence_not_an_error(httpserver, context):
    serve_credentials(httpserver)
    httpserver.expect_request(SEARCH).respond_with_handler(
        search_handler(fixture("bilibili_empty.json"))
    )

    assert bilibili.bilibili_search("qwzxv", context=context) == "no Bilibili videos match 'qwzxv'"


def test_missing_signing_keys_are_reported(httpserver, context):
    serve_credentials(httpserver, nav={"code": -101, "message": "账号未登录", "data": {}})

    with pytest.raises(ToolError, match=r"did not publish its signing keys"):
        bilibili.bilibili_search("python", context=context)
    assert count(httpserver, SEARCH) == 0


def test_missing_device_cookie_is_reported(httpserver, context):
    httpserver.expect_request(SPI).respond_with_json({"code": 0, "data": {}, "message": "ok"})

    with pytest.raises(ToolError, match=r"device cookie \(buvid3\)"):
        bilibili.bilibili_search("python", context=context)


def test_schema(context):
    tool = tool_from_function(bilibili.bilibili_search)

    assert set(tool.parameters["properties"]) == {"query", "max_results"}
    assert tool.parameters["required"] == ["query"]
    assert tool.context_parameter == "context"
