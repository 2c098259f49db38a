"""PostgreSQL restarted under load: the portal answers cleanly while the database is away
(503 with Retry-After and a page that says so, never a hang or a broken connection) and serves
again as soon as it is back, without a restart of the portal.

The portal runs as in production (gunicorn, 2 workers, persistent database connections) against
a PostgreSQL cluster of the test's own, which the test stops and starts; the machine's shared
PostgreSQL is never touched.
"""

import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import psycopg
import pytest

from tests.waiting import start

from .conftest import PYTHON, ROOT, SCHEMA_FROM_MODELS, free_port, manage

DATABASE = "sixaika_faults"
PAGES = ["/governance/", "/projects/", "/api/v1/projects/"]
CLIENTS = 4
ANSWERS_PER_PHASE = 2 * CLIENTS  # before the stop, while down, after the start
PHASE_TIMEOUT = 120  # seconds: a phase that gets no answers in this long fails, saying which


@dataclass
class Answer:
    at: float  # when the request was sent
    ended: float
    path: str
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    body: str
    retry_after: str | None


def _get(base: str, path: str) -> Answer:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310 - loopback
            return Answer(started, time.monotonic(), path, response.status, "", None)
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        retry_after = error.headers.get("Retry-After")
        return Answer(started, time.monotonic(), path, error.code, body, retry_after)
    except OSError as error:
        return Answer(started, time.monotonic(), path, 0, repr(error), None)


def _load(
    base: str, stop: threading.Event, answers: list[Answer], arrived: threading.Condition
) -> None:
    i = 0
    deadline = time.monotonic() + 3 * PHASE_TIMEOUT + 60  # bounded whatever happens
    while not stop.is_set() and time.monotonic() < deadline:
        answer = _get(base, PAGES[i % len(PAGES)])
        with arrived:
            answers.append(answer)
            arrived.notify_all()
        i += 1


def _wait_for(
    answers: list[Answer], arrived: threading.Condition, which, count: int, what: str
) -> None:
    """Wake at each answer the load threads bring until ``count`` of them are ``which``."""

    def enough() -> bool:
        return sum(1 for answer in answers if which(answer)) >= count

    with arrived:
        if not arrived.wait_for(enough, timeout=PHASE_TIMEOUT):
            seen = sum(1 for answer in answers if which(answer))
            pytest.fail(f"{seen} of {count} {what} after {PHASE_TIMEOUT} s", pytrace=False)


def _errors(log) -> str:
    """The portal's logged errors (their tracebacks), for a failure's message."""
    text = log.read_text(errors="replace")
    at = text.find("Traceback")
    return text[max(0, at - 500) : at + 6000] if at >= 0 else text[-3000:]


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return {int(pid) for pid in out.split()}


@pytest.fixture(scope="module")
def portal(private_postgres, tmp_path_factory):
    with psycopg.connect(private_postgres.url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sixaika.settings.bench",  # production, over plain HTTP
        DATABASE_URL=private_postgres.url(DATABASE),
        DATABASE_CONN_MAX_AGE="600",
        # the load here is one address: the API's anonymous throttle must not answer for it
        SIXAIKA_API_ANON_RATE="100000/minute",
        # the web service's own gunicorn configuration, with two workers that are never
        # recycled (the test counts them) and plain-text logs
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_TIMEOUT="30",
        GUNICORN_MAX_REQUESTS="0",
        SIXAIKA_LOG_FORMAT="text",
    )
    manage("shell", "-c", SCHEMA_FROM_MODELS, env=env)
    manage("load_6aika", env=env)
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    server, output = start(
        [PYTHON, "-m", "gunicorn", "-c", "sixaika/gunicorn.conf.py", "sixaika.wsgi"],
        log,
        cwd=ROOT,
        env=env,
    )
    try:
        # Both workers have loaded the portal (sixaika/gunicorn.conf.py's post_worker_init).
        output.wait_for(r"Worker ready \(pid: \d+\)", 120, "two gunicorn workers ready", times=2)
        yield server, f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=30)
        output.close()


def test_requests_fail_cleanly_while_postgres_is_down_and_recover_without_a_restart(
    private_postgres, portal
):
    server, base, log = portal
    for path in PAGES:  # warm: every worker has its persistent connection
        for _ in range(4):
            assert _get(base, path).status == 200, log.read_text()[-3000:]
    workers = _worker_pids(server.pid)
    assert len(workers) == 2

    answers: list[Answer] = []
    arrived, stop = threading.Condition(), threading.Event()
    clients = [
        threading.Thread(target=_load, args=(base, stop, answers, arrived)) for _ in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    try:
        # Each phase lasts until what it is for has happened (answers counted, not seconds
        # slept), so a slow machine makes it longer, never emptier.
        _wait_for(answers, arrived, lambda a: True, ANSWERS_PER_PHASE, "answers before the stop")
        down_at = time.monotonic()
        private_postgres.stop()
        _wait_for(
            answers,
            arrived,
            lambda a: a.at > down_at + 0.5 and a.status == 503,
            ANSWERS_PER_PHASE,
            "503 answers while PostgreSQL is down",
        )
        private_postgres.start()
        up_at = time.monotonic()
        _wait_for(
            answers,
            arrived,
            lambda a: a.at > up_at + 1,
            ANSWERS_PER_PHASE,
            "answers after the start",
        )
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)

    before = [a for a in answers if a.ended < down_at]
    during = [a for a in answers if down_at + 0.5 < a.at and a.ended < up_at]
    after = [a for a in answers if a.at > up_at + 1]
    assert before and during and after

    # Every request got an HTTP answer: no hang, no reset, no bare 500.
    assert {a.status for a in answers} <= {200, 503}, (
        [(a.path, a.status) for a in answers if a.status not in (200, 503)],
        _errors(log),
    )
    assert all(a.status == 200 for a in before)
    # While the database was away, the portal said so, in Finnish, and when to try again.
    unavailable = [a for a in during if a.status == 503]
    assert unavailable, "no request reached the portal while the database was down"
    for answer in unavailable:
        assert answer.retry_after == "5"
        assert "Palvelu on tilapäisesti poissa käytöstä" in answer.body
        assert 'lang="fi"' in answer.body
    # Back as soon as the database is: every request after it is answered normally ...
    assert all(a.status == 200 for a in after), [(a.path, a.status) for a in after][:10]
    # ... by the same processes: the portal itself was not restarted.
    assert server.poll() is None
    assert _worker_pids(server.pid) == workers
