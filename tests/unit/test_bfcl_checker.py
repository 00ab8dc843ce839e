"""The BFCL yardstick's checker and schema conversion, on small hand-written cases.

No BFCL data here (CI does not install bfcl-eval): the cases below are written in BFCL's
format to pin down the rules of its AST checker for simple calls.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.bench.bfcl import (
    BfclCase,
    call_schema,
    case_from_bfcl,
    check_call,
    explain_call,
    load_simple_python,
    simple_python_files,
    standardize_string,
    to_json_schema,
)


def make_case(parameters: dict, answer: dict, name: str = "weather.get_forecast") -> BfclCase:
    entry = {
        "id": "hand_0",
        "question": [[{"role": "user", "content": "What is the weather in Paris?"}]],
        "function": [{"name": name, "description": "A test function.", "parameters": parameters}],
    }
    return case_from_bfcl(entry, {"id": "hand_0", "ground_truth": [{name: answer}]})


@pytest.fixture
def forecast() -> BfclCase:
    return make_case(
        {
            "type": "dict",
            "properties": {
                "city": {"type": "string", "description": "The city."},
                "days": {"type": "integer", "description": "Days ahead.", "default": 3},
                "units": {"type": "string", "enum": ["metric", "imperial"]},
                "threshold": {"type": "float", "description": "Alert threshold."},
            },
            "required": ["city", "threshold"],
        },
        {
            "city": ["New York, NY", "NYC"],
            "days": [5],
            "units": ["metric", ""],
            "threshold": [2.0],
        },
    )


# ---------------------------------------------------------------- strings


def test_standardize_string_follows_bfcl():
    assert standardize_string("New York, NY") == "newyorkny"
    assert standardize_string("2021-01-28") == "20210128"
    assert standardize_string("a_b*c^d/e.f") == "abcdef"
    assert standardize_string("It's") == 'it"s'


def test_strings_compare_after_standardisation(forecast):
    base = {"days": 5, "threshold": 2.0}
    assert check_call(forecast, {**base, "city": "New York, NY"})
    assert check_call(forecast, {**base, "city": "new york ny"})
    assert check_call(forecast, {**base, "city": "NEW-YORK,NY"})
    assert check_call(forecast, {**base, "city": "nyc"})
    assert not check_call(forecast, {**base, "city": "New York City"})
    assert not check_call(forecast, {**base, "city": "Boston"})


# ---------------------------------------------------------------- parameters


def test_optional_parameter_may_be_omitted_when_blank_allowed(forecast):
    assert check_call(forecast, {"city": "NYC", "days": 5, "threshold": 2.0})
    assert check_call(forecast, {"city": "NYC", "days": 5, "threshold": 2.0, "units": "metric"})


def test_optional_parameter_with_wrong_value_fails(forecast):
    call = {"city": "NYC", "days": 5, "threshold": 2.0, "units": "imperial"}
    assert not check_call(forecast, call)
    assert "units" in explain_call(forecast, call)


def test_optional_parameter_without_blank_must_be_given(forecast):
    # "days" is optional in the doc but its possible answer has no "": leaving it out fails
    call = {"city": "NYC", "threshold": 2.0}
    assert not check_call(forecast, call)
    assert "days" in explain_call(forecast, call)


def test_missing_required_parameter_fails(forecast):
    call = {"city": "NYC", "days": 5}
    assert not check_call(forecast, call)
    assert "missing required" in explain_call(forecast, call)


def test_extra_parameter_fails(forecast):
    assert not check_call(forecast, {"city": "NYC", "days": 5, "threshold": 2.0, "lang": "en"})


def test_parameter_in_doc_but_not_in_answer_fails():
    case = make_case(
        {
            "type": "dict",
            "properties": {"x": {"type": "integer"}, "note": {"type": "string"}},
            "required": ["x"],
        },
        {"x": [1]},
    )
    assert check_call(case, {"x": 1})
    assert not check_call(case, {"x": 1, "note": "hi"})


def test_function_name_checked_when_given(forecast):
    call = {"city": "NYC", "days": 5, "threshold": 2.0}
    assert check_call(forecast, call, "weather_get_forecast")
    assert check_call(forecast, call, "weather.get_forecast")
    assert not check_call(forecast, call, "get_forecast")


def test_arguments_must_be_an_object(forecast):
    assert not check_call(forecast, ["NYC", 5, 2.0])  # type: ignore[arg-type]


# ---------------------------------------------------------------- types


def test_int_accepted_for_float(forecast):
    assert check_call(forecast, {"city": "NYC", "days": 5, "threshold": 2})
    assert not check_call(forecast, {"city": "NYC", "days": 5, "threshold": 3})


def test_integer_parameter_types_are_exact(forecast):
    base = {"city": "NYC", "threshold": 2.0}
    assert check_call(forecast, {**base, "days": 5})
    assert not check_call(forecast, {**base, "days": "5"})  # a string is no integer
    assert not check_call(forecast, {**base, "days": 5.0})  # nor is a float
    assert "wrong type" in explain_call(forecast, {**base, "days": "5"})


def test_bool_is_not_an_integer():
    case = make_case(
        {"type": "dict", "properties": {"n": {"type": "integer"}}, "required": ["n"]}, {"n": [1]}
    )
    assert check_call(case, {"n": 1})
    assert not check_call(case, {"n": True})


def test_string_for_number_fails_but_number_for_string_too(forecast):
    assert not check_call(forecast, {"city": "NYC", "days": 5, "threshold": "2.0"})
    assert not check_call(forecast, {"city": 5, "days": 5, "threshold": 2.0})


def test_variable_answer_of_another_type_is_compared_as_is():
    # BFCL: when the possible answer's type differs from the doc's, it names a variable
    case = make_case(
        {"type": "dict", "properties": {"data": {"type": "dict"}}, "required": ["data"]},
        {"data": ["my_data"]},
    )
    assert check_call(case, {"data": "my_data"})
    assert not check_call(case, {"data": "My_Data"})  # no standardisation for variables
    assert not check_call(case, {"data": {"a": 1}})


# ---------------------------------------------------------------- lists


@pytest.fixture
def route() -> BfclCase:
    return make_case(
        {
            "type": "dict",
            "properties": {
                "stops": {"type": "array", "items": {"type": "string"}},
                "point": {"type": "tuple", "items": {"type": "float"}},
                "avoid": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["stops", "point"],
        },
        {
            "stops": [["Santa Barbara", "Monterey"], ["Monterey", "Santa Barbara"]],
            "point": [[34.5, -118.0]],
            "avoid": ["", []],
        },
    )


def test_list_comparison(route):
    point = [34.5, -118.0]
    assert check_call(route, {"stops": ["Santa Barbara", "Monterey"], "point": point})
    assert check_call(route, {"stops": ["monterey", "santa-barbara"], "point": point})
    assert check_call(route, {"stops": ["Santa Barbara", "Monterey"], "point": (34.5, -118.0)})
    assert not check_call(route, {"stops": ["Monterey"], "point": point})
    assert not check_call(route, {"stops": ["Santa Barbara", "Monterey", "LA"], "point": point})
    assert not check_call(route, {"stops": "Santa Barbara, Monterey", "point": point})
    assert not check_call(route, {"stops": ["Santa Barbara", "Monterey"], "point": [34.5, -118.1]})


def test_list_items_are_type_checked(route):
    stops = ["Santa Barbara", "Monterey"]
    # BFCL promotes int to float only for a float parameter itself, not for array items
    assert not check_call(route, {"stops": stops, "point": [34.5, -118]})
    assert not check_call(route, {"stops": [1, 2], "point": [34.5, -118.0]})


def test_optional_list_blank_or_empty(route):
    call = {"stops": ["Santa Barbara", "Monterey"], "point": [34.5, -118.0]}
    assert check_call(route, call)
    assert check_call(route, {**call, "avoid": []})
    assert not check_call(route, {**call, "avoid": ["tolls"]})


# ---------------------------------------------------------------- dicts


@pytest.fixture
def painting() -> BfclCase:
    return make_case(
        {
            "type": "dict",
            "properties": {
                "area": {
                    "type": "dict",
                    "properties": {
                        "width": {"type": "integer"},
                        "height": {"type": "integer"},
                        "room": {"type": "string"},
                    },
                },
                "conditions": {
                    "type": "array",
                    "items": {
                        "type": "dict",
                        "properties": {"field": {"type": "string"}, "value": {"type": "string"}},
                    },
                },
            },
            "required": ["area"],
        },
        {
            "area": [{"width": [20], "height": [12], "room": ["Living room", ""]}],
            "conditions": [
                "",
                [{"field": ["age"], "value": ["25"]}, {"field": ["job"], "value": ["engineer"]}],
            ],
        },
    )


def test_nested_dict(painting):
    assert check_call(painting, {"area": {"width": 20, "height": 12}})
    assert check_call(painting, {"area": {"width": 20, "height": 12, "room": "living-room"}})
    assert not check_call(painting, {"area": {"width": 20, "height": 12, "room": "Kitchen"}})
    assert not check_call(painting, {"area": {"width": 20}})  # "height" has no ""
    assert not check_call(painting, {"area": {"width": 20, "height": 12, "depth": 3}})
    assert not check_call(painting, {"area": {"width": 20, "height": 13}})
    assert not check_call(painting, {"area": [20, 12]})


def test_list_of_dicts_in_order(painting):
    area = {"width": 20, "height": 12}
    good = [{"field": "Age", "value": "25"}, {"field": "job", "value": "Engineer"}]
    assert check_call(painting, {"area": area, "conditions": good})
    assert not check_call(painting, {"area": area, "conditions": good[::-1]})
    assert not check_call(painting, {"area": area, "conditions": good[:1]})


# ---------------------------------------------------------------- schema conversion


def test_schema_conversion():
    schema = to_json_schema(
        {
            "type": "dict",
            "properties": {
                "ratio": {"type": "float", "description": "A ratio.", "default": 0.5},
                "coords": {"type": "tuple", "items": {"type": "float"}},
                "data": {"type": "any", "description": "Anything."},
                "mode": {"type": "string", "enum": ["a", "b"], "optional": True},
                "opts": {
                    "type": "dict",
                    "properties": {"deep": {"type": "boolean"}},
                    "required": ["deep"],
                },
                "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                "free": {"type": "dict"},
                "tags": {"type": "array", "items": {"type": "string"}, "default": "all"},
            },
            "required": ["ratio", "nope"],
        },
        top=True,
    )
    props = schema["properties"]
    assert schema["type"] == "object"
    assert schema["required"] == ["ratio"]  # names outside the properties are dropped
    assert schema["additionalProperties"] is False
    assert props["ratio"] == {"type": "number", "description": "A ratio. (default: 0.5)"}
    assert props["coords"] == {"type": "array", "items": {"type": "number"}}
    assert "object" in props["data"]["type"] and "string" in props["data"]["type"]
    assert props["mode"] == {"type": "string", "enum": ["a", "b"]}
    assert props["opts"] == {
        "type": "object",
        "properties": {"deep": {"type": "boolean"}},
        "required": ["deep"],
        "additionalProperties": False,
    }
    assert props["grid"]["items"] == {"type": "array", "items": {"type": "integer"}}
    assert props["free"] == {"type": "object"}
    assert props["tags"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": '(default: "all")',
    }
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"ratio": 1, "data": [1, "x"], "grid": [[1, 2]], "free": {"k": 1}})
    assert not validator.is_valid({"ratio": "1"})
    assert not validator.is_valid({"ratio": 1.0, "extra": 1})


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError):
        to_json_schema({"type": "dict", "properties": {"x": {"type": "HashMap"}}}, top=True)


def test_case_fields_and_call_schema_compiles(painting):
    assert painting.tool.name == "weather_get_forecast"
    assert painting.original_name == "weather.get_forecast"
    assert painting.question == "What is the weather in Paris?"
    assert painting.tool.description == "A test function."
    schema = call_schema(painting)
    assert schema["properties"]["function"] == {"type": "string", "enum": [painting.tool.name]}
    jsonschema.Draft202012Validator.check_schema(schema)
    from llama_cpp.llama_grammar import LlamaGrammar

    LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)


def test_any_type_compiles_to_a_grammar():
    from llama_cpp.llama_grammar import LlamaGrammar

    case = make_case(
        {"type": "dict", "properties": {"data": {"type": "any", "description": "x"}}}, {}
    )
    LlamaGrammar.from_json_schema(json.dumps(call_schema(case)), verbose=False)


def test_loading_from_a_data_folder(tmp_path):
    entries = [
        {
            "id": f"simple_python_{i}",
            "question": [[{"role": "user", "content": f"Question {i}?"}]],
            "function": [
                {
                    "name": "math.add",
                    "description": "Add.",
                    "parameters": {
                        "type": "dict",
                        "properties": {"a": {"type": "integer"}},
                        "required": ["a"],
                    },
                }
            ],
        }
        for i in range(3)
    ]
    answers = [
        {"id": f"simple_python_{i}", "ground_truth": [{"math.add": {"a": [i]}}]} for i in range(3)
    ]
    (tmp_path / "possible_answer").mkdir()
    for name in ("BFCL_v4_simple_python.json", "BFCL_v3_simple.json"):
        (tmp_path / name).write_text("\n".join(json.dumps(e) for e in entries))
        (tmp_path / "possible_answer" / name).write_text("\n".join(json.dumps(a) for a in answers))
    questions, answer_file = simple_python_files(tmp_path)
    assert questions.name == "BFCL_v4_simple_python.json"
    assert answer_file == tmp_path / "possible_answer" / "BFCL_v4_simple_python.json"
    cases = load_simple_python(limit=2, data=tmp_path)
    assert [c.id for c in cases] == ["simple_python_0", "simple_python_1"]
    assert cases[1].question == "Question 1?"
    assert cases[1].answer == {"a": [1]}
    assert check_call(cases[1], {"a": 1}) and not check_call(cases[1], {"a": 0})
