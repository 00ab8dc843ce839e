"""One declarative settings model.

Every option is declared once in ``OPTIONS`` with its type, default and description; the
settings dialog is built from this list and the file stores only values that differ from
the defaults. A settings file that cannot be read is set aside (renamed) and reported
through ``Settings.warnings``, never fatal.

Every change goes through ``Settings.update`` (``set`` is its one-value, unsaved form), and
every listener given to ``Settings.subscribe`` hears which options changed — the settings
dialog, the model picker, Teach, the policy commands and the approval's "always allow"
alike. Keys this version does not know (or values it cannot use) are kept and written back.

Secrets never live here, only their names (``Secret``): their values are in the OS keyring,
see ``app.secrets``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import SettingsError
from app.paths import Paths

POLICIES = ("ask", "allow", "deny")
# the agent modes, each with the name it is shown by; app.runtime holds their classes
AGENT_MODES = {"rewoo": "ReWOO", "react": "ReAct", "autogpt": "AutoGPT"}
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
    Option("agent", "choice", "rewoo", "Agent mode.", choices=tuple(AGENT_MODES)),
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


@dataclass(frozen=True)
class Secret:
    """Where a secret is found: its entry in the keyring (service ``smart-agent``), and the
    environment variable that wins over it, if any."""

    keyring: str
    env: str | None = None


BRAVE_API_KEY = Secret("brave_api_key", "SMART_AGENT_BRAVE_API_KEY")


def db_password_secret(database: str) -> Secret:
    """The password of the connection named ``database`` in the ``databases`` option."""
    variable = "SMART_AGENT_DB_PASSWORD_" + re.sub(r"[^A-Za-z0-9]", "_", database).upper()
    return Secret(f"db_password_{database}", variable)


def openai_key_secret(netloc: str) -> Secret:
    """The API key of the model server at ``netloc`` (``HOST[:PORT]``); the environment's
    key goes by rules of its own (``app.llm.openai_session``)."""
    return Secret(f"openai:{netloc.lower()}")


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


Listener = Callable[[frozenset[str]], None]


class Settings:
    """Values of ``OPTIONS``; unknown keys in the file are kept aside, not lost."""

    def __init__(self, values: dict[str, Any] | None = None, *, paths: Paths | None = None):
        self.paths = paths or Paths.from_env()
        self._values: dict[str, Any] = {
            name: validate(name, value) for name, value in (values or {}).items()
        }
        self._kept: dict[str, Any] = {}  # from the file: keys unknown here, values unusable
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()  # "always allow" saves from a tool thread
        self.warnings: list[str] = []

    def get(self, name: str) -> Any:
        if name not in _BY_NAME:
            raise SettingsError(f"unknown setting '{name}'")
        value = self._values.get(name, _BY_NAME[name].default)
        return dict(value) if isinstance(value, dict) else value

    def set(self, name: str, value: Any) -> None:
        """Change one option in memory (not saved); listeners hear of it."""
        self.update({name: value}, save=False)

    def update(self, values: Mapping[str, Any], *, save: bool = True) -> frozenset[str]:
        """Change options, save them and tell the listeners which changed.

        Every value is checked first, so one bad value changes nothing (SettingsError). A
        file that cannot be written leaves every value as it was (OSError). Listeners run on
        the caller's thread, after the file is written, and only when something changed
        (the file is written either way).
        """
        checked = {name: validate(name, value) for name, value in values.items()}
        with self._lock:
            changed = frozenset(
                n for n, v in checked.items() if v != self.get(n) or n in self._kept
            )
            if not changed:
                if save:
                    self.save()  # what is on disk is what the person confirmed
                return changed
            previous = dict(self._values), dict(self._kept)
            self._values.update({name: checked[name] for name in changed})
            for name in changed:
                self._kept.pop(name, None)  # a value the person chose replaces an unusable one
            if save:
                try:
                    self.save()
                except BaseException:
                    self._values, self._kept = previous
                    raise
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changed)
        return changed

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with the names of the options each update changed; returns the
        function that stops it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

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
                settings._values[name] = validate(name, value)
            except SettingsError as exc:
                settings._kept[name] = value  # a newer version's, perhaps: written back as is
                settings.warnings.append(f"ignored setting from {path.name}: {exc}")
        return settings

    def save(self) -> None:
        """Write the non-default values, and the kept ones, atomically (temp file + rename)."""
        path = self.paths.settings_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            changed = dict(self._kept)
            changed.update(
                (option.name, self._values[option.name])
                for option in OPTIONS
                if option.name in self._values and self._values[option.name] != option.default
            )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(changed, handle, indent=2, sort_keys=True)
                handle.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
