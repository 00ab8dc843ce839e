"""Training data: the JSONL format and its errors, the generator, the held-out split, the
loss mask, and that training messages are exactly the agent's inference messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.agents.rewoo_messages import ReWOOMessages
from app.learn import dataset, synthetic
from app.learn.batching import IGNORE, Encoded, batches, encode, shared_prefix
from app.learn.examples import DataError, Example, read_jsonl, write_jsonl
from app.plan import parse_plan
from app.prompts import Prompts
from app.settings import Settings
from app.tools.builtin import builtin_tools
from tests.helpers import replay_script, runtime

EVAL_FILE = Path(dataset.__file__).with_name("data") / "planner_eval.jsonl"
EVAL = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line]


def test_jsonl_round_trip(tmp_path):
    examples = dataset.planner_examples(5, 1)
    path = tmp_path / "d.jsonl"
    assert write_jsonl(examples, path) == 5
    again = read_jsonl(path, "planner")
    assert [e.to_dict() for e in again] == [e.to_dict() for e in examples]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no training examples"),
        ("\n\n", "holds no training examples"),
        ('{"role": "planner"', "line 1 is not valid JSON"),
        ('[1, 2]', "must be a JSON object"),
        ('{"role": "chef", "messages": [], "response": "x"}', "unknown role 'chef'"),
        ('{"role": "planner", "messages": [], "response": "x"}', "non-empty list"),
        (
            '{"role": "planner", "messages": [{"role": "user"}], "response": "x"}',
            "each message needs a role and a text content",
        ),
        (
            '{"role": "planner", "messages": [{"role": "user", "content": "t"}], "response": ""}',
            "'response' must be a non-empty text",
        ),
        (
            '{"role": "solver", "messages": [{"role": "user", "content": "t"}], "response": "a"}',
            "is a solver example, not planner",
        ),
    ],
)
def test_bad_data_files_get_one_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        read_jsonl(path, "planner")


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(DataError, match="not found"):
        read_jsonl(tmp_path / "nope.jsonl")
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="not a UTF-8 text file|not valid JSON"):
        read_jsonl(binary)


def test_generator_is_deterministic_and_varied():
    a = synthetic.scenarios(400, 7)
    assert [s.task for s in a] == [s.task for s in synthetic.scenarios(400, 7)]
    assert [s.task for s in a] != [s.task for s in synthetic.scenarios(400, 8)]
    assert len({s.task for s in a}) > 300
    families = {s.family for s in a}
    assert len(families) >= 15
    used = {t for s in a for t in s.tools}
    assert used == set(builtin_tools().names)
    assert any(len(s.steps) == 3 for s in a) and any("#E1" in st.input for s in a for st in s.steps)


def test_every_generated_plan_parses_and_fits_the_plan_grammar():
    names = builtin_tools().names
    for scenario in synthetic.scenarios(2000, 3):
        plan = parse_plan(scenario.plan_text(), names, 8)
        for step in plan.steps:
            # the grammar admits no ']' or newline in an input, and '#' only as a reference
            assert "]" not in step.input and "\n" not in step.input
            assert not re.search(r"#(?!E\d)", step.input)


def test_evaluation_split_is_held_out_from_the_generator():
    assert len(EVAL) >= 60
    generated = synthetic.scenarios(3000, 1)
    tasks = {s.task.lower().rstrip(".!? ") for s in generated}
    for item in EVAL:
        assert item["task"].lower().rstrip(".!? ") not in tasks
        assert set(item["tools"]) <= set(builtin_tools().names)
    # every built-in tool, and two-step combinations
    assert {t for item in EVAL for t in item["tools"]} == set(builtin_tools().names)
    assert sum(len(set(item["tools"])) >= 2 for item in EVAL) >= 10
    # entities of the split are not in the training pools
    held_out = ["Seoul", "Nairobi", "Hemingway", "Hedy Lamarr", "Colosseum", "Simone de Beauvoir",
                "Carl Sagan", "Manila", "Reykjavik", "Byzantine"]
    training_text = " ".join(s.task for s in generated)
    for entity in held_out:
        assert entity not in training_text


def test_training_messages_are_the_agents_inference_messages(tmp_path):
    settings = Settings()
    messages = ReWOOMessages(builtin_tools(), settings, Prompts(None))
    example = dataset.planner_examples(1, 11)[0]
    task = example.messages[-1]["content"]
    assert example.messages == messages.planner(task, examples=False)
    # the agent prompts through the same builder, over the runtime's tools
    agent = runtime().agent(planner=replay_script(tmp_path, []))
    assert agent.messages.planner(task, examples=False) == example.messages
    solver = dataset.solver_examples(3, 2)
    assert all(e.messages[0]["content"] == solver[0].messages[0]["content"] for e in solver)
    assert all(e.response.strip() for e in solver)


def test_caller_calls_follow_the_grammars_argument_order():
    tool = builtin_tools().get("save_file")
    text = dataset.call_text(tool, {"overwrite": True, "content": "hi", "path": "a.txt"})
    assert text == (
        '{"function": "save_file", "arguments": {"path": "a.txt", "content": "hi", '
        '"overwrite": true}}'
    )


class _Tokens:
    """A stand-in tokenizer: one token per character, 0 as end of turn."""

    eos = 0

    def tokenize_messages(self, messages):
        text = "".join(f"<{m['role']}>{m['content']}" for m in messages) + "<assistant>"
        return [ord(c) for c in text], 0

    def tokenize_text(self, text):
        return [ord(c) for c in text]


def test_loss_mask_keeps_only_the_reply_and_end_of_turn():
    example = Example("solver", [{"role": "user", "content": "Q?"}], "Yes.")
    (item,) = encode([example], _Tokens(), 1000)
    prompt = len("<user>Q?<assistant>")
    assert item.labels[:prompt] == [IGNORE] * prompt
    assert item.labels[prompt:] == [ord(c) for c in "Yes."] + [0]
    assert item.ids == [ord(c) for c in "<user>Q?<assistant>Yes."] + [0]


def test_too_long_examples_are_left_out():
    example = Example("solver", [{"role": "user", "content": "x" * 50}], "y")
    assert encode([example], _Tokens(), 20) == []


def test_shared_prefix_never_reaches_a_reply_token():
    a = Encoded([1, 2, 3, 4, 5, 6], [IGNORE] * 4 + [5, 6], "g")
    b = Encoded([1, 2, 3, 9, 8], [IGNORE] * 3 + [9, 8], "g")
    assert shared_prefix([a, b]) == 2  # b's first reply token (index 3) needs position 2
    c = Encoded([1, 2, 3, 4, 7, 7], [IGNORE] * 5 + [7], "g")
    assert shared_prefix([a, c]) == 3


def test_batches_keep_groups_together():
    import random

    items = [Encoded([i], [i], f"g{i % 3}") for i in range(30)]
    out = batches(items, 4, random.Random(0))
    assert sorted(x.ids[0] for batch in out for x in batch) == list(range(30))
    full = [b for b in out if len(b) == 4]
    assert sum(len({x.group for x in b}) == 1 for b in full) >= 6


def test_adapter_export_names_and_the_rotary_row_order():
    np = pytest.importorskip("numpy")
    from app.learn.gguf_adapter import gguf_tensors, permute_rows, unpermute_rows

    rows = np.arange(576 * 2, dtype=np.float32).reshape(576, 2)
    assert (unpermute_rows(permute_rows(rows, 9), 9) == rows).all()
    assert not (permute_rows(rows, 9) == rows).all()
    state = {
        "base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight": rows[:16].T,
        "base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight": rows,
        "base_model.model.model.layers.3.mlp.down_proj.lora_B.weight": rows,
    }
    out = gguf_tensors(state, n_head=9, n_head_kv=3)
    assert set(out) == {"blk.3.attn_q.weight.lora_a", "blk.3.attn_q.weight.lora_b",
                        "blk.3.ffn_down.weight.lora_b"}
    assert (out["blk.3.attn_q.weight.lora_b"] == permute_rows(rows, 9)).all()  # q: permuted
    assert (out["blk.3.ffn_down.weight.lora_b"] == rows).all()  # others as they are
    with pytest.raises(DataError, match="no LoRA weights"):
        gguf_tensors({"something.else": rows}, 9, 3)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) FROM directors",
        "SELECT title, year FROM films WHERE year < 1960 ORDER BY year",
        "SELECT title FROM films WHERE title = 'no such film'",
    ],
)
def test_synthetic_sql_evidence_is_what_the_tool_returns(tmp_path, sql):
    """The solver learns from the evidence it will read: the real tool's table, count line
    included (the first adapter never saw "(1 row)" and answered with it)."""
    from app.tools.registry import ToolContext
    from app.tools.sql import sql_query

    context = ToolContext(workspace=tmp_path, settings=Settings(), databases={})
    table, rows = synthetic.sql_table(sql)
    assert table == sql_query(sql, context=context)
    assert table.splitlines()[-1] == f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
