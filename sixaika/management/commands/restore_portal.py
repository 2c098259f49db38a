"""``python manage.py restore_portal DIR``: replace the database and files with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sixaika.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_portal. Replaces the current data."

    def add_arguments(self, parser):
        parser.add_argument("source", help="directory written by backup_portal")

    def handle(self, *args, source, **options):
        path = Path(source)
        if not (path / "manifest.json").exists():
            raise CommandError(f"{path} is not a backup made by backup_portal (no manifest.json).")
        manifest = backup_restore(source=path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest['database']} backup of {manifest['created']} "
                f"with {manifest['media_files']} files."
            )
        )
