"""projects/migrations/0008: a status report's transitions, kept until then in their own table,
become rows of core.Transition with every field, and the report's history reads them.

The rows are written at the old heads of the journey through every migration
(``tests/migrations_journey.py``, made once per test run) and read back at the latest."""

import pytest

from tests.migrations_journey import empty_database, migrations_journey  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_status_report_transitions_move_into_core_transition(migrations_journey):  # noqa: F811
    keys = migrations_journey["transition_keys"]
    at = migrations_journey["transitions_at"]
    seen = migrations_journey["status_report"]
    assert seen["transitions"] == [
        ["projects.status_report", "submit", "draft", "submitted", keys["coordinator"], "", at],
        [
            "projects.status_report",
            "return",
            "submitted",
            "returned",
            keys["office"],
            "Tarkista kustannukset.",
            at,
        ],
    ]
    assert seen["all_transitions"] == 2
