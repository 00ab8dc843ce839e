"""``smart-agent serve`` benchmark on the replay model (the HTTP path, not a model, is
what is measured). Prints ``name: value`` lines.

- first_event_ms_median / _p95: from sending ``POST /v1/runs`` to receiving its first SSE
  event (``run_started``), over ``RUNS`` runs one after another; each run is stored in
  the history and its thread started before that event goes out.
- events_per_s: a run whose answer is ``WORDS`` words (one ``answer_delta`` event each),
  every event stored in SQLite and sent as SSE; events received over the seconds from the
  first to the last, median of ``REPEATS`` runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-bench-"))

import httpx  # noqa: E402

from app.runtime import Runtime  # noqa: E402
from app.server.app import ApiServer  # noqa: E402
from app.settings import Settings  # noqa: E402

RUNS = 30
REPEATS = 5
WORDS = 500  # the solver stops at 512 tokens
PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
TOKEN = "bench-token"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    answer = " ".join(f"w{i}" for i in range(WORDS))
    script = folder / "planner.json"
    script.write_text(
        json.dumps([PLAN, "Evening."] * RUNS + [PLAN, answer] * REPEATS), encoding="utf-8"
    )
    spec = f"replay:{script}"
    runtime = Runtime(Settings({"models.planner": spec, "models.caller": spec}))
    server = ApiServer(runtime, TOKEN, "127.0.0.1", 0)
    url = server.start()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    latencies = []
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        for _ in range(RUNS):
            sent = time.perf_counter()
            with http.stream("POST", "/v1/runs", json={"task": "Time in Tokyo?"}) as response:
                timed = False
                for line in response.iter_lines():  # the whole run, timing its first event
                    if line.startswith("data:") and not timed:
                        latencies.append(time.perf_counter() - sent)
                        timed = True
        rates = []
        for _ in range(REPEATS):
            count, first, last = 0, 0.0, 0.0
            with http.stream("POST", "/v1/runs", json={"task": "Say many words"}) as response:
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        last = time.perf_counter()
                        first = first or last
                        count += 1
            rates.append(count / (last - first))
    server.stop()
    runtime.close()
    latencies.sort()
    print(f"first_event_ms_median: {statistics.median(latencies) * 1000:.1f}")
    print(f"first_event_ms_p95: {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f}")
    print(f"events_streamed: {count}")
    print(f"events_per_s: {statistics.median(rates):.0f}")


if __name__ == "__main__":
    main()
