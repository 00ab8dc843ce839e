"""Two- and three-step task families, with #E references between the steps."""

from __future__ import annotations

import random

from .actions import _SQL_FAMILIES, _python_job
from .entities import CITIES, FILE_NAMES, FILMS, PEOPLE, THINGS, TOPICS, VIDEO_TOPICS
from .scenario import (
    Scenario,
    Step,
    _ask,
    _fake_time,
    _saved,
    _vary,
    _videos,
    _web,
    _wiki,
    sql_table,
)

# -- two- and three-step combinations ---------------------------------------------------------


def wiki_then_video(rng: random.Random) -> Scenario:
    film, director = rng.choice(FILMS)
    task = rng.choice(
        [
            f"Find out who directed {film}, then search Bilibili for videos about that director.",
            f"Who directed {film}? Look for Bilibili videos about them.",
            f"Look up the director of {film} on Wikipedia and find Bilibili clips "
            "about their films.",
        ]
    )
    wiki = _wiki(f"{film} (film)", f"{film} is a film directed by {director}.")
    videos, first = _videos(rng, director)
    return Scenario(
        "wiki+video",
        _vary(rng, task),
        (
            Step(
                f"Find the director of {film}.", "wikipedia_search", f"{film} film director", wiki
            ),
            Step(
                "Search Bilibili for videos about that director.",
                "bilibili_search",
                "#E1 films",
                videos,
            ),
        ),
        f'{film} was directed by {director}. On Bilibili: "{first}" and more.',
        director,
    )


def sql_then_save(rng: random.Random) -> Scenario:
    task0, sql, plan = rng.choice(_SQL_FAMILIES)(rng)
    path = rng.choice(
        [
            "films.md",
            "directors.md",
            "query.txt",
            "result.md",
            "list.md",
            "db/answer.md",
            "report.md",
        ]
    )
    task = rng.choice(
        [
            f"{task0.rstrip('?.')} — save the result to {path}.",
            f"{task0} Then save the answer in {path}.",
            _ask(
                rng,
                f"query the sample database ({task0[0].lower() + task0[1:].rstrip('?.')}) "
                f"and write the rows to {path}",
            ),
        ]
    )
    table, rows = sql_table(sql)
    return Scenario(
        "sql+save",
        _vary(rng, task),
        (
            Step(plan, "sql_query", sql, table),
            Step(f"Save the result to {path}.", "save_file", f"{path}: #E1", _saved(path, table)),
        ),
        f"I saved the {len(rows)} row{'s' if len(rows) != 1 else ''} to {path}.",
        path,
    )


def time_then_save(rng: random.Random) -> Scenario:
    city, path = rng.choice(list(CITIES)), rng.choice(FILE_NAMES)
    task = rng.choice(
        [
            f"Write the current time in {city} to {path}.",
            f"Get the time in {city} and save it in {path}.",
            _ask(rng, f"note the current {city} time in {path}"),
        ]
    )
    ev, hhmm = _fake_time(rng, city)
    return Scenario(
        "time+save",
        _vary(rng, task),
        (
            Step(f"Get the current time in {city}.", "get_current_time", city, ev),
            Step(f"Save the time to {path}.", "save_file", f"{path}: #E1", _saved(path, ev)),
        ),
        f"It is {hhmm} in {city}; I saved that to {path}.",
        hhmm,
    )


def web_then_llm(rng: random.Random) -> Scenario:
    topic = rng.choice(TOPICS)
    how = rng.choice(
        [
            "in one sentence",
            "in three bullet points",
            "for a ten-year-old",
            "in two sentences",
            "briefly",
        ]
    )
    task = rng.choice(
        [
            f"Search the web for {topic} and summarize what you find {how}.",
            f"Find news about {topic} and give me a summary {how}.",
            _ask(rng, f"look up {topic} online and sum it up {how}"),
        ]
    )
    ev, headline = _web(rng, topic)
    return Scenario(
        "web+llm",
        _vary(rng, task),
        (
            Step(f"Search the web for {topic}.", "web_search", topic, ev),
            Step(
                f"Summarize the results {how}.",
                "llm",
                f"Summarize {how}: #E1",
                f"(summary of {topic})",
            ),
        ),
        f'(summary of {topic}) — based on "{headline}".',
        headline,
    )


def wiki_then_llm(rng: random.Random) -> Scenario:
    name, summary, born = rng.choice(PEOPLE)
    what = rng.choice(
        [
            "write a short poem about them",
            "explain their work to a child",
            "write a two-line summary",
            "suggest three questions to ask them",
            "translate the summary into French",
        ]
    )
    task = rng.choice(
        [
            f"Look up {name} on Wikipedia and {what}.",
            f"Find out who {name} was, then {what}.",
            f"Using Wikipedia, {what} about {name}.",
        ]
    )
    return Scenario(
        "wiki+llm",
        _vary(rng, task),
        (
            Step(
                f"Look up {name} on Wikipedia.",
                "wikipedia_search",
                name,
                _wiki(name, f"{name} (born {born}) was {summary}."),
            ),
            Step(
                f"Use the article to {what.split(' about')[0]}.",
                "llm",
                f"{what.capitalize()}: #E1",
                f"({what} — {name})",
            ),
        ),
        f"({what} — {name})",
        name,
    )


def python_then_save(rng: random.Random) -> Scenario:
    wording, code, out = _python_job(rng)
    path = rng.choice(["result.txt", "answer.txt", "math.md", "output/result.txt", "calc.txt"])
    task = rng.choice(
        [
            f"{wording.rstrip('?.')} and save the result to {path}.",
            f"{wording} Write the answer into {path}.",
            f"Compute this with Python and store it in {path}: {wording}",
        ]
    )
    return Scenario(
        "python+save",
        _vary(rng, task),
        (
            Step("Compute it with Python.", "python", code, out),
            Step(f"Save the result to {path}.", "save_file", f"{path}: #E1", _saved(path, out)),
        ),
        f"The result is {out}; saved to {path}.",
        out,
    )


def lookup_then_save(rng: random.Random) -> Scenario:
    path = rng.choice(FILE_NAMES)
    kind = rng.randrange(3)
    if kind == 0:
        name, summary = rng.choice(THINGS)
        bare = name.removeprefix("the ")
        ev = _wiki(bare, f"{bare} is {summary}.")
        first = Step(f"Look up {bare} on Wikipedia.", "wikipedia_search", bare, ev)
        task = rng.choice(
            [
                f"Look up {name} on Wikipedia and save the summary to {path}.",
                f"Save a Wikipedia summary of {name} in {path}.",
            ]
        )
    elif kind == 1:
        topic = rng.choice(VIDEO_TOPICS)
        ev, _ = _videos(rng, topic)
        first = Step(f"Search Bilibili for {topic}.", "bilibili_search", topic, ev)
        task = rng.choice(
            [
                f"Find Bilibili videos about {topic} and save the list to {path}.",
                f"Search Bilibili for {topic} and write the links into {path}.",
            ]
        )
    else:
        topic = rng.choice(TOPICS)
        ev, _ = _web(rng, topic)
        first = Step(f"Search the web for {topic}.", "web_search", topic, ev)
        task = rng.choice(
            [
                f"Search the web for {topic} and save the results to {path}.",
                f"Find articles about {topic} online and keep them in {path}.",
            ]
        )
    return Scenario(
        "lookup+save",
        _vary(rng, task),
        (
            first,
            Step(f"Save the results to {path}.", "save_file", f"{path}: #E1", _saved(path, ev)),
        ),
        f"Saved the results to {path}.",
        path,
    )


def compare_two(rng: random.Random) -> Scenario:
    (a, sa, ba), (b, sb, bb) = rng.sample(PEOPLE, 2)
    task = rng.choice(
        [
            f"Compare {a} and {b}.",
            f"Who was born first, {a} or {b}?",
            f"What do {a} and {b} have in common? Use Wikipedia.",
            _ask(rng, f"look up {a} and {b} on Wikipedia and compare them"),
        ]
    )
    return Scenario(
        "compare",
        _vary(rng, task),
        (
            Step(
                f"Look up {a} on Wikipedia.",
                "wikipedia_search",
                a,
                _wiki(a, f"{a} (born {ba}) was {sa}."),
            ),
            Step(
                f"Look up {b} on Wikipedia.",
                "wikipedia_search",
                b,
                _wiki(b, f"{b} (born {bb}) was {sb}."),
            ),
            Step(
                "Compare the two.",
                "llm",
                "Compare these two people: #E1 and #E2",
                f"(comparison of {a} and {b})",
            ),
        ),
        f"{a} (born {ba}) was {sa}; {b} (born {bb}) was {sb}.",
        ba,
    )


def wiki_then_web(rng: random.Random) -> Scenario:
    film, director = rng.choice(FILMS)
    task = rng.choice(
        [
            f"Who directed {film}? Then find recent news about that director.",
            f"Find the director of {film} and search the web for their latest project.",
        ]
    )
    ev, headline = _web(rng, director)
    return Scenario(
        "wiki+web",
        _vary(rng, task),
        (
            Step(
                f"Find the director of {film}.",
                "wikipedia_search",
                f"{film} film director",
                _wiki(f"{film} (film)", f"{film} is a film directed by {director}."),
            ),
            Step(
                "Search the web for news about that director.", "web_search", "#E1 latest news", ev
            ),
        ),
        f'{film} was directed by {director}; recent news: "{headline}".',
        director,
    )


def time_then_llm(rng: random.Random) -> Scenario:
    city = rng.choice(list(CITIES))
    task = rng.choice(
        [
            f"What time is it in {city}, and is it a good time to call someone there?",
            f"Check the time in {city} and tell me whether shops are likely open.",
        ]
    )
    ev, hhmm = _fake_time(rng, city)
    return Scenario(
        "time+llm",
        _vary(rng, task),
        (
            Step(f"Get the current time in {city}.", "get_current_time", city, ev),
            Step(
                "Judge the time.",
                "llm",
                "Given the local time #E1, answer: " + task.split(",")[-1].strip(),
                f"(judgement for {hhmm})",
            ),
        ),
        f"It is {hhmm} in {city}. (judgement for {hhmm})",
        hhmm,
    )


def web_and_video(rng: random.Random) -> Scenario:
    topic = rng.choice(TOPICS)
    task = rng.choice(
        [
            f"Find news about {topic} and also videos about it on Bilibili.",
            f"Search both the web and Bilibili for {topic}.",
        ]
    )
    ev, headline = _web(rng, topic)
    vids, first = _videos(rng, topic)
    return Scenario(
        "web+video",
        _vary(rng, task),
        (
            Step(f"Search the web for {topic}.", "web_search", topic, ev),
            Step(f"Search Bilibili for {topic}.", "bilibili_search", topic, vids),
        ),
        f'News: "{headline}". Bilibili: "{first}".',
        headline,
    )
