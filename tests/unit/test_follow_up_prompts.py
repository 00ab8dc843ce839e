"""A run with no earlier turn sends exactly the prompts it sent before conversations existed.

The shipped LoRA adapters were trained on those messages (``app.learn`` builds them with the
same ``ReWOOMessages``), so a fresh run's planner, caller and solver messages — and the ReAct
and AutoGPT transcripts — must stay byte for byte what they were. The digests below were
first taken from the tree before follow-ups were added (commit dce5208), by running this file
as a script against it: ``PYTHONPATH=<old tree> python tests/unit/test_follow_up_prompts.py``;
retaken when the python tool went back to the description the adapters were trained on
(commit c631519: the tool list differs from the training prompts only by python's optional
``network`` argument). ``rewoo-tuned`` retaken when each scenario got a workspace without
the file the one before saved: its save_file step had failed ("exists"), so the digest
pinned a failed step's solver prompt, which now says that evidence is missing; the digest
of the all-ok scenario is the same on the tree before that change (3a5dcc2). ``react``
retaken when its example turned placeholders ("It is <the time the tool gave> in Paris")
for the date and time a model copied as a fact; ReAct runs without an adapter.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

LLM_PLAN = (
    "Plan: Ask who directed Jaws.\n#E1 = llm[Who directed Jaws?]\n"
    "Plan: Save the name.\n#E2 = save_file[notes.txt with #E1]\n"
)
SAVE_CALL = '{"function": "save_file", "arguments": {"path": "notes.txt", "content": "Spielberg"}}'
REACT = [
    "Thought: I should ask.\nAction: llm\nAction Input: Who directed Jaws?",
    "Steven Spielberg",
    "Thought: I know it.\nFinal Answer: Steven Spielberg",
]
AUTOGPT_THOUGHTS = {"text": "t", "reasoning": "r", "plan": "p", "criticism": "c"}
AUTOGPT = [
    json.dumps(
        {
            "thoughts": AUTOGPT_THOUGHTS,
            "command": {"name": "llm", "arguments": {"prompt": "Who directed Jaws?"}},
        }
    ),
    "Steven Spielberg",
    json.dumps(
        {
            "thoughts": AUTOGPT_THOUGHTS,
            "command": {"name": "finish", "arguments": {"answer": "Steven Spielberg"}},
        }
    ),
]
SCENARIOS = {
    "rewoo": [LLM_PLAN, "Steven Spielberg", SAVE_CALL, "Saved it."],
    "rewoo-tuned": [LLM_PLAN, "Steven Spielberg", SAVE_CALL, "Saved it."],
    "react": REACT,
    "autogpt": AUTOGPT,
}

# the model calls and the sha256 of the JSON of every message list sent, in order (c631519)
GOLDEN = {
    "rewoo": "4 calls, sha256 4e4ada2a35e69ebf89234a51516fe52cc498f1b3142a1625e6ebdc21ee70582b",
    "rewoo-tuned": (
        "4 calls, sha256 8298572946e643f5f427e2bcfff6454f3eccaf7a9a498fa1f7a036155e473660"
    ),
    "react": "3 calls, sha256 3a6e2c37893a646d2081ac1af9279a2d555b523dc76653acf1acc0a682b13d97",
    "autogpt": "3 calls, sha256 8af4da6243a1f92cadbc35f05004abec42468f3405308f446f0fb9ed878acee1",
}


def capture(folder: Path) -> dict[str, str]:
    """Run each scenario fresh on the replay model; the digest of what the models were sent."""
    from app.llm.replay import ReplayModel
    from app.runtime import Runtime
    from app.settings import Settings

    sent: list[list[dict[str, str]]] = []
    generate = ReplayModel.generate

    def recording(self, messages, **kw):  # type: ignore[no-untyped-def]
        sent.append([dict(m) for m in messages])
        return generate(self, messages, **kw)

    ReplayModel.generate = recording  # type: ignore[method-assign]
    digests = {}
    try:
        for name, answers in SCENARIOS.items():
            sent.clear()
            script = folder / f"{name}.json"
            script.write_text(json.dumps(answers), encoding="utf-8")
            spec = f"replay:{script}"
            settings = {"planner.examples": "off"} if name == "rewoo-tuned" else {}
            rt = Runtime(Settings(settings))
            try:
                agent = rt.agent(
                    mode=name.split("-")[0], planner=spec, caller=spec, approve="allow"
                )
                events = list(rt.run(agent, "Who directed Jaws? Save the name to notes.txt."))
                # the next scenario saves it again: it must not fail on a file that exists
                (rt.settings.workspace / "notes.txt").unlink(missing_ok=True)
            finally:
                rt.close()
            assert events[-1].to_dict()["status"] == "ok", events[-1]
            blob = json.dumps(sent, ensure_ascii=False, sort_keys=True).encode("utf-8")
            digests[name] = f"{len(sent)} calls, sha256 {hashlib.sha256(blob).hexdigest()}"
    finally:
        ReplayModel.generate = generate  # type: ignore[method-assign]
    return digests


def test_a_fresh_run_sends_the_prompts_it_always_sent(tmp_path):
    assert capture(tmp_path) == GOLDEN


if __name__ == "__main__":  # print the digests of the tree on PYTHONPATH
    os.environ["SMART_AGENT_HOME"] = tempfile.mkdtemp()
    print(json.dumps(capture(Path(tempfile.mkdtemp())), indent=4), file=sys.stdout)
