"""Before `make test`: is everything the suite needs here? One clear line for each thing missing.

PostgreSQL and Redis reachable; and the system packages the tests use: Chromium (browser
journeys), the fonts pages and PDFs are laid out with (fonts-noto-core, fonts-dejavu-core),
pdftotext (poppler-utils: PDFs are checked by their text), xgettext (gettext: the translation
tests run makemessages). `.ci/run` installs all of them on a Debian machine."""

import os
import shutil
import sys
from pathlib import Path

import environ


def main() -> int:
    import sixaika.settings.test  # noqa: F401  (sets the DATABASE_URL / REDIS_URL defaults)

    db_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    problems = []
    try:
        import psycopg

        cfg = environ.Env.db_url_config(db_url)
        psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        problems.append(
            f"PostgreSQL not reachable at {db_url} ({type(exc).__name__}): install and start "
            "PostgreSQL (apt-get install postgresql; pg_ctlcluster 15 main start) "
            "or set DATABASE_URL"
        )
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        problems.append(
            f"Redis not reachable at {redis_url} ({type(exc).__name__}): install and start Redis "
            "(apt-get install redis-server; redis-server --daemonize yes) or set REDIS_URL"
        )
    problems += system_packages_missing()
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


# (what must be there, the Debian package that brings it, what the tests use it for)
SYSTEM_NEEDS = [
    (os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "chromium", "browser journeys"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "fonts-noto-core", "page layout"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core", "PDF layout"),
    ("pdftotext", "poppler-utils", "PDF text checks"),
    ("xgettext", "gettext", "translation checks"),
]


def system_packages_missing() -> list[str]:
    missing = [
        (package, use)
        for need, package, use in SYSTEM_NEEDS
        if not (Path(need).exists() if need.startswith("/") else shutil.which(need))
    ]
    if not missing:
        return []
    return [
        "Missing for the tests: "
        + ", ".join(f"{package} ({use})" for package, use in missing)
        + ". Install: apt-get install "
        + " ".join(package for package, _ in missing)
        + " (or run bash .ci/run, which installs them)"
    ]


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
