"""A replay model that also keeps what it was asked, for the loop-agent tests.

ReAct and AutoGPT feed observations and errors back to the model; the only way to see
that they did is to look at the messages of each call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.agents.base import Agent, Roles
from app.llm.base import Constraint, Generation, Message
from app.llm.replay import ReplayModel
from app.runtime import AGENTS, Runtime
from app.tools.approval import ApprovalGate


class RecordingReplay(ReplayModel):
    def __init__(self, path: str | Path):
        super().__init__(path)
        self.seen: list[list[Message]] = []
        self.constraints: list[Constraint | None] = []

    def generate(
        self, messages: list[Message], *, constraint: Constraint | None = None, **kw: Any
    ) -> Generation:
        self.seen.append([dict(m) for m in messages])
        self.constraints.append(constraint)
        return super().generate(messages, constraint=constraint, **kw)


def recording_agent(
    rt: Runtime, mode: str, tmp_path: Path, answers: list[str]
) -> tuple[Agent, RecordingReplay]:
    path = tmp_path / f"{mode}-script.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    model = RecordingReplay(path)
    agent = AGENTS[mode](
        Roles(model, model, model), rt.tools, ApprovalGate(rt.settings), rt.settings
    )
    return agent, model
