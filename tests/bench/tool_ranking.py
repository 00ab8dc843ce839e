"""Tool ranking with many tools: the embedded planner (shipped adapters) on the held-out
planner tasks, with the 8 built-ins alone vs 50+ registered tools, ranking off and on.

The 50+ tools are what a person with a few MCP servers has: the real tools of
``mcp-server-time``, ``@modelcontextprotocol/server-everything``,
``@modelcontextprotocol/server-filesystem`` and the tests' notes server, started for real,
plus common servers' tools (GitHub, Slack, calendar, …) described as those servers
describe them. The eval tasks need built-ins only, so a plan that picks an MCP tool instead
is a miss: the figure is how much the crowd distracts the planner.

Prints ``name: value`` lines: tool-choice accuracy (plans holding every tool the task
needs), mean planner prompt tokens and wall time, per configuration.

Usage: ``python tests/bench/tool_ranking.py [--limit N]`` (N tasks spread over the 69)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-ranking-"))

from app.agents.rewoo import ReWOOAgent  # noqa: E402
from app.learn.teach import chose_the_tools, drain_plan, eval_tasks, spread  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.tools import ranking  # noqa: E402
from app.tools.registry import Tool  # noqa: E402
from tests.mcp_servers.fixtures import (  # noqa: E402
    NPM_SERVERS,
    everything_server,
    kill_tagged,
    notes_server,
    time_server,
    write_mcp_json,
)

# Other servers people run, their tools as those servers describe them (never called here).
COMMON = {
    "github": [
        ("create_issue", "Create a new issue in a GitHub repository"),
        ("list_issues", "List issues in a GitHub repository with filtering options"),
        ("create_pull_request", "Create a new pull request in a GitHub repository"),
        ("search_repositories", "Search for GitHub repositories"),
        ("get_file_contents", "Get the contents of a file or directory from a GitHub repository"),
        ("add_issue_comment", "Add a comment to an existing issue"),
    ],
    "slack": [
        ("post_message", "Post a new message to a Slack channel"),
        ("list_channels", "List public channels in the workspace"),
        ("get_channel_history", "Get recent messages from a channel"),
        ("add_reaction", "Add a reaction emoji to a message"),
    ],
    "calendar": [
        ("list_events", "List upcoming events in the person's calendar"),
        ("create_event", "Create a calendar event with a title, start and end time"),
        ("delete_event", "Delete a calendar event"),
    ],
    "weather": [
        ("get_forecast", "Get the weather forecast for a location"),
        ("get_alerts", "Get weather alerts for a US state"),
    ],
    "memory": [
        ("create_entities", "Create multiple new entities in the knowledge graph"),
        ("search_nodes", "Search for nodes in the knowledge graph based on a query"),
        ("read_graph", "Read the entire knowledge graph"),
    ],
    "brave": [
        ("brave_web_search", "Performs a web search using the Brave Search API"),
        ("brave_local_search", "Searches for local businesses and places"),
    ],
}


def emit(name: str, value: Any) -> None:
    print(f"{name}: {round(value, 4) if isinstance(value, float) else value}", flush=True)


def crowd(runtime: Runtime, tag: str, state: Path) -> int:
    """Start the real MCP servers and add the common servers' tools; tools registered."""
    files = state / "files"
    files.mkdir(parents=True, exist_ok=True)
    filesystem = NPM_SERVERS / "server-filesystem" / "dist" / "index.js"
    write_mcp_json(
        {
            "time": time_server(tag),
            "everything": everything_server(tag),
            "filesystem": {"command": "node", "args": [str(filesystem), str(files)]},
            "notes": notes_server(tag, state),
        }
    )
    runtime.start_mcp(wait=True)
    for line in runtime.mcp.problems:
        print(f"  warning: {line}", file=sys.stderr)
    schema = {"type": "object", "properties": {"query": {"type": "string"}}, "required": []}
    for server, tools in COMMON.items():
        for name, description in tools:
            runtime.tools.add(Tool(f"{server}__{name}", description, schema, lambda **_: ""))
    return len(runtime.tools)


def bench(runtime: Runtime, tasks: list[dict[str, Any]], name: str) -> None:
    agent = runtime.agent(mode="rewoo", approve="deny")
    assert isinstance(agent, ReWOOAgent)
    right = failed = 0
    tokens = 0.0
    began = time.perf_counter()
    for task in tasks:
        plan, state = drain_plan(agent, task["task"])
        usage = state.usage.get("planner")
        tokens += usage.prompt_tokens if usage is not None else 0
        failed += isinstance(plan, Exception)
        chosen = chose_the_tools(plan, task)
        right += chosen
        if not chosen:
            tools = plan if isinstance(plan, Exception) else [s.tool for s in plan.steps]
            print(f"  miss ({name}): {task['task']!r} -> {tools}", file=sys.stderr, flush=True)
    emit(f"tool_choice_accuracy_{name}", right / len(tasks))
    emit(f"planner_prompt_tokens_mean_{name}", tokens / len(tasks))
    emit(f"planner_failed_{name}", failed)
    emit(f"planner_wall_s_{name}", time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="tasks spread over the split")
    args = parser.parse_args()
    tasks = spread(eval_tasks(), args.limit)
    emit("tasks", len(tasks))
    settings = Settings({"llama.n_threads": 0})
    runtime = Runtime(settings)
    emit("tools_builtin", len(runtime.tools))
    bench(runtime, tasks, "builtin")
    tag = uuid.uuid4().hex
    try:
        emit("tools_registered", crowd(runtime, tag, Path(tempfile.mkdtemp())))
        limit = ranking.LIMIT
        ranking.LIMIT = 10**6
        bench(runtime, tasks, "many_ranking_off")
        ranking.LIMIT = limit
        bench(runtime, tasks, "many_ranking_on")
    finally:
        runtime.close()
        kill_tagged(tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
