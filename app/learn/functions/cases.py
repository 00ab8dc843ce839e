"""Caller cases: a family or a product tool, a request, the expected call."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.tools.registry import Tool

from .families import FAMILIES
from .pools import _pool
from .samplers import MENTION, PRODUCT_SHARE, SPLITS, held_out, say_int
from .spec import Family, Param


@dataclass(frozen=True)
class CallerCase:
    tool: Tool
    plan: str  # the plan step the call belongs to
    request: str  # what follows "Call <tool> with:"
    arguments: dict[str, Any]  # only what the request determines
    distractors: tuple[Tool, ...] = ()  # other functions listed beside it


def _never_called(**arguments: Any) -> str:
    """The tools of training cases are listed to the caller, never run."""
    raise NotImplementedError("a training case's function is not meant to be called")



# ---------------------------------------------------------------------------- family cases

_SLOT = re.compile(r"\{(\w+)\}")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_DEFAULT_STYLES = (
    "{text}. Default is {value}.", "{text} (default: {value}).", "{text}; defaults to {value}.",
    "{text}. Optional, default {value}.",
)
_WRAPS = {
    "train": (
        ("Quick question: ", ""), ("", " Thanks!"), ("Hi! ", ""), ("", " Thank you."),
        ("For a project I'm doing: ", ""), ("Hello! ", ""), ("", " Thanks in advance."),
    ),
    "eval": (("Hello there. ", ""), ("", " Much appreciated."), ("Just wondering: ", "")),
}


def _keys(template: str) -> list[str]:
    return _SLOT.findall(template)


def fixed_keys(template: str) -> list[str]:
    """The slots outside optional segments: always said when the template is used."""
    return _keys(_SEGMENT.sub("", template))


def family_problems(family: Family) -> list[str]:
    """What is wrong with a family's declaration (checked by the tests)."""
    problems = []
    params = {p.key: p for p in family.params}
    required = {p.key for p in family.params if p.required}
    for template in family.train + family.eval:
        for key in _keys(template):
            if key not in params:
                problems.append(f"{family.names[0]}: unknown slot {{{key}}} in {template!r}")
        missing = required - set(fixed_keys(template))
        if missing:
            problems.append(f"{family.names[0]}: {template!r} does not always say {missing}")
    if len(family.train) < 4 or not family.eval:
        problems.append(f"{family.names[0]}: needs at least 4 train and 1 eval template")
    return problems


def _describe(param: Param, rng: random.Random) -> str:
    text_ = param.description
    if param.default is not None:
        if isinstance(param.default, str):
            value = rng.choice((f"'{param.default}'", param.default, f'"{param.default}"'))
        else:
            value = json.dumps(param.default)
        return rng.choice(_DEFAULT_STYLES).format(text=text_.rstrip("."), value=value)
    if not param.required and rng.random() < 0.3:
        return f"{text_.rstrip('.')} (optional)."
    return text_


def family_tool(family: Family, rng: random.Random) -> tuple[Tool, dict[str, str]]:
    """One variant of the family's function, and each parameter key's name in it.

    A variant picks a name, a description, one naming style for the parameters and which
    optional parameters exist at all, so the same family is listed in several shapes.
    """
    style = rng.randrange(3)
    properties: dict[str, Any] = {}
    required: list[str] = []
    names: dict[str, str] = {}
    for param in family.params:
        if not param.required and rng.random() >= param.present:
            continue
        name = param.names[style % len(param.names)]
        spec: dict[str, Any] = {"type": param.type, "description": _describe(param, rng)}
        if param.items:
            spec["items"] = {"type": param.items}
        if param.enum:
            spec["enum"] = list(param.enum)
        if param.default is not None:
            spec["default"] = param.default
        properties[name] = spec
        names[param.key] = name
        if param.required:
            required.append(name)
    parameters = {
        "type": "object", "properties": properties, "required": required,
        "additionalProperties": False,
    }
    tool = Tool(
        name=rng.choice(family.names), description=rng.choice(family.descriptions),
        parameters=parameters, function=_never_called,
    )
    return tool, names


def _fill(said: str, shown: dict[str, str]) -> str:
    """The template with its slots filled; the template's "a" becomes "an" before a vowel."""
    parts: list[str] = []
    end = 0
    for match in _SLOT.finditer(said):
        before = said[end:match.start()]
        value = shown[match.group(1)]
        if value[:1].lower() in ("a", "e", "i", "o", "u") and re.search(r"(^|\s)[aA] $", before):
            before = before[:-2] + before[-2] + "n "
        parts += [before, value]
        end = match.end()
    return "".join(parts) + said[end:]


def _wrap(request: str, rng: random.Random, split: str) -> str:
    """Now and then some politeness around the request, which the caller must look past."""
    if rng.random() >= 0.2:
        return request
    before, after = rng.choice(_WRAPS[split])
    if after and request[-1:] not in ".?!\"')]":
        request += "."
    return before + request + after


def _family_case(family: Family, rng: random.Random, split: str) -> CallerCase:
    tool, names = family_tool(family, rng)
    usable = [t for t in family.templates(split) if set(fixed_keys(t)) <= names.keys()]
    template = rng.choice(usable)
    chosen = set(fixed_keys(template))
    for key in dict.fromkeys(_keys(template)):
        if key in names and key not in chosen and rng.random() < MENTION:
            chosen.add(key)
    said = _SEGMENT.sub(lambda m: m.group(1) if set(_keys(m.group(1))) <= chosen else "", template)
    mentioned = [p for p in family.params if p.key in set(_keys(said))]
    for _ in range(50):
        drawn = {p.key: p.sample(rng, split) for p in mentioned}
        values = {key: value for key, (value, _) in drawn.items()}
        if family.check is None or family.check(values):
            break
    else:
        raise RuntimeError(f"{family.names[0]}: no valid values after 50 tries")
    if template.startswith("[") and said[:1].islower():  # the opening segment was left out
        said = said[0].upper() + said[1:]
    request = _fill(said, {key: shown for key, (_, shown) in drawn.items()})
    return CallerCase(
        tool=tool,
        plan=rng.choice(family.plans),
        request=_wrap(request, rng, split),
        arguments={names[p.key]: values[p.key] for p in mentioned},
    )


# ---------------------------------------------------------------------------- product tools

_FILMS = (
    ("Jaws", 1975), ("Alien", 1979), ("Spirited Away", 2001), ("Casablanca", 1942),
    ("The Matrix", 1999), ("Parasite", 2019), ("Amélie", 2001), ("Seven Samurai", 1954),
    ("Arrival", 2016), ("Vertigo", 1958), ("Metropolis", 1927), ("Coco", 2017),
    ("Whiplash", 2014), ("Inception", 2010), ("The Godfather", 1972), ("Paddington 2", 2017),
    ("Roma", 2018), ("In the Mood for Love", 2000), ("Moonlight", 2016), ("Get Out", 2017),
)
_TABLES: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = (
    (("City", "Country", "Population (millions)"),
     (("Tokyo", "Japan", "37.4"), ("Delhi", "India", "32.9"), ("Shanghai", "China", "29.2"),
      ("São Paulo", "Brazil", "22.6"), ("Cairo", "Egypt", "22.2"), ("Lagos", "Nigeria", "15.9"))),
    (("Planet", "Diameter (km)", "Moons"),
     (("Mercury", "4,879", "0"), ("Venus", "12,104", "0"), ("Earth", "12,742", "1"),
      ("Mars", "6,779", "2"), ("Jupiter", "139,820", "95"), ("Neptune", "49,244", "16"))),
    (("Item", "Price", "Qty"),
     (("Notebook", "3.50", "4"), ("Pens (10)", "5.99", "2"), ("Stapler", "12.00", "1"),
      ("Folder", "1.20", "10"), ("Tape", "2.75", "3"))),
    (("Name", "Role", "Start date"),
     (("Anna Berg", "Designer", "2023-02-01"), ("Kofi Mensah", "Engineer", "2022-09-15"),
      ("Lena Vogel", "Manager", "2021-04-12"), ("Omar Haddad", "Analyst", "2024-01-08"))),
    (("Director", "Film", "Year"),
     (("Hayao Miyazaki", "Spirited Away", "2001"), ("Bong Joon-ho", "Parasite", "2019"),
      ("Agnès Varda", "Cléo from 5 to 7", "1962"), ("Akira Kurosawa", "Ikiru", "1952"),
      ("Greta Gerwig", "Lady Bird", "2017"))),
)
_NOTES = _pool(
    "The meeting is moved to Thursday at 10.|Remember to send the invoice before the 5th."
    "|Water boils at 100 °C at sea level.|Ada Lovelace wrote the first published algorithm."
    "|The cheapest flight leaves at 06:40 and costs 89 EUR.|Bring the charger and the HDMI cable."
    "|Mount Everest is 8,849 m high.|Our budget for Q3 is 12,000 USD."
    "|The train to Lyon takes about two hours.|Jaws was directed by Steven Spielberg in 1975."
    "|Call the landlord about the heating.|The library closes early on Saturdays."
)
_TODO = _pool(
    "buy milk and eggs|call the dentist|renew the passport|water the plants|book the hotel"
    "|pay the electricity bill|return the library books|fix the bike light|email Anna"
    "|pick up the parcel|clean the fridge|order printer ink"
)
_CONTACTS = (
    ("Name", "Anna Berg"), ("Phone", "+44 20 7946 0958"), ("Email", "anna.berg@example.com"),
    ("Address", "12 Harbour Street, Leith"), ("Wi-Fi", "GuestNet / sunflower42"),
    ("Check-in", "15:00"), ("Booking ref", "HX72Q9"), ("Notes", "ring twice"),
)


def _some(rng: random.Random, pool: Sequence[Any], split: str, most: int) -> list[Any]:
    """Two to ``most`` distinct items of the split's share of ``pool``."""
    items = list(held_out(pool, split))
    return rng.sample(items, min(rng.randint(2, most), len(items)))


def _film_list(rng: random.Random, split: str) -> str:
    films = _some(rng, _FILMS, split, 4)
    line = rng.choice(("- {t} ({y})", "{i}. {t} — {y}", "{t}, {y}", "* {t} [{y}]"))
    header = rng.choice(("", "", "# Films\n\n", "Films to watch:\n"))
    return header + "\n".join(line.format(i=i, t=t, y=y) for i, (t, y) in enumerate(films, 1))


def _markdown_table(rng: random.Random, split: str) -> str:
    header, rows = rng.choice(_TABLES)
    chosen = sorted(rng.sample(range(len(rows)), rng.randint(2, min(4, len(rows)))))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(rows[i]) + " |" for i in chosen]
    return "\n".join(lines)


def _csv(rng: random.Random, split: str) -> str:
    header, rows = rng.choice(_TABLES)
    chosen = sorted(rng.sample(range(len(rows)), rng.randint(2, len(rows))))
    cells = [header] + [rows[i] for i in chosen]
    return "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in cells)


def _todo(rng: random.Random, split: str) -> str:
    items = _some(rng, _TODO, split, 5)
    bullet = rng.choice(("- ", "- [ ] ", "* ", ""))
    if rng.random() < 0.3:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    return "\n".join(bullet + item for item in items)


def _note(rng: random.Random, split: str) -> str:
    return " ".join(_some(rng, _NOTES, split, 3)[: rng.randint(1, 3)])


def _details(rng: random.Random, split: str) -> str:
    fields = rng.sample(_CONTACTS, rng.randint(2, 4))
    return "\n".join(f"{key}: {value}" for key, value in fields)


_SAVE_KINDS: tuple[tuple[Callable[[random.Random, str], str], tuple[str, ...], str], ...] = (
    (_film_list, _pool(
        "films.md|lists/films.md|watchlist.md|notes/movies.txt|cinema/favourites.md"
        "|films/classics.md|movie_night.md|lists/to_watch.txt|films/2024.md|reviews/shortlist.md"
    ), "Save the list of films. | Write the film list to a file."),
    (_markdown_table, _pool(
        "tables/cities.md|report.md|data/summary.md|notes/comparison.md|planets.md|overview.md"
        "|tables/prices.md|results/table.md|research/data.md|team.md"
    ), "Save the table as markdown. | Write the table into a file."),
    (_csv, _pool(
        "data/scores.csv|out/prices.csv|budget.csv|export/results.csv|temps.csv|data/cities.csv"
        "|sales/q1.csv|inventory.csv|logs/runs.csv|survey/answers.csv"
    ), "Save the data as CSV. | Export the rows to a CSV file."),
    (_todo, _pool(
        "notes/todo.txt|shopping.txt|todo.md|lists/groceries.md|errands.txt|weekend.md"
        "|tasks/today.md|packing_list.txt|lists/chores.txt|notes/reminders.md"
    ), "Save the to-do list. | Write the list to a file."),
    (_note, _pool(
        "notes/idea.txt|summary.txt|answer.md|journal/today.md|reply.txt|quote.txt"
        "|notes/meeting.md|drafts/intro.txt|notes/facts.txt|thoughts.md"
    ), "Save the summary to a file. | Write the answer down."),
    (_details, _pool(
        "contacts/anna.txt|trip.txt|config/settings.txt|profile.md|contacts/venue.txt"
        "|notes/wifi.txt|hotel.txt|contacts/plumber.txt|booking.md|notes/address.txt"
    ), "Save the details. | Keep the information in a file."),
)
_OVERWRITE_MARKS = (
    " (overwrite)", " (overwrite existing)", " (replace)", " (replace the existing file)",
    " — overwrite",
)


def _save_file(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    content_of, paths, plans = rng.choice(_SAVE_KINDS)
    path = rng.choice(held_out(paths, split))
    content = content_of(rng, split)
    overwrite = rng.random() < 0.2
    mark = rng.choice(_OVERWRITE_MARKS) if overwrite else ""
    gap = "\n" if "\n" in content and rng.random() < 0.5 else " "
    arguments: dict[str, Any] = {"path": path, "content": content}
    if overwrite:
        arguments["overwrite"] = True
    return rng.choice(plans.split(" | ")), f"{path}{mark}:{gap}{content}", arguments


_ZONES = _pool(
    "Tokyo|Europe/Berlin|New York|Asia/Kolkata|London|America/Sao_Paulo|Sydney|Africa/Nairobi"
    "|Los Angeles|Europe/Madrid|Paris|America/Chicago|Singapore|Pacific/Auckland|Mexico City"
    "|Asia/Seoul|Cairo|UTC|Dubai|America/Toronto"
)
_TIME_FORMS = {
    "train": ("{tz}", "{tz}", "current time in {tz}", "{tz} time", "What time is it in {tz}?",
              "time now in {tz}", "the local time in {tz}"),
    "eval": ("{tz}", "clock in {tz}", "{tz}, current time"),
}
_LOCAL_TIME = {"train": ("local time", "the current time", "now", "today's date and time"),
               "eval": ("current local time", "time here")}


def _current_time(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    if rng.random() < 0.1:
        return "Get the current date and time.", rng.choice(_LOCAL_TIME[split]), {}
    tz = rng.choice(held_out(_ZONES, split))
    plan = rng.choice(("Get the current time there.", f"Find the current time in {tz}."))
    return plan, rng.choice(_TIME_FORMS[split]).format(tz=tz), {"tz": tz}


_WIKI_TOPICS = _pool(
    "Ada Lovelace|boiling point of water|Treaty of Westphalia|photosynthesis"
    "|Great Barrier Reef|Byzantine Empire|Marie Curie|plate tectonics|Rosetta Stone"
    "|history of the bicycle|Fibonacci sequence|Apollo 11|Amazon rainforest|printing press"
    "|Mount Everest|black holes|Silk Road|Frida Kahlo|the Renaissance|CRISPR|Jaws film director"
    "|Hanseatic League|Olympic Games|Nikola Tesla|Mariana Trench"
)
_WEB_QUERIES = _pool(
    "best budget laptops 2025|train strike Paris today|how to repot a monstera"
    "|Python 3.13 release notes|cheap flights Berlin to Lisbon|vegan lasagna recipe"
    "|weather Nairobi this weekend|opening hours British Museum|how to fix a leaking tap"
    "|latest Mars rover news|used bikes for sale Utrecht|symptoms of vitamin D deficiency"
    "|learn Japanese online free|electric car tax credit rules|best hiking trails near Denver"
    "|how long to boil an egg|concert tickets Madrid June|Rust vs Go performance"
    "|how to write a cover letter|museum free entry days Paris"
)
_BILIBILI_QUERIES = _pool(
    "原神 攻略|lofi music|机器学习 入门|三体 解说|guitar tutorial|cooking dumplings"
    "|日语 学习|Minecraft 建筑|高数 微积分|cat videos|深度学习 教程|vlog Tokyo"
    "|钢琴 教学|篮球 集锦"
    "|Python 爬虫|英语 口语|舞蹈 翻跳|历史 纪录片|摄影 技巧|游戏 实况"
)
_SEARCH_FORMS = {
    "train": ("{q}", "{q}", "{q} (top {k})", "{k} results for {q}", "{q}, {k} results",
              "top {k} for {q}", "{q} — give me {k}"),
    "eval": ("{q}", "{q}; limit {k}", "just {k} hits for {q}"),
}


def _search(
    pool: Sequence[str], count: str, most: int, plans: str,
) -> Callable[[random.Random, str], tuple[str, str, dict[str, Any]]]:
    """A search tool's case: the query, and a result count only when the request asks one."""

    def case(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
        query = rng.choice(held_out(pool, split))
        form = rng.choice(_SEARCH_FORMS[split])
        arguments: dict[str, Any] = {"query": query}
        shown = ""
        if "{k}" in form:
            arguments[count] = rng.randint(1, most)
            shown = say_int(arguments[count], rng)
        return rng.choice(plans.split(" | ")), form.format(q=query, k=shown), arguments

    return case


_SQL = _pool(
    "SELECT title, year FROM films WHERE year < 1980|SELECT COUNT(*) FROM films"
    "|SELECT name FROM directors ORDER BY name|SELECT title FROM films WHERE director_id = 3"
    "|SELECT name, born FROM directors WHERE country = 'Japan'"
    "|SELECT d.name, COUNT(f.id) FROM directors d JOIN films f ON f.director_id = d.id"
    " GROUP BY d.name"
    "|SELECT * FROM orders WHERE total > 500 ORDER BY total DESC LIMIT 10"
    "|SELECT customer_id, SUM(total) FROM orders GROUP BY customer_id"
    "|SELECT name, email FROM customers WHERE country = 'Germany'"
    "|SELECT product, quantity FROM stock WHERE quantity < 20"
    "|SELECT first_name, last_name FROM employees WHERE department = 'Sales'"
    "|SELECT department, AVG(salary) FROM employees GROUP BY department"
    "|SELECT title FROM books WHERE author = 'Octavia E. Butler'"
    "|SELECT COUNT(*) FROM loans WHERE returned_at IS NULL"
    "|SELECT day, visits FROM page_views WHERE day >= '2025-01-01'"
    "|SELECT title, year FROM films ORDER BY year DESC LIMIT 5"
    "|SELECT * FROM invoices WHERE status = 'overdue'"
    "|SELECT city, COUNT(*) FROM customers GROUP BY city ORDER BY 2 DESC"
    "|SELECT name FROM directors WHERE name LIKE 'S%'|SELECT MAX(total) FROM orders"
)
_DATABASES = _pool("sales|inventory|hr|films|analytics|crm|library|finance|warehouse|shop")
_SQL_FORMS = {
    "train": ("on the {db} database: {sql}", "{db} database: {sql}", "{sql} (on {db})",
              "database {db}: {sql}", "in {db}: {sql}"),
    "eval": ("using the {db} connection: {sql}", "against {db} run {sql}"),
}


def _sql_query(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    sql = rng.choice(held_out(_SQL, split))
    plan = rng.choice(("Query the database.", "Look the rows up with SQL.", "Run the SQL query."))
    if rng.random() < 0.5:
        return plan, sql, {"sql": sql}
    database = rng.choice(held_out(_DATABASES, split))
    request = rng.choice(_SQL_FORMS[split]).format(db=database, sql=sql)
    return plan, request, {"sql": sql, "database": database}


_PRODUCT_CASES: tuple[
    tuple[str, float, Callable[[random.Random, str], tuple[str, str, dict[str, Any]]]], ...
] = (
    ("save_file", 0.36, _save_file),
    ("sql_query", 0.16, _sql_query),
    ("web_search", 0.16, _search(_WEB_QUERIES, "max_results", 20,
                                 "Search the web. | Look it up online.")),
    ("wikipedia_search", 0.14, _search(_WIKI_TOPICS, "top_k", 10,
                                       "Look it up on Wikipedia. | Search Wikipedia.")),
    ("get_current_time", 0.10, _current_time),
    ("bilibili_search", 0.08, _search(_BILIBILI_QUERIES, "max_results", 20,
                                      "Search Bilibili for videos. | Find videos on Bilibili.")),
)
PRODUCT_TOOLS = tuple(name for name, _, _ in _PRODUCT_CASES)


def _product_tools() -> dict[str, Tool]:
    """The product's tools with their real schemas (imported here: they pull in HTTP code)."""
    from app.tools.builtin import builtin_tools

    return {tool.name: tool for tool in builtin_tools()}


# ---------------------------------------------------------------------------- the cases


def _distractors(
    rng: random.Random, taken: str, product: dict[str, Tool], product_share: float,
) -> tuple[Tool, ...]:
    """Zero to three other functions, so the caller sees the functions block in many shapes."""
    tools: list[Tool] = []
    names = {taken}
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        if rng.random() < product_share:
            tool = product[rng.choice(sorted(product))]
        else:
            tool = family_tool(rng.choice(FAMILIES), rng)[0]
        if tool.name not in names:
            names.add(tool.name)
            tools.append(tool)
    return tuple(tools)


def caller_cases(n: int, seed: int, *, split: str = "train") -> list[CallerCase]:
    """``n`` caller cases drawn across all families and the product tools, same for a seed.

    About a quarter call the product's own tools (save_file most often); the rest come from
    the families. ``split="eval"`` uses held-out templates and values only.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    rng = random.Random(seed)
    product = _product_tools()
    weights = [weight for _, weight, _ in _PRODUCT_CASES]
    cases = []
    for _ in range(n):
        if rng.random() < PRODUCT_SHARE:
            name, _, make = rng.choices(_PRODUCT_CASES, weights)[0]
            plan, request, arguments = make(rng, split)
            tool = product[name]
            cases.append(CallerCase(
                tool=tool, plan=plan, request=request, arguments=arguments,
                distractors=_distractors(rng, name, product, 0.6),
            ))
        else:
            case = _family_case(rng.choice(FAMILIES), rng, split)
            cases.append(replace(case, distractors=_distractors(rng, case.tool.name, product, 0.2)))
    return cases
