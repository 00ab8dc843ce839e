"""Token efficiency of ReWOO against ReAct on one task set. Prints ``name: value`` lines.

ReWOO's claim (SPEC §1, after the ReWOO paper: about 5x fewer tokens on HotpotQA) is
structural: it plans once and solves once, while ReAct re-sends its growing transcript,
observations included, on every turn. This measures it honestly:

- the same tasks (12: time, SQL on the sample database, Wikipedia, web search, mixes);
- the same tools, answering from local fixtures: Wikipedia and DuckDuckGo are real HTTP
  servers on 127.0.0.1 speaking those services' formats (found through the
  ``SMART_AGENT_*_URL`` variables the tools honour), the clock is the real clock and SQL
  runs on the shipped sample database; the ``llm`` tool is left out, since it is a model
  call rather than a tool;
- the same model (the embedded SmolLM2-135M, loaded once and shared), greedy decoding,
  each agent constrained as it is in the product, and the same step limit for both;
- runs interleaved (ReWOO then ReAct, task by task) so that load on the machine falls
  on both alike.

``rewoo_vs_react_token_ratio`` is the total tokens (prompt + completion, every role,
every run, failed runs included) of ReWOO over ReAct; ``rewoo_vs_react_wall_ratio`` the
same for the runs' wall time. Token counts come from the backend's own accounting in
``run_finished``.

Usage: ``python tests/bench/agents.py [--tasks N] [--threads N] [--max-steps N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-bench-"))
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
    os.environ.pop(_proxy, None)

from app.events import Evidence, RunFinished  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.tools.registry import ToolRegistry  # noqa: E402

TOOLS = ("get_current_time", "wikipedia_search", "web_search", "sql_query")

TASKS = (
    "What time is it in Tokyo?",
    "What time is it in London and in New York?",
    "Who created the Python programming language, and when was he born?",
    "Who directed Killers of the Flower Moon, and which of that director's films are in "
    "the films database?",
    "Which films in the films database were made before 1960?",
    "How many films by Christopher Nolan are in the films database?",
    "When was Ada Lovelace born, and what is she known for?",
    "At what temperature does water boil at sea level?",
    "Which version of the Rust programming language was released most recently?",
    "What is the highest mountain in Africa, and how high is it?",
    "What time is it in Sydney, and which director has the most films in the films database?",
    "What is the population of Paris?",
)

ARTICLES = {
    "Python (programming language)": "Python is a high-level, general-purpose programming "
    "language. Guido van Rossum began working on it in the late 1980s and first released it "
    "in 1991.",
    "Guido van Rossum": "Guido van Rossum (born 31 January 1956) is a Dutch programmer, the "
    "creator of the Python programming language.",
    "Killers of the Flower Moon (film)": "Killers of the Flower Moon is a 2023 American epic "
    "western crime film directed by Martin Scorsese, about the Osage murders of the 1920s.",
    "Martin Scorsese": "Martin Scorsese (born 17 November 1942) is an American filmmaker. His "
    "films include Taxi Driver, Raging Bull, Goodfellas, The Departed and The Irishman.",
    "Ada Lovelace": "Augusta Ada King, Countess of Lovelace (10 December 1815 - 27 November "
    "1852), was an English mathematician known for her work on Charles Babbage's Analytical "
    "Engine; she published the first algorithm meant for such a machine.",
    "Mount Kilimanjaro": "Mount Kilimanjaro, a dormant volcano in Tanzania, is the highest "
    "mountain in Africa, about 5,895 metres (19,341 ft) above sea level.",
    "Water": "Water is an inorganic compound with the formula H2O. At sea level (one "
    "atmosphere) pure water boils at 100 degrees Celsius.",
    "Paris": "Paris is the capital and largest city of France, with an estimated population "
    "of 2,102,650 residents in January 2023.",
    "Rust (programming language)": "Rust is a general-purpose programming language "
    "emphasizing performance, type safety and concurrency. A new stable version is released "
    "every six weeks.",
    "Christopher Nolan": "Christopher Nolan (born 30 July 1970) is a British-American "
    "filmmaker known for Memento, The Dark Knight, Inception, Interstellar and Oppenheimer.",
}

WEB_PAGES = (
    (
        "Boiling point of water",
        "https://science.example.org/boiling-point",
        "At sea level pure water boils at 100 degrees Celsius (212 degrees Fahrenheit).",
    ),
    (
        "Announcing Rust 1.83.0",
        "https://blog.rust.example.org/2024/11/28/Rust-1.83.0.html",
        "The Rust team is happy to announce a new version of Rust, 1.83.0, the latest stable "
        "release of the Rust programming language.",
    ),
    (
        "Paris population figures 2023",
        "https://stats.example.org/paris",
        "The population of Paris was 2,102,650 on 1 January 2023, down slightly from 2022.",
    ),
    (
        "Kilimanjaro: the roof of Africa",
        "https://travel.example.org/kilimanjaro",
        "Kilimanjaro is the highest mountain in Africa at 5,895 metres.",
    ),
    (
        "Ada Lovelace biography",
        "https://history.example.org/ada-lovelace",
        "Ada Lovelace, born 10 December 1815 in London, wrote the first computer program.",
    ),
    (
        "World clock: time in Tokyo, London, New York and Sydney",
        "https://clock.example.org/",
        "Current local time in cities around the world.",
    ),
)

_WORD = re.compile(r"[a-z0-9]+")
_COMMON = {"the", "a", "an", "of", "in", "and", "is", "what", "who", "when", "which", "how"}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _COMMON


def _ranked(query: str, documents: list[tuple[str, str]]) -> list[int]:
    wanted = _words(query)
    scores = [
        (len(wanted & _words(f"{title} {body}")), i) for i, (title, body) in enumerate(documents)
    ]
    return [i for score, i in sorted(scores, key=lambda s: (-s[0], s[1])) if score > 0]


class Fixtures(BaseHTTPRequestHandler):
    """MediaWiki's Action API (search + extracts) and DuckDuckGo's HTML page, from dicts."""

    articles = list(ARTICLES.items())

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, body: str, kind: str) -> None:
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if query.get("list") == "search":
            limit = int(query.get("srlimit", "3"))
            hits = _ranked(query.get("srsearch", ""), self.articles)[:limit]
            search = [{"ns": 0, "title": self.articles[i][0], "pageid": 1000 + i} for i in hits]
            body: dict[str, Any] = {"batchcomplete": True, "query": {"search": search}}
        else:
            pages = []
            for pageid in query.get("pageids", "").split("|"):
                if pageid.isdigit() and 0 <= int(pageid) - 1000 < len(self.articles):
                    title, extract = self.articles[int(pageid) - 1000]
                    url = "https://en.wikipedia.org/wiki/" + title.replace(" ", "_")
                    pages.append(
                        {
                            "pageid": int(pageid),
                            "ns": 0,
                            "title": title,
                            "extract": extract,
                            "fullurl": url,
                            "canonicalurl": url,
                        }
                    )
            body = {"batchcomplete": True, "query": {"pages": pages}}
        self._send(json.dumps(body), "application/json; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        pages = [(f"{t} {u}", s) for t, u, s in WEB_PAGES]
        hits = _ranked(form.get("q", ""), pages)[:5]
        results = (
            "".join(
                '<div class="result results_links web-result"><h2 class="result__title">'
                f'<a class="result__a" href="{WEB_PAGES[i][1]}">{WEB_PAGES[i][0]}</a></h2>'
                f'<a class="result__snippet" href="{WEB_PAGES[i][1]}">{WEB_PAGES[i][2]}</a></div>'
                for i in hits
            )
            or '<div class="no-results">No results.</div>'
        )
        self._send(f"<html><body><div id='links'>{results}</div></body></html>", "text/html")


def serve() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Fixtures)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    os.environ["SMART_AGENT_WIKIPEDIA_URL"] = f"{base}/w/api.php"
    os.environ["SMART_AGENT_DDG_URL"] = f"{base}/html/"
    os.environ["NO_PROXY"] = "127.0.0.1"
    return server


def emit(name: str, value: float | int | str) -> None:
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    print(f"{name}: {shown}", flush=True)


def tokens(finished: RunFinished) -> tuple[int, int]:
    prompt = sum(int(u.get("prompt_tokens", 0)) for u in finished.usage.values())
    completion = sum(int(u.get("completion_tokens", 0)) for u in finished.usage.values())
    return prompt, completion


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=len(TASKS), help="run the first N tasks")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for the model")
    parser.add_argument("--max-steps", type=int, default=4, help="step limit of both agents")
    args = parser.parse_args()
    server = serve()
    settings = Settings(
        {
            "llama.n_threads": args.threads,
            "planner.max_steps": args.max_steps,
            "react.max_steps": args.max_steps,
        }
    )
    runtime = Runtime(settings)
    runtime.tools = ToolRegistry(runtime.tools.get(name) for name in TOOLS)
    tasks = TASKS[: args.tasks]
    emit("tasks", len(tasks))
    emit("model", "default (embedded SmolLM2-135M-Instruct Q4_1)")
    emit("threads", args.threads)
    emit("max_steps", args.max_steps)
    totals: dict[str, dict[str, float]] = {
        mode: {"prompt": 0, "completion": 0, "seconds": 0.0, "ok": 0, "steps": 0}
        for mode in ("rewoo", "react")
    }
    for n, task in enumerate(tasks, 1):
        for mode in ("rewoo", "react"):
            agent = runtime.agent(mode=mode, approve="deny")
            events = list(runtime.run(agent, task))
            finished = events[-1]
            assert isinstance(finished, RunFinished)
            prompt, completion = tokens(finished)
            total = totals[mode]
            total["prompt"] += prompt
            total["completion"] += completion
            total["seconds"] += finished.seconds
            total["ok"] += finished.status == "ok"
            total["steps"] += sum(isinstance(e, Evidence) for e in events)
            emit(f"task{n:02d}_{mode}_tokens", prompt + completion)
            emit(f"task{n:02d}_{mode}_status", finished.status)
    for mode, total in totals.items():
        emit(f"{mode}_ok_runs", int(total["ok"]))
        emit(f"{mode}_prompt_tokens", int(total["prompt"]))
        emit(f"{mode}_completion_tokens", int(total["completion"]))
        emit(f"{mode}_tokens", int(total["prompt"] + total["completion"]))
        emit(f"{mode}_mean_tool_calls", total["steps"] / len(tasks))
        emit(f"{mode}_wall_s", total["seconds"])
    rewoo, react = totals["rewoo"], totals["react"]
    emit(
        "rewoo_vs_react_token_ratio",
        (rewoo["prompt"] + rewoo["completion"]) / (react["prompt"] + react["completion"]),
    )
    emit("rewoo_vs_react_wall_ratio", rewoo["seconds"] / react["seconds"])
    runtime.close()
    server.shutdown()


if __name__ == "__main__":
    main()
