"""Waiting in a test for something another process or thread does (a server listening, a worker
finishing a report, a row changing), woken by the event itself, never by a clock.

Each kind of waiting has a source of events that says "something may have changed": a line the
process writes (``Output``), a notification PostgreSQL sends when a table's rows change
(``row_changes``), a Celery task that finished in this process (``tasks_finishing``). ``until``
asks its condition once, and again after every event, and blocks on the source in between; if the
deadline passes first it fails naming what did not come, with what the process last said.
Nothing here sleeps: with no event the test blocks until the deadline.
"""

import contextlib
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from django.db import connection


class Events:
    """A source of "something happened" events: the base of the waits below."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._count = 0

    def happened(self) -> None:
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def _mark(self) -> int:
        with self._changed:
            return self._count

    def _wait(self, mark: int, seconds: float) -> None:
        """Block until an event after ``mark``, at most ``seconds``."""
        with self._changed:
            self._changed.wait_for(lambda: self._count != mark, seconds)

    def context(self) -> str:
        """What to add to a failure's message (a process's last lines)."""
        return ""

    def until(
        self,
        condition: Callable[[], object],
        seconds: float,
        what: str,
        *,
        tell: Callable[[], str] | None = None,
    ) -> None:
        """Return once ``condition()`` holds; after ``seconds``, fail naming ``what`` (and what
        ``tell()`` says then, such as a worker's last lines)."""
        deadline = time.monotonic() + seconds
        while True:
            mark = self._mark()  # before asking: an event while asking is not lost
            if condition():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                told = f"\n{tell()}" if tell else ""
                raise AssertionError(f"{what}: not within {seconds} s{self.context()}{told}")
            self._wait(mark, left)


class Output(Events):
    """A process's standard output and error, read line by line by a thread as they come, kept
    in a log file and in memory; every line is an event."""

    def __init__(self, process: subprocess.Popen, log: Path | None = None) -> None:
        super().__init__()
        if process.stdout is None:
            raise ValueError("start the process with stdout=subprocess.PIPE")
        self.process = process
        self.log = log
        self.lines: list[str] = []
        self.ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        sink = self.log.open("ab") if self.log else None
        try:
            for raw in iter(self.process.stdout.readline, b""):
                if sink:
                    sink.write(raw)
                    sink.flush()
                with self._changed:
                    self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.happened()
        finally:
            if sink:
                sink.close()
            self.ended = True
            self.happened()

    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def context(self) -> str:
        return f"\n--- the process's last output ---\n{self.text()[-3000:]}"

    def said(self, pattern: str, *, times: int = 1) -> bool:
        found = re.compile(pattern)
        with self._changed:
            return sum(1 for line in self.lines if found.search(line)) >= times

    def wait_for(self, pattern: str, seconds: float, what: str, *, times: int = 1) -> None:
        """Until the process has written a line matching ``pattern`` (``times`` such lines);
        fails at once if the process ends without it."""

        def said_or_ended() -> bool:
            if self.said(pattern, times=times):
                return True
            if self.ended:
                raise AssertionError(f"{what}: the process ended without it{self.context()}")
            return False

        self.until(said_or_ended, seconds, what)

    def close(self) -> None:
        """Wait for the reader once the process has ended (everything is in the log)."""
        self._reader.join(timeout=30)


def start(argv: list[str], log: Path | None = None, **popen: object) -> tuple:
    """Start a process with its output read by an ``Output``; returns both."""
    process = subprocess.Popen(  # noqa: S603 - the tests' own commands
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen
    )
    return process, Output(process, log)


class _Notifications(Events):
    """PostgreSQL notifications on a channel of the test's own, on a connection of their own."""

    def __init__(self, conninfo: str, channel: str) -> None:
        super().__init__()
        self.listener = psycopg.connect(conninfo, autocommit=True)
        self.listener.execute(f"LISTEN {channel}")

    def _mark(self) -> int:
        return 0  # notifications wait in the connection until read: none is lost

    def _wait(self, mark: int, seconds: float) -> None:
        for _ in self.listener.notifies(timeout=seconds, stop_after=1):
            pass

    def close(self) -> None:
        self.listener.close()


def _conninfo() -> str:
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )


@contextlib.contextmanager
def row_changes(*models: type) -> Iterator[Events]:
    """Events for every committed insert or update of the models' tables, by any process on
    this test's database (a worker, a web process). A trigger of the test's own sends them; it is
    dropped at the end. Needs a transactional test (the trigger must be committed)."""
    channel = f"sixaika_test_{os.getpid()}"
    function = f"{channel}_notify"
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN PERFORM pg_notify('{channel}', TG_TABLE_NAME); RETURN NULL; END $$"
        )
        for table in tables:
            cursor.execute(
                f'CREATE TRIGGER {channel} AFTER INSERT OR UPDATE ON "{table}"'
                f" FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
    events = _Notifications(_conninfo(), channel)
    try:
        yield events
    finally:
        events.close()
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'DROP TRIGGER IF EXISTS {channel} ON "{table}"')
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


@contextlib.contextmanager
def tasks_finishing() -> Iterator[Events]:
    """Events for every Celery task that finishes in this process (a worker in a thread of the
    test, celery.contrib.testing): after its work, its commit hooks and its e-mails."""
    from celery import signals

    events = Events()

    def finished(**kwargs: object) -> None:
        events.happened()

    signals.task_postrun.connect(finished, weak=False)
    try:
        yield events
    finally:
        signals.task_postrun.disconnect(finished)
