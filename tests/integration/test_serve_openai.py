"""The OpenAI-compatible face of ``smart-agent serve``, through the ``openai`` package."""

from __future__ import annotations

import time

import httpx
import openai
import pytest

from tests.serve_helpers import AUTH, SAVE_CALL, SAVE_PLAN, TIME_PLAN, TOKEN, serve

__all__ = ["serve"]


def _client(served):
    return openai.OpenAI(base_url=f"{served.url}/v1", api_key=TOKEN, max_retries=0)


def test_models_lists_the_agent_and_the_offered_models(serve):
    served = serve([])
    names = [m.id for m in _client(served).models.list()]
    assert names[0] == "smart-agent"
    assert served.runtime.settings.get("models.planner") in names


def test_smart_agent_runs_the_agent_on_the_last_user_message(serve):
    served = serve([TIME_PLAN, "It is evening in Tokyo."])
    reply = _client(served).chat.completions.create(
        model="smart-agent",
        messages=[
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "What time is it in Tokyo?"},
        ],
    )
    assert reply.choices[0].message.content.strip() == "It is evening in Tokyo."
    assert reply.choices[0].finish_reason == "stop"
    run_id = reply.model_extra["run_id"]
    assert reply.id == f"chatcmpl-{run_id}"
    record = served.runtime.store.get(run_id)  # the plan and evidence are in the history
    assert record.task == "What time is it in Tokyo?" and record.status == "ok"
    assert "plan" in [e.type for e in served.runtime.store.events(run_id)]
    assert reply.usage.total_tokens > 0


def test_smart_agent_streams_the_answer(serve):
    served = serve([TIME_PLAN, "It is evening in Tokyo."])
    stream = _client(served).chat.completions.create(
        model="smart-agent",
        messages=[{"role": "user", "content": [{"type": "text", "text": "Time in Tokyo?"}]}],
        stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text.strip() == "It is evening in Tokyo."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    run_id = chunks[0].model_extra["run_id"]
    assert served.runtime.store.get(run_id).answer.strip() == text.strip()


def test_a_failed_run_says_so_in_the_reply(serve):
    served = serve([])  # the planner has nothing to say: the run fails
    reply = _client(served).chat.completions.create(
        model="smart-agent", messages=[{"role": "user", "content": "anything"}]
    )
    assert reply.choices[0].message.content.startswith("[run failed:")


@pytest.mark.parametrize("stream", [False, True])
def test_another_model_name_goes_straight_to_that_model(serve, stream):
    served = serve(["Hello there, friend."])
    spec = served.runtime.settings.get("models.planner")
    created = _client(served).chat.completions.create(
        model=spec, messages=[{"role": "user", "content": "hi"}], stream=stream, max_tokens=50
    )
    if stream:
        text = "".join(c.choices[0].delta.content or "" for c in created)
    else:
        text = created.choices[0].message.content
    assert text == "Hello there, friend."
    assert served.runtime.store.runs() == []  # no agent run


def test_a_model_not_offered_is_not_found_and_no_token_is_refused(serve):
    served = serve([])
    with pytest.raises(openai.NotFoundError, match="not offered"):
        _client(served).chat.completions.create(
            model="openai:http://example.com#gpt", messages=[{"role": "user", "content": "hi"}]
        )
    stranger = openai.OpenAI(base_url=f"{served.url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        stranger.models.list()


def test_smart_agent_continues_an_earlier_run_named_in_continue(serve):
    served = serve([TIME_PLAN, "Evening.", TIME_PLAN, "Still evening."])
    client = _client(served)
    first = client.chat.completions.create(
        model="smart-agent", messages=[{"role": "user", "content": "Time in Tokyo?"}]
    )
    first_id = first.model_extra["run_id"]
    second = client.chat.completions.create(
        model="smart-agent",
        messages=[{"role": "user", "content": "And now?"}],
        extra_body={"continue": first_id},
    )
    started = served.runtime.store.events(second.model_extra["run_id"])[0]
    assert started.parent == first_id


def test_a_chat_run_asks_its_approval_through_its_run_id(serve):
    served = serve([SAVE_PLAN, "Saved it."], [SAVE_CALL])
    stream = _client(served).chat.completions.create(
        model="smart-agent", messages=[{"role": "user", "content": "save hi"}], stream=True
    )
    first = next(iter(stream))
    run_id = first.model_extra["run_id"]
    with httpx.Client(base_url=served.url, headers=AUTH) as http:
        for _ in range(200):  # the question opens once the plan has reached the step
            if http.get(f"/v1/runs/{run_id}").json()["approvals"]:
                break
            time.sleep(0.05)
        reply = http.post(f"/v1/runs/{run_id}/approvals/E1", json={"decision": "allow"})
        assert reply.status_code == 200
    text = "".join(c.choices[0].delta.content or "" for c in stream)
    assert text.strip() == "Saved it."
    assert (served.runtime.settings.workspace / "notes.md").read_text() == "hi"
