"""The approval question on a terminal, for headless runs (``smart-agent run``).

Everything in the question that a model, a tool or a web page wrote goes through
``app.untrusted.visible``, so it cannot hide the real call or draw a prompt of its own.
Code arguments are shown with their line breaks; the policy's warning and what the code
itself gives away (``exec``, base64, the network …) come first, on their own lines; then
the earlier results the call may rest on, by the call they came from.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TextIO

from app.tools.approval import ApprovalRequest, Decision
from app.untrusted import approval_warnings, excerpt, readable_arguments, visible

EVIDENCE_EXCERPT = 300
NO_TERMINAL_NOTE = (
    "no terminal to ask for approval, so it was denied (use --approve allow to permit writes)"
)


def no_terminal_note(request: ApprovalRequest) -> str:
    """Why an unanswerable question was denied; a call asked every time says its warning."""
    if request.allow_always:
        return NO_TERMINAL_NOTE
    warning = request.warning.rstrip(".") if request.warning else "this call is asked every time"
    return (
        f"no terminal to ask for approval, so it was denied ({warning}; "
        "--approve allow does not answer it)"
    )


def evidence_lines(request: ApprovalRequest, limit: int = EVIDENCE_EXCERPT) -> list[str]:
    """One line per earlier result the call may rest on, or a line saying there is none."""
    if not request.evidence_used:
        return ["No evidence from earlier steps went into this call."]
    lines = ["It may rest on these earlier results (untrusted text):"]
    for source, text in request.evidence_used.items():
        lines.append(f"  {visible(source)}: {excerpt(text, limit)}")
    return lines


def approval_question(request: ApprovalRequest, arguments: dict[str, object]) -> str:
    """The whole question as printed, before the answer line."""
    lines = [f"Approval needed: {request.tool.name} ({visible(request.reason)})"]
    lines += [f"WARNING: {visible(w)}" for w in approval_warnings(request)]
    if request.plan_line:
        lines.append(visible(request.plan_line))
    lines += evidence_lines(request)
    lines += ["Call:", readable_arguments(arguments)]
    return "\n".join(lines)


def terminal_approver(
    ask: Callable[[str], str] = input,
) -> Callable[[ApprovalRequest], Decision]:
    """Ask on the terminal (``ask`` reads one answer); without one, deny and say so."""

    def approve(request: ApprovalRequest) -> Decision:
        err: TextIO = sys.stderr
        if not (sys.stdin.isatty() and err.isatty()):
            note = no_terminal_note(request)
            print(f"smart-agent: {request.tool.name}: {note}", file=err)
            return Decision(False, request.arguments, note=note)
        arguments = request.arguments
        choices = "[y]es once / [a]lways / [e]dit / [N]o"
        if not request.allow_always:
            choices = "[y]es once / [e]dit / [N]o"
        while True:
            print("\n" + approval_question(request, arguments), file=err, flush=True)
            answer = ask(f"Allow? {choices}: ").strip().lower()
            if answer in ("y", "yes"):
                return Decision(True, arguments)
            if answer in ("a", "always"):
                if request.allow_always:
                    return Decision(True, arguments, always=True)
                print("'always' is not offered for this call: answer y, e or n", file=err)
                continue
            if answer in ("e", "edit"):
                edited = ask("Arguments as JSON: ")
                try:
                    arguments = json.loads(edited)
                except ValueError as exc:
                    print(f"not JSON: {exc}", file=err)
                continue
            return Decision(False, arguments, note="the person denied it")

    return approve
