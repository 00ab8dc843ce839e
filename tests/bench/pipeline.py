"""Pipeline benchmark on the embedded model. Prints ``name: value`` lines.

Every ratio compares against a baseline measured in this same run (machines are noisy):

- stream_vs_raw_tps_ratio: our streamed tokens/s over raw ``Llama.generate`` tokens/s,
  same prompt, same length, KV cache cleared before each (best of 3 each, interleaved).
- overhead_fraction: (run wall − model time − tool time) / run wall for a whole run through
  the runtime (store included), model already loaded. Model time is time inside the
  backend; tool time is the union of tool intervals (parallel tools are not double counted).
- warm_vs_cold_planner_ttft_ratio: planner time to first plan token on a second run (new
  task, same preamble) over the first run in a fresh process-level model.
- parallel_speedup: a plan of 4 independent steps of a tool that sleeps 0.5 s; worker time
  with one step at a time over worker time with 4 in parallel (replayed plan: the worker
  is what is measured).
- stop_ms: from the cancel flag set (as Stop does) while a tool is busy to the run's last
  event, median of 5 replayed runs; the README promises Stop within half a second. The
  tests prove only that the run ends without waiting for the tool.
- prompt_stop_ms: from the cancel flag set while the embedded model reads a long prompt
  (~2,000 tokens) to the reading stopped, median of 5 (issue 15: the solver's prompt once
  took 10 s to stop); tests/integration/test_stop.py proves it stops part-way.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-bench-"))

from app.events import Evidence, PlanDelta, PlanReady, RunFinished, RunStarted  # noqa: E402
from app.llm import embedded_model_path  # noqa: E402
from app.llm.llama_cpp import LlamaCppModel  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.tools.registry import tool  # noqa: E402

N_TOKENS = 128
PROMPT = [{"role": "user", "content": "Write a long story about a lighthouse keeper."}]


def emit(name: str, value: float, unit: str = "") -> None:
    print(f"{name}: {value:.4g}{unit}", flush=True)


def stream_vs_raw(model: LlamaCppModel) -> float:
    llm = model._llm
    tokens, _ = model.chat.tokenize_messages(PROMPT)

    def raw() -> float:
        llm.reset()
        start = time.perf_counter()
        count = 0
        for _token in llm.generate(
            tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0
        ):
            count += 1
            if count >= N_TOKENS:
                break
        return count / (time.perf_counter() - start)

    def ours() -> float:
        llm.reset()
        model._prefix_states.clear()
        start = time.perf_counter()
        generation = model.generate(PROMPT, max_tokens=N_TOKENS, stop=())
        for _piece in generation:
            pass
        elapsed = time.perf_counter() - start
        return generation.usage.completion_tokens / elapsed

    raw_best, ours_best = 0.0, 0.0
    for _ in range(3):
        raw_best = max(raw_best, raw())
        ours_best = max(ours_best, ours())
    emit("raw_generate_tps", raw_best)
    emit("streamed_tps", ours_best)
    return ours_best / raw_best


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def overhead_and_ttft() -> tuple[float, float]:
    runtime = Runtime(Settings.load())
    ttfts: list[float] = []
    overhead = 0.0
    for task in (
        "What time is it in Tokyo?",
        "What time is it in Lima?",
        "What time is it in Oslo?",
    ):
        agent = runtime.agent()
        start = time.perf_counter()
        events = list(runtime.run(agent, task))
        wall = time.perf_counter() - start
        started = next(e for e in events if isinstance(e, RunStarted))
        first_plan = next(e for e in events if isinstance(e, PlanDelta))
        ttfts.append(first_plan.t - started.t)
        finished = events[-1]
        assert isinstance(finished, RunFinished) and finished.status == "ok", finished
        model_time = sum(u["seconds"] for role, u in finished.usage.items() if role != "llm_tool")
        tool_time = _union([(e.t - e.seconds, e.t) for e in events if isinstance(e, Evidence)])
        overhead = (wall - model_time - tool_time) / wall
        if len(ttfts) == 1:
            emit("cold_planner_ttft_s", ttfts[0])
    emit("warm_planner_ttft_s", ttfts[1])
    emit("run_wall_s", wall)
    emit("run_model_s", model_time)
    emit("run_tool_s", tool_time)
    runtime.close()
    return overhead, ttfts[1] / ttfts[0]


def parallel_speedup() -> float:
    @tool
    def nap(what: str) -> str:
        """Sleep half a second.

        Args:
            what: anything
        """
        time.sleep(0.5)
        return "rested"

    plan = "".join(f"Plan: rest {n}\n#E{n} = nap[{n}]\n" for n in range(1, 5))
    times = {}
    for parallel in (1, 4):
        script = Path(tempfile.mkdtemp()) / "script.json"
        script.write_text(json.dumps([plan, "rested four times"]))
        runtime = Runtime(Settings({"worker.max_parallel": parallel}))
        runtime.tools.add(nap)
        spec = f"replay:{script}"
        events = list(runtime.run(runtime.agent(planner=spec, caller=spec), "rest"))
        plan_at = next(e.t for e in events if isinstance(e, PlanReady))
        last = max(e.t for e in events if isinstance(e, Evidence))
        times[parallel] = last - plan_at
        runtime.close()
    emit("sequential_worker_s", times[1])
    emit("parallel_worker_s", times[4])
    return times[1] / times[4]


def stop_ms(runs: int = 5) -> float:
    release = threading.Event()
    entered = threading.Semaphore(0)

    @tool
    def busy(what: str) -> str:
        """Wait until the benchmark is over.

        Args:
            what: anything
        """
        entered.release()
        release.wait(60)
        return "done"

    runtime = Runtime(Settings())
    runtime.tools.add(busy)
    took = []
    for _ in range(runs):
        script = Path(tempfile.mkdtemp()) / "script.json"  # a replay script is used up
        script.write_text(json.dumps(["Plan: be busy\n#E1 = busy[x]\n", "never"]))
        spec = f"replay:{script}"
        cancel = threading.Event()
        stopped: list[float] = []

        def stop(cancel: threading.Event = cancel, stopped: list[float] = stopped) -> None:
            entered.acquire()  # the tool is busy and the run waits for it: press Stop
            stopped.append(time.perf_counter())
            cancel.set()

        threading.Thread(target=stop, daemon=True).start()
        for _event in runtime.run(runtime.agent(planner=spec, caller=spec), "x", cancel=cancel):
            pass
        took.append((time.perf_counter() - stopped[0]) * 1000)
    release.set()
    runtime.close()
    return statistics.median(took)


def prompt_stop_ms(model: LlamaCppModel, runs: int = 5) -> float:
    long_text = " ".join(f"Line {i}: the archive lists item {i} as catalogued." for i in range(150))
    took = []
    for n in range(runs):
        # a new first line each time, so no run finds the prompt in the KV cache
        messages = [{"role": "user", "content": f"Archive {n}. {long_text}"}]
        model._llm.reset()
        model._prefix_states.clear()
        cancel = threading.Event()
        reader = threading.Thread(
            target=lambda m=messages, c=cancel: model.generate(m, max_tokens=8, cancel=c).text
        )
        reader.start()
        while not model._llm.n_tokens and reader.is_alive():  # the first batch is read
            cancel.wait(0.002)
        stopped = time.perf_counter()
        cancel.set()
        reader.join()
        took.append((time.perf_counter() - stopped) * 1000)
    return statistics.median(took)


def main() -> None:
    model = LlamaCppModel(embedded_model_path(), n_ctx=4096)
    ratio = stream_vs_raw(model)
    emit("prompt_stop_ms", prompt_stop_ms(model))
    model.close()
    emit("stream_vs_raw_tps_ratio", ratio)
    overhead, ttft_ratio = overhead_and_ttft()
    emit("overhead_fraction", overhead)
    emit("warm_vs_cold_planner_ttft_ratio", ttft_ratio)
    emit("parallel_speedup", parallel_speedup())
    emit("stop_ms", stop_ms())


if __name__ == "__main__":
    main()
