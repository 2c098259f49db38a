"""``python manage.py backup_portal [DIR]``: database and uploaded files into one directory."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from sixaika.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or the SQLite file), the uploaded files and, with a "
        "bucket (SIXAIKA_S3_BUCKET), every object of the portal in it, with a manifest of "
        "sizes and SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="new directory (default backups/<time>)")

    def handle(self, *args, target=None, **options):
        path = Path(target or f"backups/{timezone.localtime():%Y%m%d-%H%M%S}")
        backup_create(target=path)
        bucket = json.loads((path / "manifest.json").read_text())["bucket"]
        objects = f" ({len(bucket['objects'])} objects of {bucket['name']})" if bucket else ""
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}{objects}"))
