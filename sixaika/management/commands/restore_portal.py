"""``python manage.py restore_portal DIR``: replace the database and files with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sixaika.backup import BackupMismatch, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal: the database, the uploaded files and, with a "
        "bucket, its objects. Replaces the current data; refuses a backup that does not match "
        "its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="directory written by backup_portal")

    def handle(self, *args, source, **options):
        path = Path(source)
        if not (path / "manifest.json").exists():
            raise CommandError(f"{path} is not a backup made by backup_portal (no manifest.json).")
        try:
            manifest = backup_restore(source=path)
        except BackupMismatch as refusal:
            raise CommandError(f"Nothing was restored: {refusal}") from refusal
        bucket = manifest.get("bucket")
        objects = f" and {len(bucket['objects'])} objects of the bucket" if bucket else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest['database']} backup of {manifest['created']} "
                f"with {manifest['media_files']} files{objects}."
            )
        )
