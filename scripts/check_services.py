"""Before `make test`: are PostgreSQL and Redis reachable? One clear line if not."""

import os
import sys

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
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
