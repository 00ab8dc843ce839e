"""get_current_time: IANA names, city names, local time, unknown zones with close matches."""

from __future__ import annotations

import pytest

from app.errors import ToolError
from app.tools.clock import get_current_time


@pytest.mark.parametrize(("tz", "zone"), [("Asia/Tokyo", "Asia/Tokyo"), ("tokyo", "Asia/Tokyo"),
                                          ("New York", "America/New_York"), ("UTC", "Etc/UTC")])
def test_zones_and_cities(tz, zone):
    assert f"({zone}, " in get_current_time(tz)


def test_empty_means_local_time():
    assert "local time" in get_current_time("")


def test_unknown_zone_lists_close_matches():
    with pytest.raises(ToolError, match=r"unknown time zone 'Tokio'; close matches: .*Asia/Tokyo"):
        get_current_time("Tokio")
    with pytest.raises(ToolError, match="unknown time zone .Mars/Base."):
        get_current_time("Mars/Base")
