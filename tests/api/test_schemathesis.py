"""Property-based tests of the API against its own OpenAPI description (schemathesis): every
documented operation is called with generated parameters (valid and invalid ones) and must
never answer with a server error; documented answers must match their schema.

The app is called in-process through WSGI, against a database holding a small portfolio, both
bodies and a meeting with approved minutes. Each operation gets at most ``MAX_EXAMPLES``
generated calls, so the whole run stays well under a minute."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from . import factories

MAX_EXAMPLES = 25
CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32 relabels the running test through pytest's private ``_nodeid``, which
    pytest 9 nodes no longer carry; give it one (it only changes how failures are named)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def api_schema(org_6aika):
    factories.project(code="A70011")
    factories.project(cities=("tampere", "oulu"), instrument="ESR")
    factories.meeting(approved=True)
    factories.meeting(approved=False, day=9)
    # As Django's test client does: the end of a request must not close the connection that
    # holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_documented_operation_answers_without_server_error(case):
    case.call_and_validate(checks=CHECKS)
