"""``python manage.py load_6aika``: load 6Aika's real data (idempotent)."""

from django.core.management.base import BaseCommand

from governance.seed import organisation_6aika_load
from governance.services import roles_ensure
from projects.seed import portfolio_6aika_load


class Command(BaseCommand):
    help = "Load the six cities, the board and steering group from 6Aika's pages, and the roles."

    def handle(self, *args: object, **options: object) -> None:
        roles_ensure()
        counts = organisation_6aika_load()
        counts.update(portfolio_6aika_load())
        self.stdout.write(
            self.style.SUCCESS(
                "6Aika data loaded: " + ", ".join(f"{value} {key}" for key, value in counts.items())
            )
        )
