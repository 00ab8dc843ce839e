"""The launcher that runs first in the child interpreter, inside the sandbox or not.

It sets the per-process limits given as arguments (address space, CPU seconds, file size,
and the number of processes when asked), then reads one JSON document from stdin,
``{"code": ..., "evidence": {"E1": ..., ...}}``, and runs the code as ``__main__`` with each
piece of evidence as a global ``str`` variable of that name. Evidence never becomes source
text, so a quote or newline in a web page cannot change what the code does. stdin is at its
end afterwards, so ``input()`` fails fast instead of hanging. Tracebacks show the code's
lines, not the launcher's.

``LAUNCHER`` is the source, passed with ``-c``; ``payload()`` builds what goes on stdin.
"""

from __future__ import annotations

import json
import re

_EVIDENCE_NAME = re.compile(r"E[0-9]+")


def payload(code: str, evidence: dict[str, str]) -> bytes:
    """The launcher's stdin: the code and the evidence variables, as UTF-8 JSON."""
    names = [name for name in evidence if not _EVIDENCE_NAME.fullmatch(name)]
    if names:
        raise ValueError(f"evidence names must look like E1, E2: {names!r}")
    return json.dumps({"code": code, "evidence": evidence}, ensure_ascii=False).encode("utf-8")


LAUNCHER = r"""
import sys

def _limits(memory, cpu, fsize, nproc):
    try:
        import resource
    except ImportError:
        return
    wanted = [("RLIMIT_AS", memory), ("RLIMIT_CPU", cpu), ("RLIMIT_FSIZE", fsize)]
    if nproc:
        wanted.append(("RLIMIT_NPROC", nproc))
    for name, value in wanted:
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        soft, hard = value, value + 1 if name == "RLIMIT_CPU" else value
        current = resource.getrlimit(kind)[1]
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        try:
            resource.setrlimit(kind, (soft, hard))
        except (ValueError, OSError):
            pass

def _run():
    import json, linecache, re, traceback
    _limits(*(int(value) for value in sys.argv[1:5]))
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    source = request["code"]
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    for name, text in request.get("evidence", {}).items():
        if re.fullmatch(r"E[0-9]+", name) and isinstance(text, str):
            namespace[name] = text
    linecache.cache["<code>"] = (len(source), None, source.splitlines(True), "<code>")
    sys.argv[:] = ["-c"]
    try:
        code = compile(source, "<code>", "exec")
    except SyntaxError as exc:
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        sys.exit(1)
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as exc:
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        sys.exit(1)

_run()
"""
