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

import random

from .actions import llm_one, python_one, save_one, sql_one
from .combined import (
    compare_two,
    lookup_then_save,
    python_then_save,
    sql_then_save,
    time_then_llm,
    time_then_save,
    web_and_video,
    web_then_llm,
    wiki_then_llm,
    wiki_then_video,
    wiki_then_web,
)
from .lookups import (
    Family,
    film_director_wiki,
    time_one,
    time_two,
    time_zone,
    video_one,
    web_one,
    wiki_one,
)
from .scenario import SAMPLE_DB, Scenario, Step, sql_table

__all__ = ["FAMILIES", "SAMPLE_DB", "Scenario", "Step", "failed", "scenarios", "sql_table"]


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
