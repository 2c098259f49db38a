"""``python manage.py load_6aika``: load 6Aika's real data (idempotent).

It runs at every deploy (docker-compose's ``migrate`` service), so by default it only creates
what is missing and leaves what the strategy office has changed; ``--resync`` makes the bodies,
their seats and SIXNET exactly the shipped sources again."""

from django.core.management.base import BaseCommand

from governance.seed import organisation_6aika_load
from governance.services import roles_ensure
from projects.seed import portfolio_6aika_load


class Command(BaseCommand):
    help = "Load the six cities, the board and steering group from 6Aika's pages, and the roles."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--resync",
            action="store_true",
            help="Make the shipped data exactly the sources again, undoing the office's changes.",
        )

    def handle(self, *args: object, **options: object) -> None:
        resync = bool(options["resync"])
        roles_ensure()
        counts = organisation_6aika_load(resync=resync)
        counts.update(portfolio_6aika_load(resync=resync))
        self.stdout.write(
            self.style.SUCCESS(
                "6Aika data loaded: " + ", ".join(f"{value} {key}" for key, value in counts.items())
            )
        )
