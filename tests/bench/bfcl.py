"""BFCL v4 ``simple_python`` as a yardstick for the function-caller model.

The Berkeley Function Calling Leaderboard (BFCL) ships its questions and possible answers
in the ``bfcl-eval`` wheel (Apache-2.0, folder ``bfcl_eval/data/``). This module reads the
``simple_python`` category: one user question, one function, one expected call. BFCL is a
yardstick only: nothing here is ever used for training.

- :func:`ensure_bfcl` finds the data folder (installing ``bfcl-eval`` with ``--no-deps``
  when it is missing; its own dependencies pin an old numpy and pull in much more);
- :func:`load_simple_python` turns each case into a :class:`BfclCase` whose ``tool`` is a
  real :class:`app.tools.registry.Tool` with a JSON schema (Draft 2020-12) for its
  arguments, usable by the grammar-constrained caller;
- :func:`check_call` judges the arguments of a call with the rules of BFCL's AST checker
  for simple function calls (``simple_function_checker`` in
  ``bfcl_eval/eval_checker/ast_eval/ast_checker.py``), reimplemented here:

  * every required parameter is present; no parameter outside the function doc (or
    outside the possible answer) is given; a parameter left out must have ``""`` among
    its allowed values;
  * types as BFCL checks Python: exact types (a bool is no integer, the string ``"5"`` is
    no integer), except that an int is accepted for a float parameter; array items are
    type-checked one level deep; a value whose type is that of the possible answer while
    the doc says otherwise is taken as a "variable" and compared as is;
  * strings are compared after BFCL's standardisation (lower case; spaces and
    ``,./-_*^`` removed; ``'`` read as ``"``); lists compare element-wise, their string
    elements standardised; dicts compare key by key, string values standardised, a key
    left out only when its allowed values hold ``""``; lists of dicts compare dict by
    dict, in order; anything else compares with Python ``==`` (so ``5.0 == 5``).

Run ``python tests/bench/bfcl.py`` to see the cases load; ``--check`` also verifies that
every case's first possible answer passes both its JSON schema and :func:`check_call`, and
that every call schema compiles to a llama.cpp grammar.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

if __package__ in (None, ""):  # run as a script: make ``app`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.tools.registry import Tool  # noqa: E402

__all__ = [
    "BfclCase",
    "call_schema",
    "case_from_bfcl",
    "check_call",
    "ensure_bfcl",
    "explain_call",
    "load_simple_python",
    "standardize_string",
    "to_json_schema",
]

# ---------------------------------------------------------------- data


@functools.cache
def ensure_bfcl() -> Path:
    """The ``bfcl_eval/data`` folder; installs ``bfcl-eval`` (``--no-deps``) once if missing.

    The package is located with ``importlib.util.find_spec``, which does not run its
    ``__init__``: the data files are all that is needed here.
    """
    spec = importlib.util.find_spec("bfcl_eval")
    if spec is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "bfcl-eval"],
            check=True,
        )
        importlib.invalidate_caches()
        spec = importlib.util.find_spec("bfcl_eval")
        if spec is None:
            raise RuntimeError("bfcl-eval was installed but bfcl_eval cannot be found")
    locations = list(spec.submodule_search_locations or [])
    for location in locations:
        data = Path(location) / "data"
        if data.is_dir():
            return data
    raise RuntimeError(f"bfcl_eval has no data folder (looked in {locations})")


_SIMPLE_PYTHON_FILE = re.compile(r"BFCL_v(\d+)_simple(?:_python)?\.json")


def simple_python_files(data: Path | None = None) -> tuple[Path, Path]:
    """(questions, possible answers) of the newest ``simple_python`` release in ``data``.

    BFCL v4 names them ``BFCL_v4_simple_python.json`` and
    ``possible_answer/BFCL_v4_simple_python.json``; v3 called the category ``simple``.
    """
    data = data or ensure_bfcl()
    found = []
    for path in data.glob("BFCL_v*_simple*.json"):
        match = _SIMPLE_PYTHON_FILE.fullmatch(path.name)
        answers = data / "possible_answer" / path.name
        if match and answers.is_file():
            found.append((int(match.group(1)), path.name.endswith("_python.json"), path))
    if not found:
        raise FileNotFoundError(f"no BFCL simple_python questions with answers in {data}")
    questions = max(found)[2]
    return questions, data / "possible_answer" / questions.name


def _json_lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass(frozen=True)
class BfclCase:
    id: str
    question: str  # the last user message
    tool: Tool  # name with '.' -> '_', parameters as a JSON schema
    original_name: str  # BFCL's function name, e.g. "math.factorial"
    answer: dict[str, list]  # parameter -> allowed values ("" marks an optional parameter)


def load_simple_python(limit: int | None = None, data: Path | None = None) -> list[BfclCase]:
    """The ``simple_python`` cases in file order (the first ``limit`` when given).

    ``data``: a BFCL data folder; by default the installed package's (see ensure_bfcl).
    """
    questions_file, answers_file = simple_python_files(data)
    answers = {entry["id"]: entry for entry in _json_lines(answers_file)}
    cases: list[BfclCase] = []
    for entry in _json_lines(questions_file):
        if limit is not None and len(cases) >= limit:
            break
        cases.append(case_from_bfcl(entry, answers[entry["id"]]))
    return cases


def case_from_bfcl(entry: dict[str, Any], answer_entry: dict[str, Any]) -> BfclCase:
    """One BFCL question record and its possible-answer record as a :class:`BfclCase`."""
    functions = entry["function"]
    if len(functions) != 1:
        raise ValueError(f"{entry['id']}: a simple case has one function, not {len(functions)}")
    doc = functions[0]
    turn = entry["question"]  # a list of turns, each a list of messages
    if turn and isinstance(turn[0], list):
        turn = turn[-1]
    users = [m["content"] for m in turn if m.get("role") == "user"]
    if not users:
        raise ValueError(f"{entry['id']}: no user message")
    ground_truth = answer_entry["ground_truth"]
    if len(ground_truth) != 1:
        raise ValueError(f"{entry['id']}: a simple case has one expected call")
    ((answer_name, answer),) = ground_truth[0].items()
    if answer_name != doc["name"]:
        raise ValueError(f"{entry['id']}: answer names {answer_name}, doc {doc['name']}")
    return BfclCase(
        id=entry["id"],
        question=users[-1],
        tool=tool_from_doc(doc),
        original_name=doc["name"],
        answer={name: list(values) for name, values in answer.items()},
    )


def tool_name(name: str) -> str:
    """BFCL's function name as an identifier: '.' (and anything else odd) becomes '_'."""
    ident = re.sub(r"\W", "_", name.replace(".", "_"))
    return ident if re.match(r"[A-Za-z_]", ident) else f"_{ident}"


def tool_from_doc(doc: dict[str, Any]) -> Tool:
    name = tool_name(doc["name"])

    def not_run(**arguments: Any) -> str:  # BFCL functions are judged, never run
        return json.dumps({"function": name, "arguments": arguments}, default=str)

    return Tool(
        name=name,
        description=str(doc.get("description", "")).strip() or name.replace("_", " "),
        parameters=to_json_schema(doc.get("parameters") or {"type": "dict"}, top=True),
        function=not_run,
    )


# ---------------------------------------------------------------- schema conversion

# BFCL type -> JSON schema type; None: no type constraint. JSON schema names are taken too.
_JSON_TYPES: dict[str, str | None] = {
    "dict": "object",
    "object": "object",
    "float": "number",
    "number": "number",
    "integer": "integer",
    "string": "string",
    "boolean": "boolean",
    "array": "array",
    "tuple": "array",
    "any": None,  # see _ANY_TYPES
}
# "any" as an explicit union of every JSON type: the same as no constraint for a validator,
# but llama-cpp-python's converter reads a bare {} as "object" and rejects a schema holding
# only a description ("Unrecognized schema").
_ANY_TYPES = ["string", "number", "integer", "boolean", "array", "object", "null"]


def to_json_schema(spec: dict[str, Any], *, top: bool = False) -> dict[str, Any]:
    """A BFCL parameter spec as a JSON schema (Draft 2020-12) fit for a GBNF converter.

    Types map dict->object, float->number, tuple->array, any->every JSON type (no
    constraint, spelled out for llama.cpp); kept:
    ``description``, ``enum``, ``items``, ``properties``, ``required``. ``default`` goes
    into the description text; other keys (``optional``, ...) are dropped. An object
    with properties gets ``additionalProperties: false`` (BFCL rejects unknown keys);
    ``top`` marks the function's parameter object, which always has ``properties`` and
    ``required``.
    """
    bfcl_type = spec.get("type", "any" if not top else "dict")
    if bfcl_type not in _JSON_TYPES:
        raise ValueError(f"unknown BFCL type {bfcl_type!r}")
    json_type = _JSON_TYPES[bfcl_type]
    if top and json_type != "object":
        raise ValueError(f"function parameters must be a dict, not {bfcl_type!r}")
    out: dict[str, Any] = {}
    out["type"] = json_type if json_type is not None else list(_ANY_TYPES)
    description = str(spec.get("description", "")).strip()
    if "default" in spec:
        default = json.dumps(spec["default"], ensure_ascii=False)
        description = f"{description} (default: {default})".strip()
    if description:
        out["description"] = description
    if "enum" in spec and isinstance(spec["enum"], list) and spec["enum"]:
        out["enum"] = list(spec["enum"])
    if json_type == "array" and isinstance(spec.get("items"), dict):
        out["items"] = to_json_schema(spec["items"])
    if json_type == "object":
        properties = spec.get("properties")
        if isinstance(properties, dict) and (properties or top):
            out["properties"] = {str(name): to_json_schema(sub) for name, sub in properties.items()}
            required = [r for r in spec.get("required") or [] if r in properties]
            if required or top:
                out["required"] = required
            out["additionalProperties"] = False
        elif top:
            out.update(properties={}, required=[], additionalProperties=False)
    return out


def call_schema(case: BfclCase) -> dict[str, Any]:
    """The schema of one call of the case's tool, as the function caller constrains it."""
    return {
        "type": "object",
        "properties": {
            "function": {"type": "string", "enum": [case.tool.name]},
            "arguments": case.tool.parameters,
        },
        "required": ["function", "arguments"],
        "additionalProperties": False,
    }


# ---------------------------------------------------------------- checker

_PUNCTUATION = re.compile(r"[ ,./\-_*^]")


def standardize_string(text: str) -> str:
    """BFCL's string standardisation: drop spaces and ``,./-_*^``, lower-case, ``'``->``"``."""
    return _PUNCTUATION.sub("", text).lower().replace("'", '"')


def _std(value: Any) -> Any:
    return standardize_string(value) if type(value) is str else value


# JSON schema type (None: BFCL "any") -> the Python type BFCL's checker expects
_PYTHON_TYPES: dict[str | None, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "array": list,
    "object": dict,
    None: str,
}
_NO_ITEMS = object()


def _python_type(spec: dict[str, Any]) -> type:
    kind = spec.get("type")
    if isinstance(kind, list):  # BFCL "any" (checked as a string, as BFCL does)
        kind = None if len(kind) > 2 else next((k for k in kind if k != "null"), None)
    return _PYTHON_TYPES.get(kind, str)


def check_call(case: BfclCase, arguments: dict, function: str | None = None) -> bool:
    """Whether a call of ``case.tool`` with ``arguments`` counts as correct for BFCL.

    ``function``, when given, must name the case's tool (its identifier or BFCL's name).
    """
    return explain_call(case, arguments, function) is None


def explain_call(case: BfclCase, arguments: Any, function: str | None = None) -> str | None:
    """None when the call is correct, else why not (one reason, BFCL's order of checks)."""
    if function is not None and function not in (case.tool.name, case.original_name):
        return f"wrong function {function!r}, expected {case.tool.name!r}"
    if not isinstance(arguments, dict):
        return "arguments are not an object"
    schema = case.tool.parameters
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in arguments:
            return f"missing required parameter {name!r}"
    for name, value in arguments.items():
        if name not in properties or name not in case.answer:
            return f"unexpected parameter {name!r}"
        problem = _check_argument(name, value, properties[name], case.answer[name])
        if problem:
            return problem
    for name, allowed in case.answer.items():
        if name not in arguments and "" not in allowed:
            return f"parameter {name!r} left out but not optional"
    return None


def _check_argument(name: str, value: Any, spec: dict[str, Any], allowed: list) -> str | None:
    expected = _python_type(spec)
    item_type: Any = _NO_ITEMS
    if expected is list and isinstance(spec.get("items"), dict):
        item_type = _python_type(spec["items"])
    if type(value) is tuple and expected is list:
        value = list(value)
    if spec.get("type") == "number" and type(value) is int:
        value = float(value)  # Python's own int -> float promotion

    ok, variable = _type_check(value, allowed, expected, item_type)
    if not ok:
        return f"wrong type for {name!r}: {type(value).__name__} {value!r}"
    if not variable:
        if expected is dict:
            matched = _dict_matches_any(value, allowed)
        elif expected is list and item_type is dict:
            matched = _dict_list_matches(value, allowed)
        elif expected is str:
            matched = standardize_string(value) in [
                standardize_string(a) for a in allowed if type(a) is str
            ]
        elif expected is list:
            matched = _list_matches(value, allowed)
        else:
            matched = value in allowed
    else:
        matched = value in allowed
    return None if matched else f"wrong value for {name!r}: {value!r}, allowed {allowed!r}"


def _type_check(value: Any, allowed: list, expected: type, item_type: Any) -> tuple[bool, bool]:
    """(type acceptable, value is a "variable") as BFCL's ``type_checker`` decides.

    BFCL takes the type of the first non-"" allowed value as the answer's type; when that
    differs from the documented type the answer is a variable name and a value of the
    answer's type is accepted and compared as is.
    """
    answer_type = next((type(a) for a in allowed if not (type(a) is str and a == "")), None)
    variable = answer_type is not None and answer_type is not expected
    if type(value) is expected:
        if item_type is _NO_ITEMS:
            return True, variable
        for option in allowed:
            if type(option) is not list:  # "" (or a variable): nothing to check items against
                return True, variable
            items = cast(list, value)
            if all(_type_check(item, option, item_type, _NO_ITEMS)[0] for item in items):
                return True, variable
        return False, variable
    if answer_type is not None and type(value) is answer_type:
        return True, True
    return False, False


def _list_matches(value: list, allowed: list) -> bool:
    got = [_std(item) for item in value]
    for option in allowed:
        if isinstance(option, list | str):  # BFCL iterates "" as an empty list
            if got == [_std(item) for item in option]:
                return True
    return False


def _dict_matches(value: dict, option: dict) -> bool:
    for key, item in value.items():
        if key not in option:
            return False
        if _std(item) not in [_std(a) for a in option[key]]:
            return False
    return all(key in value or "" in values for key, values in option.items())


def _dict_matches_any(value: dict, allowed: list) -> bool:
    return any(isinstance(option, dict) and _dict_matches(value, option) for option in allowed)


def _dict_list_matches(value: list, allowed: list) -> bool:
    for option in allowed:
        dicts = option if isinstance(option, list) else [] if option == "" else None
        if dicts is None or len(dicts) != len(value):
            continue
        if all(
            isinstance(got, dict) and isinstance(want, dict) and _dict_matches(got, want)
            for got, want in zip(value, dicts, strict=True)
        ):
            return True
    return False


# ---------------------------------------------------------------- self-check


def _resolve(option: Any) -> Any:
    """One concrete value of an allowed value: dicts (and lists of dicts) in possible
    answers hold allowed-value lists of their own."""
    if isinstance(option, dict):
        return {
            key: _resolve(values[0])
            for key, values in option.items()
            if isinstance(values, list) and values and not _is_blank(values[0])
        }
    if isinstance(option, list) and option and all(isinstance(o, dict) for o in option):
        return [_resolve(o) for o in option]
    return option


def _is_blank(value: Any) -> bool:
    return type(value) is str and value == ""


def first_answer(case: BfclCase) -> dict[str, Any]:
    """A correct call: for each parameter the first allowed value that its JSON schema
    accepts (so the grammar can produce it), left out when optional and none is."""
    import jsonschema

    properties = case.tool.parameters.get("properties", {})
    call = {}
    for name, allowed in case.answer.items():
        values = [_resolve(a) for a in allowed if not _is_blank(a)]
        fitting = [
            v
            for v in values
            if jsonschema.Draft202012Validator(properties.get(name, {})).is_valid(v)
        ]
        if fitting:
            call[name] = fitting[0]
        elif values and "" not in allowed:
            call[name] = values[0]  # the schema will reject it: reported by self_check
    return call


def self_check(cases: list[BfclCase], grammar: bool = True) -> list[str]:
    """Problems found: invalid schemas, correct answers that a schema rejects or that
    check_call rejects, call schemas that do not compile to a llama.cpp grammar."""
    import jsonschema

    problems = []
    for case in cases:
        schema = call_schema(case)
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            problems.append(f"{case.id}: invalid schema: {exc.message}")
            continue
        answer = first_answer(case)
        errors = list(jsonschema.Draft202012Validator(case.tool.parameters).iter_errors(answer))
        if errors:
            problems.append(f"{case.id}: the answer fails the schema: {errors[0].message}")
        reason = explain_call(case, answer, case.tool.name)
        if reason:
            problems.append(f"{case.id}: the answer fails check_call: {reason}")
    if grammar:
        from llama_cpp.llama_grammar import LlamaGrammar

        for case in cases:
            try:
                LlamaGrammar.from_json_schema(json.dumps(call_schema(case)), verbose=False)
            except Exception as exc:  # noqa: BLE001 - any failure is a finding
                problems.append(f"{case.id}: grammar does not compile: {exc!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show", type=int, default=3, help="converted schemas to print")
    parser.add_argument("--check", action="store_true", help="validate every case")
    args = parser.parse_args(argv)

    questions, answers = simple_python_files()
    cases = load_simple_python(args.limit)
    print(f"questions: {questions}")
    print(f"answers:   {answers}")
    print(f"cases: {len(cases)}")
    shown = cases[: args.show]
    shown += [c for c in cases if c.original_name != c.tool.name][:1]
    shown += [c for c in cases if "items" in json.dumps(c.tool.parameters)][:1]
    for case in shown:
        print(f"\n{case.id} ({case.original_name} -> {case.tool.name}): {case.question}")
        print(json.dumps(case.tool.parameters, indent=2, ensure_ascii=False))
        print(f"answer: {json.dumps(case.answer, ensure_ascii=False)}")
    if args.check:
        problems = self_check(cases)
        print(f"\nself-check: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  {problem}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
