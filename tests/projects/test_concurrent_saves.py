"""Two coordinators save the same status report at the same moment, from two threads with
their own PostgreSQL connections: one save wins, the other is told the report changed
meanwhile, and nothing is lost or half-written (issue 8: no lost update).

The unit tests of the version check make the two saves one after the other; here they race.
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from projects import services
from projects.models import StatusReport

from . import factories

ROUNDS = 5


def _content(author: str, indicator) -> services.ReportContent:
    return services.ReportContent(
        overall_status="green",
        schedule_status="amber",
        budget_status="green",
        scope_status="green",
        narrative=f"Kirjoittanut {author}.",
        costs_to_date=Decimal("1000.00") if author == "helsinki" else Decimal("2000.00"),
        risks=f"Riskit: {author}.",
        next_steps=f"Seuraavaksi: {author}.",
        indicator_values={indicator.pk: Decimal(1 if author == "helsinki" else 2)},
    )


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_saving_at_the_same_moment_lose_nothing(demo_users):
    project = factories.project(name="Kahden kaupungin hanke", cities=("helsinki", "espoo"))
    indicator = services.indicator_upsert(
        project=project, code="K1", name="Yritykset", unit="kpl", target=Decimal(10)
    )
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-helsinki"]
    )
    editors = {
        "helsinki": demo_users["koordinaattori-helsinki"],
        "espoo": demo_users["koordinaattori-espoo"],
    }

    for _ in range(ROUNDS):
        started_from = StatusReport.objects.get(pk=report.pk).version
        barrier = threading.Barrier(len(editors))
        outcome: dict[str, object] = {}

        def save(author: str, started_from: int = started_from, barrier=barrier, outcome=outcome):
            try:
                barrier.wait(timeout=10)
                saved = services.status_report_update(
                    report=report,
                    content=_content(author, indicator),
                    expected_version=started_from,
                    by=editors[author],
                )
                outcome[author] = saved.version
            except services.ChangedMeanwhile as changed:
                outcome[author] = changed
            finally:
                connection.close()  # each thread's own connection

        threads = [threading.Thread(target=save, args=(author,)) for author in editors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        winners = [a for a, result in outcome.items() if isinstance(result, int)]
        losers = [
            a for a, result in outcome.items() if isinstance(result, services.ChangedMeanwhile)
        ]
        assert len(winners) == 1 and len(losers) == 1, outcome
        winner = winners[0]
        stored = StatusReport.objects.get(pk=report.pk)
        # Exactly one save went in, whole: every field and the indicator value are the winner's.
        assert stored.version == started_from + 1 == outcome[winner]
        assert stored.narrative == f"Kirjoittanut {winner}."
        assert (
            stored.risks == f"Riskit: {winner}." and stored.next_steps == f"Seuraavaksi: {winner}."
        )
        assert stored.costs_to_date == _content(winner, indicator).costs_to_date
        assert stored.updated_by == editors[winner]
        values = {v.indicator_id: v.achieved for v in stored.indicator_values.all()}
        assert values == _content(winner, indicator).indicator_values
        # The loser was told, with the version that beat them at hand.
        assert outcome[losers[0]].current.version == started_from + 1
