"""get_current_time: the current date and time in an IANA time zone."""

from __future__ import annotations

import difflib
import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.errors import ToolError
from app.tools.registry import tool


@functools.cache
def _zones() -> dict[str, str]:
    """Lower-cased zone names and their last parts ("tokyo", "new york") → zone name."""
    index: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        index.setdefault(zone.lower(), zone)
        city = zone.rsplit("/", 1)[-1].lower()
        index.setdefault(city, zone)
        index.setdefault(city.replace("_", " "), zone)
    return index


def resolve_zone(name: str) -> ZoneInfo:
    """A ZoneInfo for an IANA name or a city that names one ("Tokyo" → Asia/Tokyo)."""
    wanted = name.strip().strip("\"'").strip()
    if not wanted or wanted.lower() in ("local", "localtime"):
        raise LookupError
    zones = _zones()
    key = wanted.lower()
    for candidate in (key, key.replace(" ", "_"), key.split(",")[0].strip()):
        if candidate in zones:
            return ZoneInfo(zones[candidate])
    try:
        return ZoneInfo(wanted)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(key, list(zones), n=4, cutoff=0.6)
        hint = f"; close matches: {', '.join(sorted({zones[c] for c in close}))}" if close else ""
        raise ToolError(f"unknown time zone '{wanted}'{hint}") from None


@tool
def get_current_time(tz: str = "") -> str:
    """Get the current date and time, optionally in a given time zone.

    Args:
        tz: IANA time zone such as Asia/Tokyo, or a city name; empty for local time.
    """
    try:
        zone = resolve_zone(tz)
    except LookupError:
        now = datetime.now().astimezone()
        return f"{now:%Y-%m-%d %H:%M:%S} {now.tzname()} (local time, {now:%A})"
    now = datetime.now(zone)
    return f"{now:%Y-%m-%d %H:%M:%S} {now.tzname()} ({zone.key}, {now:%A})"
