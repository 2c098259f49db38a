"""The moves of issue 15 move no row: a database migrated before calls/ and reports/ existed keeps
every call, application, evaluation and monitoring report, readable through the new apps, and
the content types (which permissions, guardian's object permissions and admin log entries point
at) name the new apps. And the migrations make exactly the schema the suite runs on.

The journey through the migrations (an empty database of its own, migrated to the old heads, rows
written, migrated to the latest) is in ``tests/migrations_journey.py``, made once per test run.
"""

from decimal import Decimal

import pytest

from tests.migrations_journey import empty_database, migrations_journey  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_the_moves_keep_every_row_and_point_content_types_at_the_new_apps(
    migrations_journey,  # noqa: F811
):
    seen = migrations_journey
    assert seen["new_apps_before"] == []  # no calls/ or reports/ migration at the old heads
    house, counts_before = seen["house"], seen["counts_before"]

    # every row is there, read through the models in their new apps
    assert house["counts"] == counts_before
    assert counts_before["Call"] >= 1 and counts_before["Report"] >= 1
    name, money_available = house["call"]
    assert name == "Siirtohaku" and Decimal(money_available) == Decimal("100000")
    assert house["application_in_call"]
    assert house["application_cities"] == ["siirtola"]
    assert house["score"] == 4
    assert house["history_title"] == "Ensimmäinen hakemus"
    assert house["report_kind"]

    # the content types name the new apps, and what pointed at them still does
    assert house["call_type"] == ["calls", "call"]
    assert house["report_type"] == "reports"
    assert not house["old_call_type"] and not house["old_report_type"]
    assert house["grant_on_call_type"]
    assert "change_call" in house["granted"]
    assert house["log_entry_on_call"]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_make_the_schema_the_suite_runs_on(migrations_journey):  # noqa: F811
    # the suite's databases are made from the models; the migrations must make the same
    for kind, (missing, extra) in migrations_journey["schema"].items():
        assert not missing and not extra, (
            f"{kind}: the models have {missing[:10]}, the migrations make {extra[:10]} instead"
        )
