"""Waiting for a condition in a test that talks to another process (a worker, a server, a
PostgreSQL cluster, a container's healthcheck): ask the condition again and again until it holds
or the deadline passes, and then fail saying what did not come.

The pause between two asks starts at 50 ms and doubles up to one second: a condition that holds at
once costs nothing, a slow one is not asked hundreds of times. Nothing here waits a fixed time for
something to have happened; where a blocking wait exists (a Celery result's ``get``, a
``threading.Condition``, Playwright's ``expect``) the tests use that instead.
"""

import time
from collections.abc import Callable

FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0


def until(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Return once ``condition()`` holds; after ``seconds``, fail naming ``what``."""
    deadline = time.monotonic() + seconds
    pause = FIRST_PAUSE
    while not condition():
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(min(pause, left))
        pause = min(2 * pause, LONGEST_PAUSE)
