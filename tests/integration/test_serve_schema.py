"""Schemathesis against ``/openapi.json`` of a real ``smart-agent serve``: whatever it
sends (bounded: ``SERVE_SCHEMA_EXAMPLES`` per operation), no route answers a 5xx.

Also ``make test-serve-schema``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.serve_helpers import AUTH, TIME_PLAN, start

EXAMPLES = int(os.environ.get("SERVE_SCHEMA_EXAMPLES", "20"))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    home = tmp_path_factory.mktemp("schema-home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SMART_AGENT_HOME", str(home))  # the server's runtime keeps this home
        served = start(home, [TIME_PLAN, "Evening."] * 50, max_runs=2)
        yield schemathesis.openapi.from_url(f"{served.url}/openapi.json", headers=AUTH), served
        served.server.stop()
        served.runtime.close()


def test_no_request_makes_the_server_fail(api_schema):
    """Each operation in turn (Schemathesis's pytest plugin does not load under pytest 9)."""
    schema, served = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case):
            case.call_and_validate(headers=AUTH, checks=[not_a_server_error], timeout=30)

        no_server_error()
    assert served.runtime.store.runs()  # the generated requests did start runs
