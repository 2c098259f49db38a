"""``python manage.py generate_portfolio --projects N [--seed S] [--today YYYY-MM-DD]``:
a synthetic portfolio, the same for the same seed and day."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from sixaika.generator import generate_portfolio


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: give a date as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Add a realistic synthetic portfolio for benchmarks: deterministic for a seed and a "
        "day (--today, by default the current date, places the eight reporting periods)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=str, default=None, help="YYYY-MM-DD")

    def handle(self, *args, projects: int, seed: int, today: str | None, **options):
        started = time.perf_counter()
        result = generate_portfolio(
            projects=projects, seed=seed, today=_date(today) if today else None
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.projects} projects, {result.organisations} organisations, "
                f"{result.reports} status reports, {result.indicator_values} indicator values "
                f"in {time.perf_counter() - started:.1f} s"
            )
        )
