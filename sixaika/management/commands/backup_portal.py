"""``python manage.py backup_portal [DIR]``: database and uploaded files into one directory."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from sixaika.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or the SQLite file) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="new directory (default backups/<time>)")

    def handle(self, *args, target=None, **options):
        path = Path(target or f"backups/{timezone.localtime():%Y%m%d-%H%M%S}")
        backup_create(target=path)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
