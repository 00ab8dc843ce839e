"""Tool ranking: up to 12 tools nothing changes; beyond, the task's tools are kept."""

from __future__ import annotations

import json

from app.agents.rewoo_messages import ReWOOMessages, function_listing
from app.plan import parse_plan
from app.prompts import Prompts
from app.settings import Settings
from app.tools.builtin import builtin_tools
from app.tools.ranking import LIMIT, bm25, builtin_names, relevant_tools, words
from app.tools.registry import Tool, ToolRegistry


def fake(name: str, description: str) -> Tool:
    return Tool(name, description, {"type": "object", "properties": {}}, lambda: "")


def many_tools(n: int = 50) -> ToolRegistry:
    tools = builtin_tools()
    topics = ["calendar event", "github issue", "slack message", "weather forecast", "invoice"]
    for i in range(n):
        topic = topics[i % len(topics)]
        tools.add(fake(f"srv{i}__tool_{i}", f"Do thing {i} with a {topic}."))
    tools.add(fake("weather__forecast", "The weather forecast for a city, days ahead."))
    return tools


def test_up_to_the_limit_the_registry_is_used_as_it_is():
    tools = builtin_tools()
    assert len(tools) <= LIMIT
    assert relevant_tools(tools, "anything at all", builtin_names()) is tools


def test_prompts_are_unchanged_up_to_the_limit():
    """The shipped adapters were trained on these exact messages (app/learn uses them too)."""
    settings = Settings({})
    tools = builtin_tools()
    messages = ReWOOMessages(tools, settings, Prompts(settings.paths))
    planner = messages.planner("Time in Oslo?", examples=False)[0]["content"]
    listing = "\n".join(f"{t.name}[input]: {t.description}" for t in tools)
    expected = (
        Prompts(settings.paths)
        .get("rewoo_planner")
        .render(tools=listing, max_steps=settings.get("planner.max_steps"))
    )
    assert planner == expected
    step = parse_plan("Plan: p\n#E1 = get_current_time[Oslo]\n", tools.names).steps[0]
    caller = messages.caller(step, "Oslo")[0]["content"]
    functions = "\n".join(json.dumps(function_listing(t), ensure_ascii=False) for t in tools)
    assert caller == Prompts(settings.paths).get("rewoo_caller").render(functions=functions)


def test_many_tools_keep_the_built_ins_and_the_best_match():
    tools = many_tools()
    chosen = relevant_tools(tools, "What is the weather forecast for Lyon?", builtin_names())
    assert len(chosen) == LIMIT
    assert builtin_names() <= set(chosen.names)
    assert "weather__forecast" in chosen.names
    assert chosen.names == [n for n in tools.names if n in chosen.names]  # order kept


def test_a_tool_the_task_names_is_always_offered():
    tools = many_tools()
    chosen = relevant_tools(tools, "use srv7__tool_7 then tool_9 please", builtin_names())
    assert {"srv7__tool_7", "srv9__tool_9"} <= set(chosen.names)


def test_words_split_names_and_drop_filler():
    assert words("getCurrentTime of the notes__add_notes") == [
        "current",
        "time",
        "note",
        "add",
        "note",
    ]


def test_bm25_prefers_rarer_matching_words():
    tools = [fake("a", "send a slack message"), fake("b", "read a message"), fake("c", "x")]
    scores = bm25(tools, "slack message")
    assert scores["a"] > scores["b"] > scores["c"] == 0


def test_the_planner_and_caller_see_the_subset_with_many_tools():
    settings = Settings({})
    tools = many_tools()
    messages = ReWOOMessages(tools, settings, Prompts(settings.paths))
    system = messages.planner("weather forecast in Lyon", examples=False)[0]["content"]
    assert "weather__forecast[input]" in system and "srv1__tool_1[input]" not in system
    step = parse_plan("Plan: p\n#E1 = weather__forecast[Lyon]\n", tools.names).steps[0]
    caller = messages.caller(step, "Lyon")[0]["content"]
    assert '"weather__forecast"' in caller and "get_current_time" not in caller
