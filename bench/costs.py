"""What limits each benchmarked page: one process, each page requested a few times through
Django's test client (after a warm-up), its CPU split into SQL (time inside the database
calls, the PostgreSQL backend's CPU read from /proc) and Python (the rest of the request).
Prints JSON {key: {...}} (with BENCH_CALLS=1 also the Python function calls per request,
counted by cProfile in extra requests); ``--top KEY`` prints a cProfile of that page instead.

Run with DJANGO_SETTINGS_MODULE=sixaika.settings.bench and DATABASE_URL of a bench database;
the pages come from bench/run.py as JSON on stdin (key, path, user).
"""

import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

# BENCH_ROOT: another checkout's code (bench/compare.py measures two); this one's by default.
sys.path.insert(
    0, os.environ.get("BENCH_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = 10


def backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_for(user: str | None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user:
        client.force_login(get_user_model().objects.get(username=user))
    return client


def measure(page: dict) -> dict:
    client = client_for(page.get("user"))
    for _ in range(2):
        client.get(page["path"])  # warm-up: caches, templates
    sql_wall = 0.0
    queries = 0

    def timed(execute, sql, params, many, context):
        nonlocal sql_wall
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_wall += time.perf_counter() - started

    backend_before = backend_cpu()
    cpu_before = time.process_time()
    size = 0
    with connection.execute_wrapper(timed), CaptureQueriesContext(connection) as captured:
        for _ in range(REPEAT):
            response = client.get(page["path"])
            size = len(response.content) if not getattr(response, "streaming", False) else 0
    cpu = (time.process_time() - cpu_before) / REPEAT
    backend = (backend_cpu() - backend_before) / REPEAT
    queries = len(captured) / REPEAT
    calls = None
    if os.environ.get("BENCH_CALLS"):
        # Python function calls per request: unlike its CPU time, a count does not depend on
        # what else the machine runs (bench/compare.py compares two checkouts' counts).
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REPEAT):
            client.get(page["path"])
        profiler.disable()
        calls = round(pstats.Stats(profiler).total_calls / REPEAT)
    return {
        "status": response.status_code,
        "calls": calls,
        "python_ms": round(cpu * 1000, 2),
        "sql_wall_ms": round(sql_wall * 1000 / REPEAT, 2),
        "backend_ms": round(backend * 1000, 2),
        "queries": round(queries, 1),
        "bytes": size,
    }


def main() -> None:
    pages = json.load(sys.stdin)
    if len(sys.argv) > 2 and sys.argv[1] == "--top":
        page = next(p for p in pages if p["key"] == sys.argv[2])
        client = client_for(page.get("user"))
        client.get(page["path"])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REPEAT):
            client.get(page["path"])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    print(json.dumps({p["key"]: measure(p) for p in pages}))


if __name__ == "__main__":
    main()
