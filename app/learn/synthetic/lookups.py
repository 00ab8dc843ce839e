"""One-step task families that look something up: time, Wikipedia, web, Bilibili."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from .entities import CITIES, FILMS, PEOPLE, THINGS, TOPICS, VIDEO_TOPICS, ZONES
from .scenario import Scenario, Step, _ask, _fake_time, _vary, _videos, _web, _wiki

# -- families ----------------------------------------------------------------------------

Family = Callable[[random.Random], Scenario]


def time_one(rng: random.Random) -> Scenario:
    city = rng.choice(list(CITIES))
    task = rng.choice(
        [
            f"What time is it in {city}?",
            f"what's the time in {city} right now",
            _ask(rng, f"tell me the current time in {city}"),
            f"Current time in {city}?",
            f"Is it day or night in {city} at the moment?",
            f"What is today's date in {city}?",
            f"Check the clock in {city} for me.",
            f"I have a friend in {city}. What time is it there?",
            f"How late is it in {city} now?",
            f"time in {city}",
            _ask(rng, f"find out what day and time it is in {city}"),
        ]
    )
    plan = rng.choice(
        [
            f"Get the current time in {city}.",
            f"Look up the local time in {city}.",
            f"Find the current date and time in {city}.",
        ]
    )
    evidence, hhmm = _fake_time(rng, city)
    day = evidence.split("(")[1].split(",")[1].strip(" )")
    answer = rng.choice(
        [
            f"It is {hhmm} in {city} ({day}, {evidence[:10]}).",
            f"The current time in {city} is {hhmm} on {day}.",
            f"In {city} it is {hhmm}, {day} {evidence[:10]}.",
        ]
    )
    return Scenario(
        "time", _vary(rng, task), (Step(plan, "get_current_time", city, evidence),), answer, hhmm
    )


def time_zone(rng: random.Random) -> Scenario:
    zone = rng.choice(ZONES)
    task = rng.choice(
        [
            f"What time is it in the {zone} time zone?",
            f"Give me the time in {zone}.",
            f"Current date and time for {zone}, please.",
            f"time now in {zone}?",
        ]
    )
    moment = datetime(2026, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
    evidence = f"{moment:%Y-%m-%d %H:%M:%S} {zone.split('/')[-1][:3].upper()} ({zone}, {moment:%A})"
    hhmm = f"{moment:%H:%M}"
    return Scenario(
        "time",
        _vary(rng, task),
        (Step(f"Get the current time in {zone}.", "get_current_time", zone, evidence),),
        f"It is {hhmm} in {zone} ({moment:%A}).",
        hhmm,
    )


def time_two(rng: random.Random) -> Scenario:
    a, b = rng.sample(list(CITIES), 2)
    task = rng.choice(
        [
            f"What time is it in {a} and in {b}?",
            f"Compare the time in {a} and {b}.",
            _ask(rng, f"tell me the current time in both {a} and {b}"),
            f"I'm in {a} and calling {b} — what time is it in each city?",
        ]
    )
    ea, ta = _fake_time(rng, a)
    eb, tb = _fake_time(rng, b)
    return Scenario(
        "time2",
        _vary(rng, task),
        (
            Step(f"Get the current time in {a}.", "get_current_time", a, ea),
            Step(f"Get the current time in {b}.", "get_current_time", b, eb),
        ),
        f"It is {ta} in {a} and {tb} in {b}.",
        ta,
    )


def wiki_one(rng: random.Random) -> Scenario:
    if rng.random() < 0.55:
        name, summary, born = rng.choice(PEOPLE)
        task = rng.choice(
            [
                f"Who was {name}?",
                f"Tell me about {name}.",
                _ask(rng, f"look up {name} on Wikipedia"),
                f"When was {name} born?",
                f"Give me a short biography of {name}.",
                f"What is {name} famous for?",
                f"Find the Wikipedia article on {name}.",
                f"who is {name}",
                _ask(rng, f"summarize the life of {name}"),
                f"What does Wikipedia say about {name}?",
            ]
        )
        text = f"{name} (born {born}) was {summary}."
        key = born if "born" in task else summary.split()[1]
        answer = f"{name} (born {born}) was {summary}."
        query = name
    else:
        name, summary = rng.choice(THINGS)
        bare = name.removeprefix("the ")
        task = rng.choice(
            [
                f"What is {name}?",
                f"Tell me about {name}.",
                _ask(rng, f"look up {name} on Wikipedia"),
                f"Explain {name} using Wikipedia.",
                f"Give me the Wikipedia summary of {name}.",
                f"what do you know about {name} from wikipedia",
                f"Find facts about {name}.",
                f"Where can I read about {name}? Summarize the Wikipedia article.",
            ]
        )
        text = f"{bare[0].upper() + bare[1:]} is {summary}."
        key = summary.split()[-1]
        answer = f"{bare[0].upper() + bare[1:]} is {summary}."
        query = bare
    plan = rng.choice(
        [
            f"Search Wikipedia for {query}.",
            f"Look up {query} on Wikipedia.",
            f"Find the Wikipedia article about {query}.",
        ]
    )
    return Scenario(
        "wiki",
        _vary(rng, task),
        (Step(plan, "wikipedia_search", query, _wiki(query, text)),),
        answer,
        key,
    )


def film_director_wiki(rng: random.Random) -> Scenario:
    film, director = rng.choice(FILMS)
    task = rng.choice(
        [
            f"Who directed {film}?",
            f"Who is the director of {film}?",
            f"Find out who made the film {film}.",
            f"{film} — who directed it?",
        ]
    )
    text = f"{film} is a film directed by {director}."
    return Scenario(
        "wiki",
        _vary(rng, task),
        (
            Step(
                f"Find the director of {film} on Wikipedia.",
                "wikipedia_search",
                f"{film} film",
                _wiki(f"{film} (film)", text),
            ),
        ),
        f"{film} was directed by {director}.",
        director,
    )


def web_one(rng: random.Random) -> Scenario:
    topic = rng.choice(TOPICS)
    task = rng.choice(
        [
            _ask(rng, f"search the web for {topic}"),
            f"What's the latest news about {topic}?",
            f"Find recent articles on {topic}.",
            f"Look online for information about {topic}.",
            f"google {topic}",
            f"What are people saying online about {topic}?",
            _ask(rng, f"find reviews of {topic}"),
            f"Any news on {topic} today?",
            f"Search the internet: {topic}",
            _ask(rng, f"do a web search about {topic}"),
        ]
    )
    query = (
        topic
        if rng.random() < 0.6
        else rng.choice([f"{topic} news", f"latest {topic}", f"{topic} 2026"])
    )
    evidence, headline = _web(rng, query)
    plan = rng.choice([f"Search the web for {topic}.", f"Find recent web results about {topic}."])
    return Scenario(
        "web",
        _vary(rng, task),
        (Step(plan, "web_search", query, evidence),),
        f'The top result is "{headline}" — it covers {query}.',
        headline,
    )


def video_one(rng: random.Random) -> Scenario:
    topic = rng.choice(VIDEO_TOPICS + [f[0] for f in FILMS])
    task = rng.choice(
        [
            _ask(rng, f"find videos about {topic} on Bilibili"),
            f"Search Bilibili for {topic}.",
            f"Any Bilibili clips of {topic}?",
            f"I want to watch {topic} videos on bilibili.",
            f"Show me Bilibili videos of {topic}",
            f"bilibili {topic}",
            f"Look up {topic} on Bilibili and list a few videos.",
            f"What are the popular Bilibili videos about {topic}?",
        ]
    )
    evidence, first = _videos(rng, topic)
    return Scenario(
        "video",
        _vary(rng, task),
        (
            Step(
                rng.choice(
                    [
                        f"Search Bilibili for videos about {topic}.",
                        f"Find {topic} videos on Bilibili.",
                    ]
                ),
                "bilibili_search",
                topic,
                evidence,
            ),
        ),
        f'On Bilibili I found "{first}" and more; the links are above.',
        first,
    )
