"""``smart-agent``: the desktop app, or headless runs, history and tools (SPEC §6).

Exit codes: 0 ok, 1 the run (or command) failed, 2 usage error. Whatever goes wrong, the
person gets one clear line on stderr; tracebacks go to the log file only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NoReturn, TextIO

from app import __version__
from app.errors import SmartAgentError, UsageError
from app.events import (
    Answer,
    AnswerDelta,
    Event,
    Evidence,
    PlanReady,
    RunFinished,
)
from app.learn.commands import LEARNING_COMMANDS, add_learning_parsers
from app.mcp.commands import MCP_COMMANDS, add_mcp_parsers, start_for_cli
from app.models.commands import cmd_models
from app.policy_commands import POLICY_COMMANDS, add_policy_parsers
from app.run_view import RunTree, tree_line
from app.server.commands import SERVE_COMMANDS, add_serve_parser
from app.settings import AGENT_MODES
from app.terminal_approval import terminal_approver
from app.text import elide
from app.untrusted import json_line, visible

log = logging.getLogger("smart_agent.cli")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smart-agent", description="A local-first assistant for multi-step tasks."
    )
    parser.add_argument("--version", action="version", version=f"smart-agent {__version__}")
    parser.add_argument("--quick-prompt", action="store_true", help="open the quick prompt")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Smart Agent to the desktop's application menu (source installs, Linux)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="run a task headless and print the tree and the answer")
    run.add_argument("task", nargs="+", help="the task, in words")
    run.add_argument("--agent", choices=tuple(AGENT_MODES), default=None)
    run.add_argument("--planner", metavar="M", help="planner model spec")
    run.add_argument("--caller", metavar="M", help="function-caller model spec")
    run.add_argument("--solver", metavar="M", help="solver model spec (default: the planner)")
    run.add_argument(
        "--approve",
        choices=("ask", "allow", "deny"),
        default=None,
        help="approval policy for every tool in this run",
    )
    run.add_argument("--events", metavar="PATH|-", help="write JSONL events to PATH or stdout")
    run.add_argument(
        "--continue",
        dest="continue_from",
        metavar="RUN_ID|last",
        help="follow up on an earlier run (its id, a prefix, or 'last'): the planner reads "
        "that conversation, so 'that' or 'his' refer to it",
    )
    run.add_argument(
        "--db",
        metavar="NAME=URL",
        action="append",
        default=[],
        help="add a database connection for this run",
    )

    tools = sub.add_parser("tools", help="list the tools with their JSON schemas")
    tools.add_argument("--json", action="store_true")
    add_policy_parsers(sub, tools)

    models = sub.add_parser(
        "models", help="list the catalog, installed models and the embedded default"
    )
    models.add_argument("--json", action="store_true")
    models_sub = models.add_subparsers(dest="models_command", parser_class=_Parser)
    pull = models_sub.add_parser("pull", help="download a catalog model or a URL")
    pull.add_argument("what", metavar="NAME|URL")
    pull.add_argument("--sha256", metavar="HEX", help="checksum the file must have")
    imported = models_sub.add_parser("import", help="copy a local .gguf into the models folder")
    imported.add_argument("path", metavar="PATH")

    history = sub.add_parser("history", help="list past runs")
    history.add_argument("--json", action="store_true")
    history.add_argument("--search", default="")
    history.add_argument("--limit", type=int, default=50)

    show = sub.add_parser("show", help="show one past run")
    show.add_argument("run_id")
    show.add_argument("--json", action="store_true", help="the run's events as JSONL")

    prompts = sub.add_parser("prompts", help="list the prompt templates and where each comes from")
    prompts.add_argument("--json", action="store_true")
    add_learning_parsers(sub)
    add_mcp_parsers(sub)
    add_serve_parser(sub)
    return parser


# The desktop front end: ``(args, settings) -> exit code``, for the commands that are not
# headless (no command: the app; --install-desktop-entry). The core never imports a front
# end; the `smart-agent` entry point (``ui.main``) hands it in.
FrontEnd = Callable[[argparse.Namespace, Any], int]


def main(argv: list[str] | None = None, front_end: FrontEnd | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"smart-agent: {visible(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    try:
        return dispatch(args, front_end)
    except UsageError as exc:
        print(f"smart-agent: {visible(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SmartAgentError as exc:
        print(f"smart-agent: error: {visible(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("smart-agent: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        log.exception("unexpected error")
        print(
            f"smart-agent: internal error: {type(exc).__name__}: {visible(exc)} "
            "(details in the log file)",
            file=sys.stderr,
        )
        return EXIT_FAILED


def dispatch(args: argparse.Namespace, front_end: FrontEnd | None = None) -> int:
    from app.runtime import Runtime, setup_logging
    from app.settings import Settings

    settings = Settings.load()
    setup_logging(settings.paths)
    if args.install_desktop_entry or args.command is None:
        if front_end is None:
            raise UsageError(
                "the desktop app starts from the `smart-agent` command (python -m ui.main); "
                "this entry point runs the headless commands only"
            )
        return front_end(args, settings)
    runtime = Runtime(settings)
    runtime.load_tools()  # a user tool file's warning is said up front, whatever the command
    if args.command in ("run", "history", "show", "rate", "export-training"):
        runtime.open_store()  # now, so that a set-aside history file is reported up front
    for warning in runtime.warnings:
        print(f"smart-agent: warning: {visible(warning)}", file=sys.stderr)
    try:
        if args.command in ("run", "tools", "approval", "serve"):
            start_for_cli(runtime)  # the MCP servers' tools are tools; a broken one says so
        commands: dict[str, Callable[[Any, argparse.Namespace], int]] = {
            "run": cmd_run,
            "tools": cmd_tools,
            "models": cmd_models,
            "history": cmd_history,
            "show": cmd_show,
            "prompts": cmd_prompts,
            **LEARNING_COMMANDS,
            **POLICY_COMMANDS,
            **MCP_COMMANDS,
            **SERVE_COMMANDS,
        }
        return commands[args.command](runtime, args)
    finally:
        runtime.close()


# -- run -------------------------------------------------------------------------------------


def parse_db_options(values: Iterable[str]) -> dict[str, str]:
    from app.tools.sql import parse_db_option

    databases: dict[str, str] = {}
    for value in values:
        try:
            name, _ = parse_db_option(value)
        except ValueError as exc:
            raise UsageError(f"--db: {exc}") from None
        databases[name] = value.partition("=")[2].strip()
    return databases


def cmd_run(runtime: Any, args: argparse.Namespace) -> int:
    task = " ".join(args.task).strip()
    if not task:
        raise UsageError("the task is empty")
    databases = parse_db_options(args.db)
    events_out: TextIO | None = None
    if args.events == "-":
        events_out = sys.stdout
    elif args.events:
        try:
            events_out = open(args.events, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot write events to {args.events}: {exc.strerror}") from None
    printer = None if args.events == "-" else TreePrinter(sys.stdout)
    agent = runtime.agent(
        mode=args.agent,
        planner=args.planner,
        caller=args.caller,
        solver=args.solver,
        approve=args.approve,
        approver=terminal_approver(),
        databases=databases,
    )
    cancel = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nsmart-agent: stopping…", file=sys.stderr)

    signal.signal(signal.SIGINT, on_interrupt)
    finished: RunFinished | None = None
    try:
        for event in runtime.run(agent, task, cancel=cancel, continue_from=args.continue_from):
            if events_out is not None:
                events_out.write(json_line(event.to_json()) + "\n")
                events_out.flush()
            if printer is not None:
                printer.show(event)
            if isinstance(event, RunFinished):
                finished = event
    finally:
        signal.signal(signal.SIGINT, previous)
        if events_out is not None and events_out is not sys.stdout:
            events_out.close()
    return run_exit(finished)


def run_exit(finished: RunFinished | None) -> int:
    """The exit status of ``smart-agent run``, and one line on stderr unless it went well:
    0 ok, 3 partial (an answer from part of the evidence), 1 failed or cancelled."""
    if finished is not None and finished.status == "ok":
        return EXIT_OK
    status = finished.status if finished else "failed"
    reason = (finished.error if finished else None) or ("stopped" if status == "cancelled" else "")
    head = {"partial": "partial result", "cancelled": "run cancelled"}.get(status, "run failed")
    print(f"smart-agent: {head}: {visible(reason or 'no result')}", file=sys.stderr)
    return EXIT_PARTIAL if status == "partial" else EXIT_FAILED


class TreePrinter:
    """Prints a run as it happens: the plan, then each step's call and evidence as the step
    ends, the answer. What it prints comes from the run view (``app.run_view``), the one
    the window's tree and the export draw too, so a step's result is printed with its own
    call however parallel steps interleave.

    Nearly all of it was written by a model, a tool or a web page, so every write goes
    through ``visible``: no control sequence reaches the terminal.
    """

    MARKS = {"ok": "✓", "error": "✗", "denied": "⊘", "skipped": "–"}

    def __init__(self, out: TextIO, width: int = 100):
        self.out = out
        self.width = width
        self.view = RunTree()
        self.answering = False

    def write(self, text: str) -> None:
        self.out.write(visible(text))
        self.out.flush()

    def show(self, event: Event) -> None:
        self.view.apply(event)
        handler = getattr(self, f"_on_{event.type}", None)
        if handler is not None:
            handler(event)

    def _on_plan(self, event: PlanReady) -> None:
        self.write("Plan\n")
        steps = self.view.plan
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            self.write(f"{'└─' if last else '├─'} {step.id}: {step.plan}\n")
            pad = "   " if last else "│  "
            self.write(f"{pad}   {step.tool}[{elide(step.input, 70)}]\n")
        self.write("\n")

    def _on_evidence(self, event: Evidence) -> None:
        step = self.view.step(event.id)
        if step is None or not step.evidence():
            return
        evidence = step.evidence()[-1]
        call = evidence.parent if evidence.parent and evidence.parent.kind == "call" else None
        label = f"{call.tool} {json.dumps(call.arguments, ensure_ascii=False)}" if call else ""
        mark = self.MARKS.get(evidence.status, "?")
        self.write(f"{mark} {step.key}  {elide(label, self.width - 6)}\n")
        self.write(
            f"   └─ {evidence.status}, {evidence.seconds or 0.0:.2f} s: "
            f"{elide(evidence.text, self.width * 3)}\n"
        )

    def _on_answer_delta(self, event: AnswerDelta) -> None:
        if not self.answering:
            self.write("\nAnswer\n")
            self.answering = True
        self.write(event.text)

    def _on_answer(self, event: Answer) -> None:
        if not self.answering:
            self.write(f"\nAnswer\n{self.view.answer}")
        self.write("\n")

    def _on_run_finished(self, event: RunFinished) -> None:
        tokens = sum(
            int(u.get("prompt_tokens", 0) + u.get("completion_tokens", 0))
            for u in self.view.usage.values()
        )
        self.write(f"\n[{self.view.status} in {self.view.seconds or 0.0:.1f} s, {tokens} tokens]\n")


# -- listings --------------------------------------------------------------------------------


def cmd_tools(runtime: Any, args: argparse.Namespace) -> int:
    if args.json:
        print(
            json_line(json.dumps([t.schema for t in runtime.tools], indent=2, ensure_ascii=False))
        )
        return EXIT_OK
    for t in runtime.tools:
        params = ", ".join(
            f"{name}{'' if name in t.parameters.get('required', []) else '?'}"
            for name in t.parameters.get("properties", {})
        )
        print(f"{t.name}({params})  [{t.risk}]  {visible(t.description)}")
    return EXIT_OK


def cmd_history(runtime: Any, args: argparse.Namespace) -> int:
    runs = runtime.store.runs(search=args.search, limit=args.limit)
    if args.json:
        print(json_line(json.dumps([r.to_dict() for r in runs], indent=2, ensure_ascii=False)))
        return EXIT_OK
    if not runs:
        print('No runs yet. Try: smart-agent run "What time is it in Tokyo?"')
        return EXIT_OK
    for r in runs:
        when = datetime.fromtimestamp(r.started_at).strftime("%Y-%m-%d %H:%M")
        follow_up = "↳ " if r.parent else ""  # a follow-up of the run listed before it
        print(f"{r.id}  {when}  {r.status:<11}  {follow_up}{tree_line(r.task, 70)}")
    return EXIT_OK


def cmd_show(runtime: Any, args: argparse.Namespace) -> int:
    record = runtime.store.get(args.run_id)
    if record is None:
        raise SmartAgentError(f"no run with id '{args.run_id}' (see `smart-agent history`)")
    events = runtime.store.events(record.id)
    if args.json:
        for event in events:
            print(json_line(event.to_json()))
        return EXIT_OK
    when = datetime.fromtimestamp(record.started_at).strftime("%Y-%m-%d %H:%M:%S")
    follows = f" · follows up {record.parent}" if record.parent else ""
    print(f"Run {record.id} · {when} · {record.agent} · {record.status}{follows}")
    print(f"Task: {visible(record.task)}\n")
    printer = TreePrinter(sys.stdout)
    for event in events:
        if not isinstance(event, AnswerDelta):
            printer.show(event)
    if record.error:
        print(f"Error: {visible(record.error)}")
    return EXIT_OK


def cmd_prompts(runtime: Any, args: argparse.Namespace) -> int:
    """Templates, their placeholders and sources; exit 1 if an override cannot be used."""
    from app.prompts import Prompts

    infos = Prompts(runtime.paths).listing()
    if args.json:
        print(json.dumps([i.to_dict() for i in infos], indent=2, ensure_ascii=False))
    else:
        width = max(len(i.name) for i in infos)
        print(f"Overrides go in {runtime.paths.prompts_dir}")
        for i in infos:
            needs = ", ".join("{" + p + "}" for p in i.placeholders) or "-"
            where = "package" if i.source == "package" else f"{i.source}: {i.path}"
            print(f"{i.name:<{width}}  {where}  [{needs}]")
            if i.error:
                print(f"{'':<{width}}  error: {i.error}")
    broken = [i for i in infos if i.error and i.source == "override"]
    if broken:
        print(
            f"smart-agent: error: {len(broken)} prompt override(s) cannot be used: "
            + ", ".join(i.name for i in broken),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
