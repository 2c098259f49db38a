"""Backup and restore of the database and the uploaded files, as one directory.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore --clean``
into the configured database; the embedded SQLite database is copied with SQLite's backup API.
Uploaded files (MEDIA_ROOT) go into ``media.tar.gz``. ``manifest.json`` records what was taken.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections


def _pg_env_and_args(db: dict) -> tuple[dict[str, str], list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _db_settings(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def backup_create(*, target: Path) -> Path:
    """Write a backup into a new directory ``target``; return it."""
    target.mkdir(parents=True, exist_ok=False)
    db = _db_settings()
    if "postgresql" in db["ENGINE"]:
        env, args = _pg_env_and_args(db)
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", *args, "--file",  # noqa: S607
             str(target / "database.dump"), db["NAME"]],
            env=env,
            check=True,
        )  # fmt: skip
        kind = "postgresql"
    else:
        source = sqlite3.connect(db["NAME"])
        dest = sqlite3.connect(target / "database.sqlite3")
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        kind = "sqlite"
    media_root = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(target / "media.tar.gz", "w:gz") as tar:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
    (target / "manifest.json").write_text(
        json.dumps(
            {
                "created": datetime.now(UTC).isoformat(),
                "database": kind,
                "media_files": files,
            },
            indent=2,
        )
    )
    return target


def backup_restore(*, source: Path) -> dict:
    """Replace the database and the uploaded files with the backup in ``source``."""
    manifest = json.loads((source / "manifest.json").read_text())
    db = _db_settings()
    connections.close_all()
    if manifest["database"] == "postgresql":
        if "postgresql" not in db["ENGINE"]:
            raise ValueError("This backup is of PostgreSQL; the configured database is not.")
        env, args = _pg_env_and_args(db)
        subprocess.run(  # noqa: S603
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",  # noqa: S607
             *args, "--dbname", db["NAME"], str(source / "database.dump")],
            env=env,
            check=True,
        )  # fmt: skip
    else:
        if "sqlite" not in db["ENGINE"]:
            raise ValueError("This backup is of SQLite; the configured database is not.")
        src = sqlite3.connect(source / "database.sqlite3")
        dest = sqlite3.connect(db["NAME"])
        with dest:
            src.backup(dest)
        src.close()
        dest.close()
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        tar.extractall(media_root, filter="data")
    return manifest
