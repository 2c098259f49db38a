"""``python manage.py generate_portfolio --projects N [--seed S]``: a synthetic portfolio."""

import time

from django.core.management.base import BaseCommand

from sixaika.generator import generate_portfolio


class Command(BaseCommand):
    help = "Add a realistic synthetic portfolio (deterministic for a seed) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, projects: int, seed: int, **options):
        started = time.perf_counter()
        result = generate_portfolio(projects=projects, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.projects} projects, {result.organisations} organisations, "
                f"{result.reports} status reports, {result.indicator_values} indicator values "
                f"in {time.perf_counter() - started:.1f} s"
            )
        )
