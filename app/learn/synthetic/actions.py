"""One-step task families that compute or write: SQL, the llm tool, save_file, Python."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from .entities import CONCEPTS, FILE_NAMES, LANGUAGES, LLM_SUBJECTS, PHRASES, STYLES, TEXTS
from .scenario import Scenario, Step, _ask, _db, _saved, _vary, sql_table

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
