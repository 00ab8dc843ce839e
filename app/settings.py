"""One declarative settings model.

Every option is declared once in ``OPTIONS`` with its type, default and description; the
settings dialog is built from this list and the file stores only values that differ from
the defaults. A settings file that cannot be read is set aside (renamed) and reported
through ``Settings.warnings``, never fatal. Secrets never live here: see ``app.secrets``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import SettingsError
from app.paths import Paths

POLICIES = ("ask", "allow", "deny")
_TOOL_FILE = re.compile(r"[^/\\\x00]+\.py")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # "str" | "int" | "float" | "bool" | "choice" | "dict"
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    hint: str = ""  # for the settings dialog's editor: "folder" | "hotkey" | "" (plain)


OPTIONS: tuple[Option, ...] = (
    Option("models.planner", "str", "default", "Model that writes the plan (and the answer)."),
    Option(
        "models.caller", "str", "default", "Function-caller model that turns a step into a call."
    ),
    Option("models.solver", "str", "", "Model that writes the answer; empty means the planner's."),
    Option(
        "models.planner_adapter",
        "str",
        "",
        "LoRA adapter (GGUF) on the planner's model; empty: none (the embedded model uses "
        "its shipped adapter).",
    ),
    Option("models.caller_adapter", "str", "", "LoRA adapter (GGUF) on the caller's model."),
    Option("models.solver_adapter", "str", "", "LoRA adapter (GGUF) on the solver's model."),
    Option(
        "models.shipped_adapters",
        "bool",
        True,
        "Use the adapters shipped for the embedded model (off: the base model alone).",
    ),
    Option("agent", "choice", "rewoo", "Agent mode.", choices=("rewoo", "react", "autogpt")),
    Option("llama.n_ctx", "int", 4096, "Context length for GGUF models.", minimum=512),
    Option(
        "llama.n_threads",
        "int",
        0,
        "CPU threads for GGUF models; 0: all cores read the prompt, all but one write.",
        minimum=0,
    ),
    Option("llama.n_gpu_layers", "int", 0, "Layers offloaded to the GPU (-1: all).", minimum=-1),
    Option(
        "openai.dialect",
        "choice",
        "auto",
        "What an OpenAI-compatible server can constrain: auto (probe it), llama.cpp "
        "(grammar + JSON schema), openai (JSON schema) or none.",
        choices=("auto", "llama.cpp", "openai", "none"),
    ),
    Option(
        "openai.connect_timeout", "float", 5.0, "Seconds to connect to a model server.", minimum=0.1
    ),
    Option(
        "openai.read_timeout",
        "float",
        120.0,
        "Seconds a model server may stay silent (first token included) before we give up.",
        minimum=0.1,
    ),
    Option(
        "openai.retries",
        "int",
        2,
        "Retries when a model server cannot be reached or fails before answering.",
        minimum=0,
    ),
    Option(
        "openai.parallel",
        "int",
        1,
        "Requests sent to one model server at the same time; raise it for servers that "
        "batch (vLLM, llama-server --parallel N).",
        minimum=1,
    ),
    Option(
        "exl2.vram_budget_gb",
        "float",
        0.0,
        "GPU memory one EXL2 model (weights + cache) may take; 0 means what is free.",
        minimum=0,
    ),
    Option("exl2.max_seq_len", "int", 4096, "Context length for EXL2 models.", minimum=256),
    Option("generation.temperature", "float", 0.0, "Sampling temperature; 0 is greedy.", minimum=0),
    Option("planner.max_steps", "int", 8, "Most steps a plan may have.", minimum=1),
    Option("planner.max_line", "int", 200, "Longest plan line, in characters.", minimum=20),
    Option(
        "planner.examples",
        "choice",
        "auto",
        "Few-shot examples in the planner prompt; auto leaves them out for a planner with "
        "a LoRA adapter (it was trained without them: shorter prompt, faster first token).",
        choices=("auto", "on", "off"),
    ),
    Option(
        "distributor.fast_path",
        "bool",
        True,
        "Skip the caller model when a tool takes one string argument.",
    ),
    Option("worker.max_parallel", "int", 4, "Steps that may run at the same time.", minimum=1),
    Option("react.max_steps", "int", 6, "Most tool actions a ReAct run may take.", minimum=1),
    Option("autogpt.max_steps", "int", 8, "Most commands an AutoGPT run may give.", minimum=1),
    Option(
        "autogpt.max_tokens",
        "int",
        60000,
        "Most tokens (prompt + completion) an AutoGPT run may spend.",
        minimum=1000,
    ),
    Option(
        "tools.timeout", "float", 30.0, "Seconds a tool may run before it is stopped.", minimum=0.1
    ),
    Option(
        "tools.python.unsandboxed",
        "bool",
        False,
        "Run code without a sandbox where none is available — the code runs with your full "
        "rights (every call is still asked, with a warning).",
    ),
    Option(
        "tools.trusted",
        "dict",
        {},
        "User tool files you trusted: file name → its SHA-256; a new or changed file is "
        "never loaded (smart-agent tools trust NAME).",
    ),
    Option(
        "solver.evidence_budget",
        "int",
        4000,
        "Characters of evidence per step shown to the solver.",
        minimum=200,
    ),
    Option(
        "conversation.budget",
        "int",
        1500,
        "Characters of earlier turns (tasks, answers, results) a follow-up's planner reads.",
        minimum=200,
    ),
    Option("approval", "dict", {}, "Approval policy per tool: ask, allow or deny."),
    Option(
        "workspace",
        "str",
        "",
        "Folder the write tools work in; empty means the default.",
        hint="folder",
    ),
    Option(
        "search.provider",
        "choice",
        "duckduckgo",
        "Web search provider.",
        choices=("duckduckgo", "searxng", "brave"),
    ),
    Option("search.searxng_url", "str", "", "Base URL of a SearXNG instance."),
    Option("search.max_results", "int", 5, "Default number of search results.", minimum=1),
    Option("wikipedia.language", "str", "en", "Wikipedia language code."),
    Option("databases", "dict", {}, "Database connections: name → URL."),
    Option(
        "hotkey",
        "str",
        "Ctrl+Alt+Q",
        "Global quick-prompt hotkey; empty switches it off.",
        hint="hotkey",
    ),
    Option("theme", "choice", "system", "Colour theme.", choices=("system", "light", "dark")),
    Option("ui.close_to_tray", "bool", False, "Closing the window keeps the app in the tray."),
    Option("ui.start_at_login", "bool", False, "Start Smart Agent when you log in."),
)

_BY_NAME = {option.name: option for option in OPTIONS}

_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "choice": lambda v: isinstance(v, str),
    "dict": lambda v: isinstance(v, dict),
}


def validate(name: str, value: Any) -> Any:
    """Return ``value`` checked (and normalised) for option ``name``."""
    option = _BY_NAME.get(name)
    if option is None:
        raise SettingsError(f"unknown setting '{name}'")
    if not _CHECKS[option.kind](value):
        raise SettingsError(f"setting '{name}' must be a {option.kind}, not {value!r}")
    if option.kind == "float":
        value = float(value)
    if option.choices and value not in option.choices:
        raise SettingsError(f"setting '{name}' must be one of {', '.join(option.choices)}")
    if option.minimum is not None and value < option.minimum:
        raise SettingsError(f"setting '{name}' must be at least {option.minimum}")
    if name == "approval":
        for tool, policy in value.items():
            if policy not in POLICIES:
                raise SettingsError(f"approval policy for '{tool}' must be ask, allow or deny")
    if name == "tools.trusted":
        for file, digest in value.items():
            if not _TOOL_FILE.fullmatch(str(file)) or not _SHA256.fullmatch(str(digest)):
                raise SettingsError(
                    f"tools.trusted maps a file name (NAME.py) to its SHA-256, not "
                    f"{file!r}: {digest!r}"
                )
    return value


class Settings:
    """Values of ``OPTIONS``; unknown keys in the file are kept aside, not lost."""

    def __init__(self, values: dict[str, Any] | None = None, *, paths: Paths | None = None):
        self.paths = paths or Paths.from_env()
        self._values: dict[str, Any] = {}
        self.warnings: list[str] = []
        for name, value in (values or {}).items():
            self.set(name, value)

    def get(self, name: str) -> Any:
        if name not in _BY_NAME:
            raise SettingsError(f"unknown setting '{name}'")
        value = self._values.get(name, _BY_NAME[name].default)
        return dict(value) if isinstance(value, dict) else value

    def set(self, name: str, value: Any) -> None:
        self._values[name] = validate(name, value)

    def as_dict(self) -> dict[str, Any]:
        return {option.name: self.get(option.name) for option in OPTIONS}

    @property
    def workspace(self) -> Path:
        configured = self.get("workspace")
        return Path(configured).expanduser() if configured else self.paths.workspace

    def policy_for(self, tool: str, risk: str) -> str:
        """The approval policy of ``tool``: the setting, else ask for writes, allow for reads.

        An MCP tool (``server__tool``) without a policy of its own takes its server's
        (``server__*``), if the person set one.
        """
        approval = self.get("approval")
        policy = approval.get(tool)
        if policy not in POLICIES and "__" in tool:
            policy = approval.get(tool.split("__", 1)[0] + "__*")
        if policy in POLICIES:
            return str(policy)
        return "ask" if risk == "write" else "allow"

    # -- file -------------------------------------------------------------------------

    @classmethod
    def load(cls, paths: Paths | None = None) -> Settings:
        paths = paths or Paths.from_env()
        settings = cls(paths=paths)
        path = paths.settings_file
        if not path.exists():
            return settings
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("the file does not hold a JSON object")
        except (OSError, ValueError) as exc:
            aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                path.replace(aside)
                where = f"moved to {aside.name}"
            except OSError:
                where = "left in place"
            settings.warnings.append(
                f"settings file {path} could not be read ({exc}); {where}, using defaults"
            )
            return settings
        for name, value in raw.items():
            try:
                settings.set(name, value)
            except SettingsError as exc:
                settings.warnings.append(f"ignored setting from {path.name}: {exc}")
        return settings

    def save(self) -> None:
        """Write the non-default values atomically (temp file + rename)."""
        path = self.paths.settings_file
        path.parent.mkdir(parents=True, exist_ok=True)
        changed = {
            option.name: self._values[option.name]
            for option in OPTIONS
            if option.name in self._values and self._values[option.name] != option.default
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(changed, handle, indent=2, sort_keys=True)
                handle.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
