"""The plan format: parsing, validation, dependency graph, grammar."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import PlanError
from app.plan import Plan, parse_plan, plan_grammar, substitute

TOOLS = {"get_current_time", "llm", "wikipedia_search"}


def test_parses_pairs_with_multi_digit_ids_crlf_and_brackets_in_input():
    lines = []
    for n in range(1, 12):
        ref = f" after #E{n - 1}" if n > 1 else ""
        lines += [f"Plan: step {n}", f"#E{n} = llm[say [x] {n}{ref}]"]
    plan = parse_plan("\r\n".join(lines), TOOLS)
    assert len(plan.steps) == 11
    assert plan.steps[10].id == "E11"
    assert plan.steps[10].input == "say [x] 11 after #E10"
    assert plan.steps[10].deps == ("E10",)
    assert plan.steps[0].deps == ()


def test_dependency_graph_ready_sets():
    plan = parse_plan(
        "Plan: a\n#E1 = llm[a]\nPlan: b\n#E2 = llm[b]\nPlan: c\n#E3 = llm[#E1 and #E2]\n",
        TOOLS,
    )
    assert [s.id for s in plan.ready(done=set(), started=set())] == ["E1", "E2"]
    assert [s.id for s in plan.ready(done={"E1"}, started={"E1", "E2"})] == []
    assert [s.id for s in plan.ready(done={"E1", "E2"}, started={"E1", "E2"})] == ["E3"]


def test_substitute_replaces_references_without_confusing_e1_and_e10():
    assert substitute("#E1 #E10 #E1x", {"E1": "one", "E10": "ten"}) == "one ten onex"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("I think the answer is 42.", "expected 'Plan: …'"),
        ("", "no steps"),
        ("Plan: a\n#E1 = shell[rm -rf /]", "unknown tool 'shell'"),
        ("Plan: a\n#E1 = llm[oops", "must look like"),
        ("Plan: a\n#E1 = llm(oops)", "must look like"),
        ("Plan: a\n#E1 = llm[#E2]\nPlan: b\n#E2 = llm[x]", "refers to #E2, a later step"),
        ("Plan: a\n#E1 = llm[#E1]", "refers to its own result"),
        ("Plan: a\n#E1 = llm[#E7]", "#E7"),
        ("Plan: a\n#E1 = llm[x]\nPlan: b\n#E1 = llm[y]", "used twice"),
        ("Plan: a\n#E2 = llm[x]\nPlan: b\n#E1 = llm[y]", "ids must increase"),
        ("Plan: a\n#E0 = llm[x]", "start at #E1"),
        ("Plan: a\n#E123456789012345678901234567890 = llm[x]", "too large"),
        ("Plan: a", "no #E step"),
        ("#E1 = llm[x]", "no 'Plan:' line"),
        ("Plan: a\nPlan: b\n#E1 = llm[x]", "must be followed"),
    ],
)
def test_malformed_plans_raise_plan_error_with_a_reason(text, fragment):
    with pytest.raises(PlanError, match=re.escape(fragment)):
        parse_plan(text, TOOLS)


def test_step_limit():
    text = "\n".join(f"Plan: s\n#E{n} = llm[x]" for n in range(1, 5))
    with pytest.raises(PlanError, match="more than 3 steps"):
        parse_plan(text, TOOLS, max_steps=3)


def test_megabytes_of_garbage_fail_fast_with_a_short_message():
    garbage = ("Plan: " + " " * 2_000_000 + "x\n") + "#E1 = llm[" + "]" * 1_000_000
    with pytest.raises(PlanError) as info:
        parse_plan(garbage, TOOLS)
    assert len(str(info.value)) < 300


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Plan:#E0123456789=[] \n\r\tllmxyz_")), max_size=300))
def test_parser_never_raises_anything_but_plan_error(text):
    try:
        plan = parse_plan(text, TOOLS)
    except PlanError:
        return
    assert isinstance(plan, Plan) and plan.steps


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_parser_on_arbitrary_unicode(text):
    try:
        parse_plan(text, TOOLS)
    except PlanError:
        pass


def test_grammar_lists_tools_and_bounds_steps():
    grammar = plan_grammar(["llm", "get_current_time"], max_steps=3, max_line=80)
    assert 'tool ::= "get_current_time" | "llm"' in grammar
    assert "step3 ::=" in grammar and "step4" not in grammar
    assert 'ref3 ::= "#E" ("1" | "2")' in grammar
    assert "input1 ::= plain{0,80}" in grammar


def test_grammar_rejects_bad_arguments():
    with pytest.raises(ValueError):
        plan_grammar([], 3)
    with pytest.raises(ValueError):
        plan_grammar(["llm"], 0)


def test_a_cut_inside_a_plan_sentence_ending_in_a_bracket_keeps_the_complete_steps():
    from app.agents.rewoo import complete_steps

    cut = "Plan: Ask.\n#E1 = llm[Who?]\nPlan: then look [it] up"
    assert complete_steps(cut) == "Plan: Ask.\n#E1 = llm[Who?]\n"
    assert len(parse_plan(complete_steps(cut), ["llm"]).steps) == 1
    whole = "Plan: Ask.\n#E1 = llm[Who?]"
    assert complete_steps(whole) == whole
