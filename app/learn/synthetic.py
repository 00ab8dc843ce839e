"""Synthetic training tasks: templates × entities × the built-in tools → plans and answers.

Each *family* below writes one kind of task in many wordings and returns a ``Scenario``:
the task, the plan the planner should write for it (one to three steps, ``#E`` references
where a step needs an earlier result), and for the solver the evidence each step returns
and the answer that carries its key fact. Evidence comes from the real tools where they are
deterministic (the sample films database, Python arithmetic done here, the time format of
``get_current_time``) and from realistic stand-ins in each tool's output format otherwise.

Deterministic for a seed. The entities here are the *training* pools; the evaluation split
(``app/learn/data/planner_eval.jsonl``) is written by hand with other entities and other
phrasings, and a test keeps the two apart.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

SAMPLE_DB = Path(__file__).resolve().parent.parent / "data" / "films.sqlite3"


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


# -- entity pools (training only) ---------------------------------------------------------

CITIES = {
    "Tokyo": ("Asia/Tokyo", "JST", 9),
    "Paris": ("Europe/Paris", "CET", 1),
    "London": ("Europe/London", "GMT", 0),
    "New York": ("America/New_York", "EST", -5),
    "Sydney": ("Australia/Sydney", "AEDT", 11),
    "Berlin": ("Europe/Berlin", "CET", 1),
    "Moscow": ("Europe/Moscow", "MSK", 3),
    "Dubai": ("Asia/Dubai", "+04", 4),
    "Singapore": ("Asia/Singapore", "+08", 8),
    "Los Angeles": ("America/Los_Angeles", "PST", -8),
    "Chicago": ("America/Chicago", "CST", -6),
    "Shanghai": ("Asia/Shanghai", "CST", 8),
    "Mumbai": ("Asia/Kolkata", "IST", 5.5),
    "Cairo": ("Africa/Cairo", "EET", 2),
    "Mexico City": ("America/Mexico_City", "CST", -6),
    "Toronto": ("America/Toronto", "EST", -5),
    "Madrid": ("Europe/Madrid", "CET", 1),
    "Rome": ("Europe/Rome", "CET", 1),
    "Istanbul": ("Europe/Istanbul", "+03", 3),
    "Bangkok": ("Asia/Bangkok", "+07", 7),
    "Jakarta": ("Asia/Jakarta", "WIB", 7),
    "Lagos": ("Africa/Lagos", "WAT", 1),
    "Lima": ("America/Lima", "-05", -5),
    "Auckland": ("Pacific/Auckland", "NZDT", 13),
    "Stockholm": ("Europe/Stockholm", "CET", 1),
    "Vienna": ("Europe/Vienna", "CET", 1),
    "Honolulu": ("Pacific/Honolulu", "HST", -10),
    "Denver": ("America/Denver", "MST", -7),
    "Lisbon": ("Europe/Lisbon", "WET", 0),
    "Athens": ("Europe/Athens", "EET", 2),
}
ZONES = [
    "Europe/Paris",
    "Asia/Tokyo",
    "America/New_York",
    "UTC",
    "Australia/Sydney",
    "Europe/London",
    "Asia/Kolkata",
    "America/Chicago",
]

PEOPLE = [
    ("Marie Curie", "a Polish-French physicist and chemist who won two Nobel Prizes", "1867"),
    ("Isaac Newton", "an English mathematician and physicist", "1643"),
    (
        "Ada Lovelace",
        "an English mathematician known for her work on the Analytical Engine",
        "1815",
    ),
    ("Nelson Mandela", "a South African anti-apartheid leader and president", "1918"),
    ("Frida Kahlo", "a Mexican painter known for her self-portraits", "1907"),
    ("Leonardo da Vinci", "an Italian painter, engineer and scientist of the Renaissance", "1452"),
    ("Wolfgang Amadeus Mozart", "an Austrian composer of the Classical period", "1756"),
    ("Alan Turing", "an English mathematician and pioneer of computer science", "1912"),
    ("Cleopatra", "the last active ruler of the Ptolemaic Kingdom of Egypt", "69 BC"),
    ("Charles Darwin", "an English naturalist known for the theory of evolution", "1809"),
    ("Jane Austen", "an English novelist known for Pride and Prejudice", "1775"),
    ("Nikola Tesla", "a Serbian-American inventor and electrical engineer", "1856"),
    ("Mahatma Gandhi", "an Indian lawyer and leader of the independence movement", "1869"),
    ("Galileo Galilei", "an Italian astronomer and physicist", "1564"),
    ("Ludwig van Beethoven", "a German composer and pianist", "1770"),
    ("Rosalind Franklin", "an English chemist whose X-ray images revealed DNA's structure", "1920"),
    ("Confucius", "a Chinese philosopher of the Spring and Autumn period", "551 BC"),
    ("Vincent van Gogh", "a Dutch Post-Impressionist painter", "1853"),
    ("Serena Williams", "an American tennis player with 23 Grand Slam singles titles", "1981"),
    ("Pablo Picasso", "a Spanish painter and co-founder of Cubism", "1881"),
    ("Amelia Earhart", "an American aviation pioneer", "1897"),
    ("Albert Einstein", "a German-born physicist who developed the theory of relativity", "1879"),
    ("Li Bai", "a Chinese poet of the Tang dynasty", "701"),
    ("Johann Sebastian Bach", "a German composer of the Baroque period", "1685"),
]
THINGS = [
    ("the Eiffel Tower", "a wrought-iron lattice tower in Paris, completed in 1889"),
    ("the Great Wall of China", "a series of fortifications built across northern China"),
    ("photosynthesis", "the process by which plants turn light, water and CO2 into sugar"),
    ("black holes", "regions of spacetime where gravity is so strong nothing escapes"),
    ("the Roman Empire", "the state that ruled the Mediterranean from 27 BC"),
    ("the Amazon rainforest", "the largest tropical rainforest, mostly in Brazil"),
    ("quantum computing", "computing that uses qubits and superposition"),
    ("the Mona Lisa", "a portrait painted by Leonardo da Vinci, kept in the Louvre"),
    ("Mount Everest", "Earth's highest mountain above sea level, 8,849 m"),
    ("the Python programming language", "a high-level language created by Guido van Rossum"),
    ("the French Revolution", "a period of political change in France from 1789"),
    ("the Olympic Games", "an international multi-sport event held every four years"),
    ("the Sahara", "the largest hot desert in the world, in North Africa"),
    ("blockchain", "a distributed ledger of records linked with cryptography"),
    ("the Moon landing", "the Apollo 11 landing of 20 July 1969"),
    ("the Silk Road", "a network of trade routes linking China and the Mediterranean"),
    ("jazz", "a music genre that began in New Orleans in the late 19th century"),
    ("the Taj Mahal", "a white marble mausoleum in Agra, India"),
    ("volcanoes", "openings in a planet's crust through which lava escapes"),
    ("the Renaissance", "a period of European cultural rebirth from the 14th century"),
    ("climate change", "long-term shifts in temperatures and weather patterns"),
    ("the International Space Station", "a modular space station in low Earth orbit"),
]
FILMS = [
    ("Inception", "Christopher Nolan"),
    ("Spirited Away", "Hayao Miyazaki"),
    ("Seven Samurai", "Akira Kurosawa"),
    ("Parasite", "Bong Joon-ho"),
    ("Jaws", "Steven Spielberg"),
    ("The Shining", "Stanley Kubrick"),
    ("Taxi Driver", "Martin Scorsese"),
    ("Barbie", "Greta Gerwig"),
    ("La Dolce Vita", "Federico Fellini"),
    ("The 400 Blows", "François Truffaut"),
    ("Talk to Her", "Pedro Almodóvar"),
    ("Interstellar", "Christopher Nolan"),
    ("Titanic", "James Cameron"),
    ("Pulp Fiction", "Quentin Tarantino"),
    ("The Godfather", "Francis Ford Coppola"),
    ("Amélie", "Jean-Pierre Jeunet"),
    ("In the Mood for Love", "Wong Kar-wai"),
    ("Roma", "Alfonso Cuarón"),
]
TOPICS = [
    "electric cars",
    "the James Webb telescope",
    "sourdough baking",
    "solar panels",
    "the Champions League final",
    "remote work",
    "AI regulation",
    "Mars rovers",
    "the housing market",
    "marathon training",
    "coffee prices",
    "the Nintendo Switch 2",
    "vegan recipes",
    "bird migration",
    "the World Cup",
    "open-source software",
    "cybersecurity",
    "renewable energy",
    "space tourism",
    "e-sports tournaments",
    "language learning apps",
    "urban gardening",
    "3D printing",
    "the Northern Lights",
]
VIDEO_TOPICS = [
    "cat videos",
    "Minecraft speedruns",
    "guitar lessons",
    "Chinese cooking",
    "Genshin Impact",
    "piano covers",
    "street food in Chengdu",
    "origami tutorials",
    "Lo-fi music",
    "badminton highlights",
    "calligraphy",
    "anime openings",
    "drone footage of Guilin",
    "Rubik's cube tutorials",
    "mechanical keyboards",
    "dance covers",
    "Go (weiqi) lessons",
    "retro games",
    "bonsai care",
]
FILE_NAMES = [
    "notes.txt",
    "hello.txt",
    "todo.md",
    "report.md",
    "summary.txt",
    "list.md",
    "ideas.txt",
    "reminder.txt",
    "films.md",
    "results.txt",
    "greeting.txt",
    "plan.md",
    "out/answer.txt",
    "docs/readme.md",
    "draft.txt",
    "journal.md",
    "log.txt",
    "poem.txt",
    "shopping.txt",
    "memo.md",
    "data/time.txt",
    "quotes.txt",
]
TEXTS = [
    "hello world",
    "Buy milk and eggs",
    "Meeting moved to Friday at 10",
    "Remember to call the dentist",
    "The quick brown fox jumps over the lazy dog",
    "Happy birthday, Anna!",
    "Water the plants on Sunday",
    "Project deadline: 14 March",
    "I love Python",
    "See you tomorrow",
    "Pack the umbrella",
    "Thanks for everything",
    "Version 2.1 released",
    "Lunch at noon with Sam",
    "Backup the laptop tonight",
    "To be or not to be",
    "Keep calm and carry on",
    "Finish chapter three",
]
STYLES = [
    ("a haiku about {x}", "haiku"),
    ("a short poem about {x}", "poem"),
    ("a slogan for {x}", "slogan"),
    ("three name ideas for {x}", "names"),
    ("a limerick about {x}", "limerick"),
    ("a one-line joke about {x}", "joke"),
    ("a tweet announcing {x}", "tweet"),
    ("a short motivational quote about {x}", "quote"),
]
LLM_SUBJECTS = [
    "autumn leaves",
    "a coffee shop",
    "a lost cat",
    "Monday mornings",
    "the ocean",
    "a bakery called Sunrise",
    "rainy days",
    "a robot learning to dance",
    "the city at night",
    "a new bicycle brand",
    "friendship",
    "spring flowers",
    "a library",
]
LANGUAGES = ["French", "Spanish", "German", "Chinese", "Japanese", "Italian", "Portuguese"]
PHRASES = [
    "Good morning",
    "Where is the train station?",
    "Thank you very much",
    "I would like a coffee",
    "How are you?",
    "The weather is nice today",
]
CONCEPTS = [
    "recursion",
    "inflation",
    "gravity",
    "how vaccines work",
    "machine learning",
    "supply and demand",
    "the water cycle",
    "compound interest",
    "DNA",
    "entropy",
]

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
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines), rows


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


_SQL_FAMILIES: list[Callable[[random.Random], tuple[str, str, str]]] = []


def _sql_family(
    fn: Callable[[random.Random], tuple[str, str, str]],
) -> Callable[[random.Random], tuple[str, str, str]]:
    _SQL_FAMILIES.append(fn)
    return fn


@_sql_family
def _films_of(rng: random.Random) -> tuple[str, str, str]:
    directors, _ = _db()
    _id, name, _born, _country = rng.choice(directors)
    task = rng.choice(
        [
            f"Which films by {name} are in the sample database?",
            f"List {name}'s films from the films database.",
            _ask(rng, f"query the database for the movies of {name}"),
            f"What movies of {name} does the films table have?",
            f"From the sample database, show all films directed by {name} with their years.",
        ]
    )
    sql = (
        "SELECT title, year FROM films JOIN directors ON films.director_id = directors.id "
        f"WHERE directors.name = '{name}' ORDER BY year"
    )
    return task, sql, f"List the films of {name} in the database."


@_sql_family
def _count_films(rng: random.Random) -> tuple[str, str, str]:
    task = rng.choice(
        [
            "How many films are in the sample database?",
            "Count the films in the films database.",
            "How many movies does the database hold?",
            _ask(rng, "count the rows of the films table"),
        ]
    )
    return task, "SELECT COUNT(*) AS films FROM films", "Count the films in the database."


@_sql_family
def _from_country(rng: random.Random) -> tuple[str, str, str]:
    directors, _ = _db()
    country = rng.choice(sorted({d[3] for d in directors}))
    task = rng.choice(
        [
            f"Which directors in the database are from {country}?",
            f"List the directors from {country} in the sample database.",
            f"Query the films database for directors born in {country}.",
        ]
    )
    sql = f"SELECT name, born FROM directors WHERE country = '{country}'"
    return task, sql, f"Find the directors from {country}."


@_sql_family
def _after_year(rng: random.Random) -> tuple[str, str, str]:
    year = rng.choice(range(1950, 2021, 5))
    task = rng.choice(
        [
            f"Which films in the database came out after {year}?",
            f"List films released since {year} from the sample database.",
            f"Show database films newer than {year}.",
        ]
    )
    sql = f"SELECT title, year FROM films WHERE year > {year} ORDER BY year"
    return task, sql, f"List the films released after {year}."


@_sql_family
def _oldest(rng: random.Random) -> tuple[str, str, str]:
    task = rng.choice(
        [
            "Who is the oldest director in the sample database?",
            "Find the earliest-born director in the films database.",
            "Which director in the database was born first?",
        ]
    )
    return (
        task,
        "SELECT name, born FROM directors ORDER BY born LIMIT 1",
        "Find the oldest director.",
    )


@_sql_family
def _most_films(rng: random.Random) -> tuple[str, str, str]:
    task = rng.choice(
        [
            "Which director has the most films in the database?",
            "Who directed the most movies in the sample database?",
            "Rank directors in the films database by number of films.",
        ]
    )
    sql = (
        "SELECT directors.name, COUNT(*) AS films FROM films JOIN directors ON "
        "films.director_id = directors.id GROUP BY directors.name ORDER BY films DESC"
    )
    return task, sql, "Count the films of each director."


@_sql_family
def _film_year(rng: random.Random) -> tuple[str, str, str]:
    _, films = _db()
    title, _year, _d = rng.choice(films)
    safe = title.replace("'", "''")
    task = rng.choice(
        [
            f"In which year was {title} released, according to the database?",
            f"Look up the year of {title} in the films database.",
            f"When did {title} come out? Check the sample database.",
        ]
    )
    return (
        task,
        f"SELECT title, year FROM films WHERE title = '{safe}'",
        f"Find the year of {title}.",
    )


def sql_one(rng: random.Random) -> Scenario:
    task, sql, plan = rng.choice(_SQL_FAMILIES)(rng)
    table, rows = sql_table(sql)
    key = str(rows[0][0]) if rows else ""
    if not rows:
        answer = "The database has no matching rows."
    elif len(rows) == 1 and len(rows[0]) == 1:
        answer = f"The answer is {rows[0][0]}."
    else:
        answer = (
            "From the database: "
            + "; ".join(", ".join(str(v) for v in row) for row in rows[:8])
            + "."
        )
    return Scenario("sql", _vary(rng, task), (Step(plan, "sql_query", sql, table),), answer, key)


def llm_one(rng: random.Random) -> Scenario:
    roll = rng.random()
    if roll < 0.45:
        pattern, kind = rng.choice(STYLES)
        subject = rng.choice(LLM_SUBJECTS)
        what = pattern.format(x=subject)
        task = rng.choice(
            [
                _ask(rng, f"write {what}"),
                f"Compose {what}.",
                f"I need {what}.",
                f"Give me {what}",
                f"write me {what}",
            ]
        )
        query = f"Write {what}."
        out = f"({kind} about {subject})"
    elif roll < 0.7:
        phrase, lang = rng.choice(PHRASES), rng.choice(LANGUAGES)
        task = rng.choice(
            [
                f"Translate '{phrase}' into {lang}.",
                f'How do you say "{phrase}" in {lang}?',
                _ask(rng, f"translate {phrase} to {lang}"),
            ]
        )
        query = f"Translate '{phrase}' into {lang}."
        out = f"({lang} translation of '{phrase}')"
    else:
        concept = rng.choice(CONCEPTS)
        task = rng.choice(
            [
                f"Explain {concept} in simple terms.",
                _ask(rng, f"explain {concept} to a child"),
                f"What is {concept}? Keep it short.",
                f"Describe {concept} in two sentences.",
            ]
        )
        query = f"Explain {concept} simply and briefly."
        out = f"({concept} explained simply)"
    return Scenario(
        "llm", _vary(rng, task), (Step("Ask the language model.", "llm", query, out),), out, out
    )


def save_one(rng: random.Random) -> Scenario:
    path, text = rng.choice(FILE_NAMES), rng.choice(TEXTS)
    task = rng.choice(
        [
            f"Save the text '{text}' to {path}.",
            f'Write "{text}" into a file called {path}.',
            _ask(rng, f"create {path} with the content: {text}"),
            f"Put '{text}' in {path}.",
            f"Make a file named {path} that says {text}.",
            f"save '{text}' as {path}",
            f'Store the note "{text}" in {path}.',
            _ask(rng, f"write {text} to {path}"),
        ]
    )
    task = _vary(rng, task)
    if task == task.lower():
        text, path = text.lower(), path.lower()
    return Scenario(
        "save",
        task,
        (
            Step(
                rng.choice([f"Save the text to {path}.", f"Write the note into {path}."]),
                "save_file",
                f"{path}: {text}",
                _saved(path, text),
            ),
        ),
        f"Saved the text to {path} in the workspace.",
        path,
    )


def _python_job(rng: random.Random) -> tuple[str, str, str]:
    """(task wording, code, printed output) for a small computation."""
    kind = rng.randrange(8)
    if kind == 0:
        n = rng.randint(5, 20)
        return (
            rng.choice(
                [f"What is {n} factorial?", f"Compute {n}!", f"Calculate the factorial of {n}."]
            ),
            f"import math; print(math.factorial({n}))",
            str(math.factorial(n)),
        )
    if kind == 1:
        a, b = rng.randint(2, 9), rng.randint(10, 64)
        return (
            rng.choice(
                [
                    f"What is {a} to the power of {b}?",
                    f"Calculate {a}**{b}.",
                    f"Compute {a} raised to {b}.",
                ]
            ),
            f"print({a}**{b})",
            str(a**b),
        )
    if kind == 2:
        n = rng.choice([100, 200, 500, 1000, 50])
        return (
            rng.choice(
                [
                    f"Sum the numbers from 1 to {n}.",
                    f"What is 1 + 2 + ... + {n}?",
                    f"Add up every integer up to {n}.",
                ]
            ),
            f"print(sum(range(1, {n} + 1)))",
            str(n * (n + 1) // 2),
        )
    if kind == 3:
        n = rng.randint(10, 30)
        a, b = 0, 1
        for _ in range(n):
            a, b = b, a + b
        return (
            rng.choice([f"What is the {n}th Fibonacci number?", f"Compute Fibonacci number {n}."]),
            f"print(round(((1 + 5**0.5) / 2)**{n} / 5**0.5))",
            str(a),
        )
    if kind == 4:
        word = rng.choice(["stressed", "Python", "smart agent", "desserts", "racecar", "hello"])
        return (
            rng.choice([f"Reverse the string '{word}'.", f"Write '{word}' backwards."]),
            f"print(''.join(reversed('{word}')))",
            word[::-1],
        )
    if kind == 5:
        n = rng.randint(50, 500)
        primes = [p for p in range(2, n + 1) if all(p % d for d in range(2, int(p**0.5) + 1))]
        return (
            rng.choice(
                [f"How many prime numbers are there below {n + 1}?", f"Count the primes up to {n}."]
            ),
            f"print(sum(all(p % d for d in range(2, int(p**0.5) + 1)) for p in range(2, {n} + 1)))",
            str(len(primes)),
        )
    if kind == 6:
        a, b = rng.randint(100, 9999), rng.randint(100, 9999)
        return (
            rng.choice(
                [f"Multiply {a} by {b}.", f"What is {a} times {b}?", f"Calculate {a} * {b}."]
            ),
            f"print({a} * {b})",
            str(a * b),
        )
    x = rng.randint(2, 9999)
    return (
        rng.choice([f"What is the square root of {x}?", f"Compute sqrt({x}) to 4 decimals."]),
        f"import math; print(round(math.sqrt({x}), 4))",
        str(round(math.sqrt(x), 4)),
    )


def python_one(rng: random.Random) -> Scenario:
    wording, code, out = _python_job(rng)
    task = rng.choice(
        [
            wording,
            f"Use Python: {wording[0].lower() + wording[1:]}",
            f"{wording} Run some code to be sure.",
            wording,
        ]
    )
    return Scenario(
        "python",
        _vary(rng, task),
        (
            Step(
                rng.choice(["Compute it with Python.", "Calculate the result in Python."]),
                "python",
                code,
                out,
            ),
        ),
        f"The result is {out}.",
        out,
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


FAMILIES: tuple[tuple[Family, float], ...] = (
    (time_one, 8),
    (time_zone, 2),
    (time_two, 3),
    (wiki_one, 8),
    (film_director_wiki, 3),
    (web_one, 7),
    (video_one, 7),
    (sql_one, 9),
    (llm_one, 7),
    (save_one, 9),
    (python_one, 8),
    (wiki_then_video, 3),
    (sql_then_save, 4),
    (time_then_save, 3),
    (web_then_llm, 3),
    (wiki_then_llm, 3),
    (python_then_save, 3),
    (lookup_then_save, 4),
    (compare_two, 2),
    (wiki_then_web, 2),
    (time_then_llm, 2),
    (web_and_video, 2),
)


def scenarios(n: int, seed: int) -> list[Scenario]:
    """``n`` scenarios drawn over the families by weight; the same for the same seed."""
    rng = random.Random(seed)
    families = [f for f, _ in FAMILIES]
    weights = [w for _, w in FAMILIES]
    return [rng.choices(families, weights)[0](rng) for _ in range(n)]


def failed(rng: random.Random, scenario: Scenario) -> Scenario:
    """The same task where one step failed or was denied: the answer must say so."""
    index = rng.randrange(len(scenario.steps))
    step = scenario.steps[index]
    if step.tool == "save_file" and rng.random() < 0.5:
        text, reason = "denied: the person refused this call", "you did not allow saving the file"
    else:
        reason = rng.choice(
            ["the service could not be reached", "the request timed out", "no results were found"]
        )
        text = f"error: {reason}"
    steps = list(scenario.steps)
    steps[index] = Step(step.plan, step.tool, step.input, text)
    for later in range(index + 1, len(steps)):
        if f"#E{index + 1}" in steps[later].input:
            s = steps[later]
            steps[later] = Step(
                s.plan, s.tool, s.input, f"skipped: it needs #E{index + 1}, which did not succeed"
            )
    answer = f"I could not complete the task: step {index + 1} ({step.tool}) failed — {reason}."
    return Scenario(scenario.family + ":failed", scenario.task, tuple(steps), answer, "could not")
