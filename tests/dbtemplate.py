"""One test database per run, built once and copied for each test process.

Each test process (pytest -n) needs a database made from the models with the 6Aika data and the
demo kept as snapshots (``tests/dbsnapshot.py``). Building it takes about fifteen seconds of CPU
(Python and PostgreSQL), the same work in every process. So the first process that needs it builds
it once, in a ``python -m tests.dbtemplate`` process of its own, as a database named after the run
(``test_sixaika_tpl_<run>``); every process then has PostgreSQL copy that database into its own
(``CREATE DATABASE ... TEMPLATE``, Django's ``TEST["TEMPLATE"]``), which takes a second, and
reads the snapshots' bookkeeping from the copy (:func:`dbsnapshot.attach`). The main process
drops the template when the run ends (``tests/conftest.py``).

A run in one process (no ``-n``) builds its database in place as before.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests import once

ROOT = Path(__file__).resolve().parents[1]


def loaders() -> dict:
    """The snapshot levels and what loads each, as ``load_6aika`` and ``load_demo`` do."""
    from governance.seed import organisation_6aika_load
    from governance.services import roles_ensure
    from sixaika.demo import demo_accounts_load

    return {"org": lambda: (roles_ensure(), organisation_6aika_load()), "demo": demo_accounts_load}


def name(run: str) -> str:
    from django.conf import settings

    # test_sixaika_tpl_<run>: PostgreSQL's names are at most 63 bytes
    return f"test_{settings.DATABASES['default']['NAME']}_tpl_{run[:16]}"


def ensure() -> str:
    """The run's template database, built by the first process that asks; its name."""
    template = name(once.run_id())

    def build() -> str:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sixaika.settings.test"}
        done = subprocess.run(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "tests.dbtemplate", template],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"the test database {template} was not built:\n{done.stderr[-4000:]}"
            )
        return template

    return once.result("dbtemplate", build)


def drop(run: str) -> None:
    """Drop the run's template, if one was built (the main process, at the end of the run)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name(run)}"')


def _build(template: str) -> None:
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    from tests import dbsnapshot

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = template
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    dbsnapshot.build(loaders())
    connection.close()


if __name__ == "__main__":
    _build(sys.argv[1])
