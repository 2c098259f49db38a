"""``python manage.py import_projects FILE [--dry-run]``: import the portfolio, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.imports import COLUMNS, projects_import


class Command(BaseCommand):
    help = (
        "Import projects from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(COLUMNS)
        + ". Any error: nothing is imported. Re-importing updates (matched on code, else name)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and preview; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        result = projects_import(content=file.read_bytes(), filename=file.name, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        for row in result.rows:
            flags = f"  [needs completion: {' '.join(row.flags)}]" if row.flags else ""
            self.stdout.write(f"row {row.row}: {row.action} {row.code} {row.name}{flags}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} new and {result.updated} updated projects {verb} imported."
            )
        )
