"""``python manage.py import_projects FILE [--dry-run]``: import the portfolio, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.imports import COLUMNS, projects_import


class Command(BaseCommand):
    help = (
        "Import projects from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(COLUMNS)
        + " (optional: granted_by_funder_eur). Any error: nothing is imported. Re-importing"
        " updates (matched on code, else name). Organisations not in the portal are listed with"
        " the nearest known names and created only with --create-organisations."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and preview; write nothing."
        )
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help="Create the organisations the file names that the portal does not know.",
        )

    def handle(self, *args, file: Path, dry_run: bool, create_organisations: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        result = projects_import(
            content=file.read_bytes(),
            filename=file.name,
            dry_run=dry_run,
            create_organisations=create_organisations,
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        for unknown in result.unknown:
            nearest = "; ".join(unknown.nearest) or "-"
            self.stdout.write(
                f"row {unknown.row}, {unknown.column}: new organisation {unknown.name!r}"
                f" (nearest known: {nearest})"
            )
        for row in result.rows:
            flags = f"  [needs completion: {' '.join(row.flags)}]" if row.flags else ""
            self.stdout.write(f"row {row.row}: {row.action} {row.code} {row.name}{flags}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} new and {result.updated} updated projects {verb} imported."
            )
        )
