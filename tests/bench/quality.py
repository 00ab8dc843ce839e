"""Quality of the embedded model's three roles, base vs shipped LoRA adapters, in one run.

Prints ``name: value`` lines:

- **planner**: on the held-out evaluation split (``app/learn/data/planner_eval.jsonl``,
  written by hand with other entities and phrasings than the training templates, never
  trained on), the share of plans that contain every tool the task needs, and the share
  with useless extra steps (more steps than the task needs); also the planner prompt's size
  and first-token time with and without the few-shot examples;
- **caller**: argument accuracy on BFCL v4 ``simple_python`` (Berkeley Function Calling
  Leaderboard, a yardstick only: never trained on), measured the way the product calls its
  caller: the case's function registered as the only tool (dots made identifiers), a
  one-step plan ``#E1 = <function>[<question>]``, fast path off, the caller's JSON-schema
  constraint on, the call checked against BFCL's possible answers;
- **solver**: the share of answers that carry the evidence's key fact (the time, the first
  cell of the SQL result, the printed number) on the evaluation tasks whose tools are
  deterministic, run through the real tools with the split's gold plans.

Usage: ``python tests/bench/quality.py [--only planner,caller,solver] [--bfcl-limit N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-quality-"))

from app.agents.base import RunState  # noqa: E402
from app.agents.rewoo import ReWOOAgent  # noqa: E402
from app.errors import SmartAgentError  # noqa: E402
from app.events import Answer, Evidence, RunFinished  # noqa: E402
from app.learn.teach import chose_the_tools, drain_plan, eval_tasks  # noqa: E402
from app.plan import PlanStep  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.tools.registry import ToolRegistry  # noqa: E402

CONFIGS = {"base": {"models.shipped_adapters": False}, "adapters": {}}


def emit(name: str, value: Any) -> None:
    if isinstance(value, float):
        value = round(value, 4)
    print(f"{name}: {value}", flush=True)


THREADS = {"llama.n_threads": 0}


def emit_config(results: dict[str, float], name: str) -> None:
    """Print the figures measured for one configuration (keys ending in ``name``)."""
    for key, value in results.items():
        if key.endswith(name):
            emit(key, value)


def runtime(**values: Any) -> Runtime:
    settings = Settings({**THREADS, **values})
    return Runtime(settings)


# -- planner -------------------------------------------------------------------------------


PLANNER_VARIANTS = {
    "base": {"models.shipped_adapters": False},
    "adapters": {},
    "adapters_with_examples": {"planner.examples": "on"},
}


def bench_planner(tasks: list[dict[str, Any]], only: set[str] | None = None) -> dict[str, float]:
    results: dict[str, float] = {}
    for name, values in PLANNER_VARIANTS.items():
        if only and name not in only:
            continue
        rt = runtime(**values)
        agent = rt.agent(mode="rewoo", approve="deny")
        assert isinstance(agent, ReWOOAgent)
        right = extra = failed = 0
        prompt_tokens = first_token = 0.0
        began = time.perf_counter()
        for task in tasks:
            plan, state = drain_plan(agent, task["task"])
            usage = state.usage.get("planner")
            if usage is not None:
                prompt_tokens += usage.prompt_tokens
                first_token += usage.first_token_seconds or 0.0
            if isinstance(plan, Exception):
                failed += 1
                continue
            chosen = chose_the_tools(plan, task)
            right += chosen
            if not chosen:
                print(f"  miss ({name}): {task['task']!r} -> {[s.tool for s in plan.steps]}",
                      file=sys.stderr, flush=True)
            if len(plan.steps) > task["steps"]:
                extra += 1
        n = len(tasks)
        results[f"planner_tool_accuracy_{name}"] = right / n
        results[f"planner_extra_steps_share_{name}"] = extra / n
        results[f"planner_failed_{name}"] = failed
        results[f"planner_prompt_tokens_mean_{name}"] = prompt_tokens / n
        results[f"planner_first_token_s_mean_{name}"] = first_token / n
        results[f"planner_wall_s_{name}"] = time.perf_counter() - began
        for key in (f"planner_tool_accuracy_{name}", f"planner_extra_steps_share_{name}"):
            emit(key, results[key])
        rt.close()
    for key, value in results.items():
        if "accuracy" not in key and "extra_steps" not in key:
            emit(key, value)
    if only:
        return results
    emit(
        "planner_accuracy_adapters_vs_base",
        results["planner_tool_accuracy_adapters"]
        / max(results["planner_tool_accuracy_base"], 1e-9),
    )
    emit(
        "planner_prompt_tokens_no_examples_vs_examples",
        results["planner_prompt_tokens_mean_adapters"]
        / results["planner_prompt_tokens_mean_adapters_with_examples"],
    )
    return results


# -- caller (BFCL) ------------------------------------------------------------------------------


def bench_caller(limit: int | None) -> dict[str, float]:
    from tests.bench.bfcl import check_call, load_simple_python

    cases = load_simple_python(limit)
    results: dict[str, float] = {}
    for name, values in CONFIGS.items():
        rt = runtime(**{"distributor.fast_path": False, **values})
        roles = rt.agent(mode="rewoo", approve="deny").roles
        right = errors = 0
        began = time.perf_counter()
        for case in cases:
            agent = ReWOOAgent(roles, ToolRegistry([case.tool]), rt.agent().gate, rt.settings)
            step = PlanStep(id="E1", plan=case.question, tool=case.tool.name, input=case.question)
            try:
                arguments = agent.distribute(step, case.question, RunState())
            except SmartAgentError:
                errors += 1
                continue
            if check_call(case, arguments):
                right += 1
        results[f"caller_bfcl_simple_python_accuracy_{name}"] = right / len(cases)
        results[f"caller_bfcl_invalid_calls_{name}"] = errors
        results[f"caller_bfcl_wall_s_{name}"] = time.perf_counter() - began
        emit_config(results, name)
        rt.close()
    emit("caller_bfcl_cases", len(cases))
    emit(
        "caller_bfcl_adapters_vs_base",
        results["caller_bfcl_simple_python_accuracy_adapters"]
        / max(results["caller_bfcl_simple_python_accuracy_base"], 1e-9),
    )
    return results


# -- solver ------------------------------------------------------------------------------------


def key_fact(tool: str, evidence: str) -> str | None:
    """The fact an answer must carry: HH:MM of a time, a SQL result's first cell, output."""
    if tool == "get_current_time":
        found = re.search(r"\d{4}-\d\d-\d\d (\d\d:\d\d)", evidence)
        return found.group(1) if found else None
    if tool == "sql_query":
        rows = [line for line in evidence.splitlines() if line.startswith("|")]
        if len(rows) < 3:
            return None
        return rows[2].strip("|").split("|")[0].strip()
    if tool == "python":
        return evidence.strip().splitlines()[-1].strip() if evidence.strip() else None
    return None


def bench_solver(tasks: list[dict[str, Any]]) -> dict[str, float]:
    gold = [t for t in tasks if t.get("gold")]
    results: dict[str, float] = {}
    for name, values in CONFIGS.items():
        rt = runtime(**values)
        carried = counted = 0
        answer_chars = 0
        began = time.perf_counter()
        for task in gold:
            script = Path(tempfile.mkstemp(suffix=".json")[1])
            script.write_text(json.dumps([task["gold"]]), encoding="utf-8")
            agent = rt.agent(
                mode="rewoo", planner=f"replay:{script}", solver="default", approve="allow"
            )
            events = list(rt.run(agent, task["task"]))
            evidence = [e for e in events if isinstance(e, Evidence)]
            answer = next((e.text for e in events if isinstance(e, Answer)), "")
            finished = events[-1]
            assert isinstance(finished, RunFinished)
            fact = key_fact(task["tools"][0], evidence[0].text) if evidence else None
            if fact is None or evidence[0].status != "ok":
                continue
            counted += 1
            answer_chars += len(answer)
            if fact in answer.replace(",", "") or fact in answer:
                carried += 1
        results[f"solver_key_fact_share_{name}"] = carried / max(counted, 1)
        results[f"solver_answer_chars_mean_{name}"] = answer_chars / max(counted, 1)
        results[f"solver_wall_s_{name}"] = time.perf_counter() - began
        emit_config(results, name)
        rt.close()
    emit("solver_tasks", len(gold))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="planner,caller,solver")
    parser.add_argument("--bfcl-limit", type=int, default=None)
    parser.add_argument("--threads", type=int, default=0, help="llama.n_threads (0: auto)")
    parser.add_argument("--planner-variants", default="", help="e.g. adapters (default: all)")
    args = parser.parse_args()
    THREADS["llama.n_threads"] = args.threads
    parts = set(args.only.split(","))
    tasks = eval_tasks()
    emit("eval_tasks", len(tasks))
    began = time.perf_counter()
    if "planner" in parts:
        bench_planner(tasks, set(filter(None, args.planner_variants.split(","))) or None)
    if "solver" in parts:
        bench_solver(tasks)
    if "caller" in parts:
        bench_caller(args.bfcl_limit)
    emit("quality_bench_wall_s", time.perf_counter() - began)
    return 0


if __name__ == "__main__":
    sys.exit(main())
