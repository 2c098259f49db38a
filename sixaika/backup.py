"""Backup and restore of the database and the uploaded files, as one directory.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore --clean``
into the configured database; the embedded SQLite database is copied with SQLite's backup API.
Uploaded files (MEDIA_ROOT) go into ``media.tar.gz``. When the files live in an S3-compatible
bucket (``SIXAIKA_S3_BUCKET``), every object under the portal's prefix is copied into
``bucket/``, one file per content named by its SHA-256, and put back by the restore.

``manifest.json`` records what was taken: the size and SHA-256 of the database dump, of the
media archive and of every object, with the object's key. A restore first checks every one of
them and refuses the whole backup, touching nothing, if anything is missing or differs.

The database is dumped before the bucket is copied, so every file a row of the dump names is in
the backup (an object added in between is copied too, and is simply not named by any row).
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections

FORMAT = 2
CHUNK = 1024 * 1024
BUCKET_FOLDER = "bucket"


class BackupMismatch(ValueError):
    """The backup is not what its manifest says, or not for this portal's configuration."""


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


def _file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _bucket_storage():
    """The default storage when it is an S3-compatible bucket, else None."""
    from storages.backends.s3 import S3Storage

    storage = storages["default"]
    return storage if isinstance(storage, S3Storage) else None


def _prefix(storage) -> str:
    location = storage.location.strip("/")
    return f"{location}/" if location else ""


def _bucket_copy(storage, folder: Path) -> dict:
    """Every object under the portal's prefix into ``folder``, named by its SHA-256."""
    folder.mkdir()
    prefix = _prefix(storage)
    partial = folder / ".partial"
    objects = []
    for summary in storage.bucket.objects.filter(Prefix=prefix):
        answer = summary.get()
        digest, size = hashlib.sha256(), 0
        with partial.open("wb") as out:
            for chunk in answer["Body"].iter_chunks(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        sha256 = digest.hexdigest()
        partial.replace(folder / sha256)
        objects.append(
            {
                "key": summary.key[len(prefix) :],
                "size": size,
                "sha256": sha256,
                "content_type": answer.get("ContentType") or "",
            }
        )
    return {"name": storage.bucket_name, "prefix": prefix, "objects": objects}


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
        kind, database_file = "postgresql", "database.dump"
    else:
        source = sqlite3.connect(db["NAME"])
        dest = sqlite3.connect(target / "database.sqlite3")
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        kind, database_file = "sqlite", "database.sqlite3"
    media_root = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(target / "media.tar.gz", "w:gz") as tar:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
    storage = _bucket_storage()
    bucket = _bucket_copy(storage, target / BUCKET_FOLDER) if storage is not None else None
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(),
        "database": kind,
        "media_files": files,
        "files": {name: _file_facts(target / name) for name in (database_file, "media.tar.gz")},
        "bucket": bucket,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return target


def backup_check(*, source: Path) -> dict:
    """The backup's manifest, once every file it names is there with its size and SHA-256;
    else BackupMismatch naming the first that is not."""
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupMismatch(f"{source} has no readable manifest.json: {error}") from error
    for name, facts in (manifest.get("files") or {}).items():
        path = source / name
        if name not in ("database.dump", "database.sqlite3", "media.tar.gz"):
            raise BackupMismatch(f"The manifest names an unknown file {name!r}.")
        if not path.is_file() or _file_facts(path) != {
            "size": facts["size"],
            "sha256": facts["sha256"],
        }:
            raise BackupMismatch(f"{name} does not match the manifest.")
    bucket = manifest.get("bucket")
    if bucket:
        keys = [entry["key"] for entry in bucket["objects"]]
        if len(set(keys)) != len(keys):
            raise BackupMismatch("The manifest names an object twice.")
        for entry in bucket["objects"]:
            key = entry["key"]
            if not key or posixpath.normpath(key) != key or key.startswith(("/", "../")):
                raise BackupMismatch(f"The object key {key!r} is not allowed.")
            path = source / BUCKET_FOLDER / entry["sha256"]
            if (
                len(entry["sha256"]) != 64
                or not path.is_file()
                or _file_facts(path) != {"size": entry["size"], "sha256": entry["sha256"]}
            ):
                raise BackupMismatch(f"The object {entry['key']} does not match the manifest.")
    return manifest


def _bucket_restore(storage, source: Path, bucket: dict) -> None:
    """Make the objects under the portal's prefix exactly the backup's."""
    wanted = set()
    for entry in bucket["objects"]:
        key = _prefix(storage) + entry["key"]
        wanted.add(key)
        extra = {"ContentType": entry["content_type"]} if entry.get("content_type") else {}
        storage.bucket.upload_file(
            str(source / BUCKET_FOLDER / entry["sha256"]), key, ExtraArgs=extra
        )
    stray = [
        {"Key": summary.key}
        for summary in storage.bucket.objects.filter(Prefix=_prefix(storage))
        if summary.key not in wanted
    ]
    for start in range(0, len(stray), 1000):
        storage.bucket.delete_objects(Delete={"Objects": stray[start : start + 1000]})


def backup_restore(*, source: Path) -> dict:
    """Replace the database, the uploaded files and the bucket's objects with the backup in
    ``source``, once the backup is checked against its manifest and this configuration."""
    manifest = backup_check(source=source)
    db = _db_settings()
    if manifest["database"] == "postgresql" and "postgresql" not in db["ENGINE"]:
        raise BackupMismatch("This backup is of PostgreSQL; the configured database is not.")
    if manifest["database"] != "postgresql" and "sqlite" not in db["ENGINE"]:
        raise BackupMismatch("This backup is of SQLite; the configured database is not.")
    storage = _bucket_storage()
    bucket = manifest.get("bucket")
    if storage is not None and not bucket:
        raise BackupMismatch(
            f"The portal keeps its files in the bucket {storage.bucket_name}; this backup has "
            "no bucket's files."
        )
    if storage is None and bucket:
        raise BackupMismatch(
            f"This backup's files are from the bucket {bucket['name']}; the portal has no "
            "bucket configured (SIXAIKA_S3_BUCKET)."
        )
    connections.close_all()
    if manifest["database"] == "postgresql":
        env, args = _pg_env_and_args(db)
        subprocess.run(  # noqa: S603
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",  # noqa: S607
             *args, "--dbname", db["NAME"], str(source / "database.dump")],
            env=env,
            check=True,
        )  # fmt: skip
    else:
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
    if storage is not None:
        _bucket_restore(storage, source, bucket)
    return manifest
