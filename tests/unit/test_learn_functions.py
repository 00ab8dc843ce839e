"""The caller's training cases: varied, valid against their schemas, and copyable."""

from __future__ import annotations

import collections
import re

import jsonschema
import pytest

from app.learn.functions import (
    FAMILIES,
    PRODUCT_TOOLS,
    CallerCase,
    caller_cases,
    family_problems,
    fixed_keys,
)
from app.tools.builtin import builtin_tools

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@pytest.fixture(scope="module")
def train() -> list[CallerCase]:
    return caller_cases(2000, 11)


@pytest.fixture(scope="module")
def held_out() -> list[CallerCase]:
    return caller_cases(500, 11, split="eval")


def test_same_seed_same_cases_other_seed_other_cases() -> None:
    assert caller_cases(200, 3) == caller_cases(200, 3)
    assert caller_cases(200, 3, split="eval") == caller_cases(200, 3, split="eval")
    assert [c.request for c in caller_cases(50, 3)] != [c.request for c in caller_cases(50, 4)]


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="split"):
        caller_cases(1, 0, split="test")


def test_families_are_well_declared() -> None:
    assert len(FAMILIES) >= 60
    problems = [problem for family in FAMILIES for problem in family_problems(family)]
    assert problems == []
    names = [name for family in FAMILIES for name in family.names]
    assert len(names) == len(set(names)), "two families share a function name"
    assert not set(names) & set(builtin_tools().names)
    assert all(IDENTIFIER.fullmatch(name) for name in names)


def test_train_and_eval_templates_differ() -> None:
    for family in FAMILIES:
        assert not set(family.train) & set(family.eval), family.names[0]


def test_many_functions_are_drawn(train: list[CallerCase]) -> None:
    names = {case.tool.name for case in train}
    assert len(names - set(PRODUCT_TOOLS)) >= 60
    family_of = {name: family.names[0] for family in FAMILIES for name in family.names}
    assert len({family_of[n] for n in names if n in family_of}) >= 60


def test_arguments_fit_the_schema(train: list[CallerCase], held_out: list[CallerCase]) -> None:
    for number, case in enumerate(train + held_out):
        if number % 10 == 0:  # the product's own check (slow: it checks the schema too)
            case.tool.validate(case.arguments)
        jsonschema.Draft202012Validator(case.tool.parameters).validate(case.arguments)
        for name in case.tool.parameters["required"]:
            assert name in case.arguments, (case.tool.name, case.request)
        for value in case.arguments.values():
            assert value is not None


def test_tool_parameters_are_json_schema(train: list[CallerCase]) -> None:
    types: collections.Counter[str] = collections.Counter()
    for case in train:
        schema = case.tool.parameters
        assert schema["type"] == "object"
        assert set(schema["required"]) <= set(schema["properties"])
        for spec in schema["properties"].values():
            types[spec["type"]] += 1
            assert spec.get("description")
            if spec["type"] == "array":
                assert "items" in spec
    assert {"integer", "number", "string", "boolean", "array"} <= set(types)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def test_strings_are_copied_from_the_request(
    train: list[CallerCase], held_out: list[CallerCase]
) -> None:
    for case in train + held_out:
        properties = case.tool.parameters["properties"]
        for name, value in case.arguments.items():
            if "enum" in properties[name]:
                continue  # said naturally ("in Fahrenheit"), picked by the constrained decoder
            for text in _strings(value):
                assert text in case.request, (case.tool.name, name, text, case.request)


def test_save_file_requests_are_path_colon_content(train: list[CallerCase]) -> None:
    saves = [case for case in train if case.tool.name == "save_file"]
    assert saves
    assert any("\n" in case.arguments["content"] for case in saves)
    assert any(case.arguments.get("overwrite") for case in saves)
    for case in saves:
        path, content = case.arguments["path"], case.arguments["content"]
        assert case.request.startswith(path)
        assert case.request.endswith(content)
        said_overwrite = re.search(r"overwrite|replace", case.request[len(path):].split(":")[0])
        assert bool(case.arguments.get("overwrite")) == bool(said_overwrite)
        assert case.arguments.get("overwrite", True) is True


def test_search_counts_only_when_asked(train: list[CallerCase]) -> None:
    product_searches = ("web_search", "wikipedia_search", "bilibili_search")
    searches = [case for case in train if case.tool.name in product_searches]
    assert searches
    for case in searches:
        rest = case.request.replace(case.arguments["query"], "")
        if len(case.arguments) == 1:
            assert not re.search(r"\d", rest), case.request


def test_optional_arguments_are_sometimes_left_out(train: list[CallerCase]) -> None:
    given = left_out = 0
    for case in train:
        schema = case.tool.parameters
        for name in set(schema["properties"]) - set(schema["required"]):
            if name in case.arguments:
                given += 1
            else:
                left_out += 1
    assert given > 300 and left_out > 300


def test_product_tools_take_a_quarter(train: list[CallerCase]) -> None:
    real = builtin_tools()
    counts = collections.Counter(case.tool.name for case in train)
    share = sum(counts[name] for name in PRODUCT_TOOLS) / len(train)
    assert 0.2 <= share <= 0.3
    assert counts.most_common(1)[0][0] == "save_file"
    assert all(counts[name] for name in PRODUCT_TOOLS)
    for case in train:
        if case.tool.name in PRODUCT_TOOLS:
            assert case.tool is real.get(case.tool.name) or case.tool == real.get(case.tool.name)


def test_distractors_are_other_functions(train: list[CallerCase]) -> None:
    sizes = collections.Counter(len(case.distractors) for case in train)
    assert set(sizes) == {0, 1, 2, 3}
    for case in train:
        names = [case.tool.name] + [tool.name for tool in case.distractors]
        assert len(names) == len(set(names))


def test_eval_split_is_held_out(train: list[CallerCase], held_out: list[CallerCase]) -> None:
    assert not {case.request for case in train[:500]} & {case.request for case in held_out}
    assert not {case.request for case in train} & {case.request for case in held_out}


def test_numbers_are_numbers_and_words_are_used_sometimes(train: list[CallerCase]) -> None:
    worded = 0
    for case in train:
        properties = case.tool.parameters["properties"]
        for name, value in case.arguments.items():
            kind = properties[name]["type"]
            if kind == "integer":
                assert isinstance(value, int) and not isinstance(value, bool)
            elif kind == "number":
                assert isinstance(value, int | float) and not isinstance(value, bool)
                if isinstance(value, float):
                    assert str(value).rstrip("0") in case.request.replace(",", "")
            if kind == "integer" and 0 < value <= 12 and str(value) not in case.request:
                worded += 1
    assert worded > 10


def test_fixed_keys_ignore_optional_segments() -> None:
    assert fixed_keys("Find {a}[ in {b}] and {c}") == ["a", "c"]
