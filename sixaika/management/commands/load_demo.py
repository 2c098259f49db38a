"""``python manage.py load_demo``: the demo accounts (run by ``make run`` only)."""

from django.core.management.base import BaseCommand

from sixaika.demo import DEMO_PASSWORD, demo_accounts_load


class Command(BaseCommand):
    help = "Create the demo accounts (password demo-6aika). Run load_6aika first."

    def handle(self, *args: object, **options: object) -> None:
        created = demo_accounts_load()
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo accounts created (password {DEMO_PASSWORD}): {', '.join(created)}"
                )
            )
        else:
            self.stdout.write("Demo accounts already exist; nothing created.")
