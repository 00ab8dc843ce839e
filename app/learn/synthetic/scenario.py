"""Scenarios and the stand-ins for tool output: the real sample database, the real time
format, search results in each tool's layout, and the wording helpers."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.tools.sql.results import result_table

from .entities import CITIES

SAMPLE_DB = Path(__file__).resolve().parents[2] / "data" / "films.sqlite3"


@dataclass(frozen=True)
class Step:
    plan: str
    tool: str
    input: str
    evidence: str = ""


@dataclass(frozen=True)
class Scenario:
    family: str
    task: str
    steps: tuple[Step, ...]
    answer: str
    key_fact: str = ""  # a string the answer must carry (solver check)
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tools(self) -> list[str]:
        return [s.tool for s in self.steps]

    def plan_text(self) -> str:
        return "".join(
            f"Plan: {s.plan}\n#E{n} = {s.tool}[{s.input}]\n" for n, s in enumerate(self.steps, 1)
        )


_DIRECTORS: list[tuple[int, str, int, str]] = []
_FILMS_DB: list[tuple[str, int, int]] = []


def _db() -> tuple[list[tuple[int, str, int, str]], list[tuple[str, int, int]]]:
    if not _DIRECTORS:
        with sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True) as con:
            _DIRECTORS.extend(con.execute("SELECT id, name, born, country FROM directors"))
            _FILMS_DB.extend(con.execute("SELECT title, year, director_id FROM films"))
    return _DIRECTORS, _FILMS_DB


def sql_table(sql: str) -> tuple[str, list[tuple[object, ...]]]:
    """Run ``sql`` on the sample database; the rows as the sql_query tool formats them."""
    with sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        rows = cursor.fetchall()
    return result_table(names, rows), rows


# -- wording helpers ----------------------------------------------------------------------

_OPENERS = [
    "",
    "",
    "",
    "Please ",
    "Can you ",
    "Could you ",
    "I need you to ",
    "Hey, ",
    "Quick one: ",
    "I'd like you to ",
    "Help me ",
    "Would you ",
]


def _ask(rng: random.Random, imperative: str) -> str:
    """``imperative`` ("find X") with a random polite opener and ending."""
    opener = rng.choice(_OPENERS)
    text = opener + imperative if opener else imperative[0].upper() + imperative[1:]
    if opener.startswith(("Can", "Could", "Would")):
        return text + rng.choice(["?", "?", " please?", ""])
    return text + rng.choice([".", ".", "", "!"])


def _vary(rng: random.Random, task: str) -> str:
    """Small surface noise: lower case, no final punctuation, a trailing 'thanks'."""
    roll = rng.random()
    if roll < 0.12:
        task = task.lower()
    elif roll < 0.2:
        task = task.rstrip(".!?")
    if rng.random() < 0.05:
        task += rng.choice([" Thanks.", " Thank you!", " thx"])
    return task


def _fake_time(rng: random.Random, city: str) -> tuple[str, str]:
    """The get_current_time text for ``city`` at a random moment, and its HH:MM."""
    zone, abbr, _offset = CITIES[city]
    moment = datetime(2026, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
    text = f"{moment:%Y-%m-%d %H:%M:%S} {abbr} ({zone}, {moment:%A})"
    return text, f"{moment:%H:%M}"


def _wiki(title: str, summary: str) -> str:
    url = "https://en.wikipedia.org/wiki/" + title.replace(" ", "_")
    return f"1. {title}\n   {url}\n   {summary}"


def _web(rng: random.Random, query: str) -> tuple[str, str]:
    sites = [
        "news.example.com",
        "www.techdaily.example",
        "blog.example.org",
        "www.worldreport.example",
        "magazine.example.net",
    ]
    headline = rng.choice(
        [
            f"What's new with {query} this week",
            f"{query.capitalize()}: a complete guide",
            f"Experts weigh in on {query}",
            f"The rise of {query}",
            f"{query.capitalize()} explained",
        ]
    )
    lines = []
    for n in range(1, rng.randint(2, 4)):
        title = (
            headline
            if n == 1
            else f"{query.capitalize()} — {rng.choice(['update', 'review', 'analysis', 'report'])}"
        )
        lines.append(
            f"{n}. {title}\n   https://{rng.choice(sites)}/{n}{rng.randint(100, 999)}\n"
            f"   {rng.choice(['A look at', 'Latest on', 'Everything about'])} {query}."
        )
    return "\n".join(lines), headline


def _videos(rng: random.Random, query: str) -> tuple[str, str]:
    first = rng.choice(
        [
            f"{query} compilation",
            f"Best of {query}",
            f"{query} for beginners",
            f"My favourite {query}",
            f"{query} in 10 minutes",
        ]
    )
    lines = []
    for n in range(1, rng.randint(2, 4)):
        title = first if n == 1 else f"{query} part {n}"
        bvid = "BV1" + "".join(
            rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9)
        )
        lines.append(
            f"{n}. {title}\n   https://www.bilibili.com/video/{bvid}\n"
            f"   up: {rng.choice(['小明', 'TechCat', 'Lily_Li', 'Retro君', 'ChefWang'])} · "
            f"{rng.randint(1, 900)},{rng.randint(100, 999)} plays · "
            f"{rng.randint(1, 59)}:{rng.randint(10, 59)}"
        )
    return "\n".join(lines), first


def _saved(path: str, content: str) -> str:
    size = len(content.encode("utf-8"))
    return f"saved {path} ({size} byte{'s' if size != 1 else ''}) in the workspace"
