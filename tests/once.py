"""Work done once per test run and shared by the test processes (pytest -n).

``make test`` runs four processes. Some work is the same in each (migrating an empty database
through every migration, for instance) and its result is plain data: the first process that needs
it does it, under a lock, and keeps the result as JSON in a folder of this run; a process that
needs it later, or at the same time, waits on the lock and reads it.

The run is named by pytest-xdist's test run id, which ``tests/conftest.py`` chooses in the main
process so that it can remove the run's folder at the end. A run without xdist uses its own pid.
"""

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

PREFIX = "sixaika-tests-"


def run_id() -> str:
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"


def folder(run: str | None = None) -> Path:
    return Path(tempfile.gettempdir()) / f"{PREFIX}{run or run_id()}"


def result(name: str, make: Callable[[], object]) -> object:
    """``make()``'s result, made by the first process of the run that asks."""
    here = folder()
    here.mkdir(exist_ok=True)
    kept = here / f"{name}.json"
    with (here / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even on failure
        if kept.exists():
            return json.loads(kept.read_text())
        value = make()
        partial = kept.with_suffix(".partial")
        partial.write_text(json.dumps(value))
        partial.replace(kept)
        return value


def seen(kind: str, key: str) -> bool:
    """Whether some process of this run has marked ``key`` (``mark``)."""
    return (folder() / kind / key).exists()


def mark(kind: str, key: str) -> None:
    """Remember ``key`` for the rest of the run, for every process (a file name, so ``key``
    is a hash or another plain name)."""
    (folder() / kind).mkdir(parents=True, exist_ok=True)
    (folder() / kind / key).touch()


def forget(run: str) -> None:
    shutil.rmtree(folder(run), ignore_errors=True)
