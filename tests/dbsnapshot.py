"""The shipped 6Aika data and the demo, loaded once per test database and copied in per test.

Loading them through the services (full_clean, history, guardian grants, demo PDFs) takes seconds;
every test that asks for ``org_6aika`` or ``demo_users`` used to pay that. Instead, when a test
process has created its database, :func:`build` loads them once, through the same services, and
keeps what each level added or changed as plain tables in schemas of the test database:

- ``snap_base``: every table as the migrations left it (content types, permissions...);
- ``snap_org``: the rows ``roles_ensure()`` + ``organisation_6aika_load()`` add or change;
- ``snap_demo``: the rows ``demo_accounts_load()`` adds or changes on top of that.

The database is then put back to the base, so a test that asks for neither level sees what it
saw before. :func:`restore` copies a level's rows in with one round trip of SQL (delete the
rows it changes, insert its rows), inside the test's transaction, so the rollback at the end of
the test removes them again. PostgreSQL checks Django's foreign keys at commit (they are
DEFERRABLE INITIALLY DEFERRED), and Django's TestCase checks them at the end of each test.

A transactional test (``transaction=True``, ``live_server``) commits; :func:`reset_to_base` then
puts the base back (empty every table, copy the base in: the same ids the snapshots refer to).
``tests/conftest.py`` makes it the teardown of every transactional test, in place of Django's
flush, which would make content types and permissions again with new ids.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection

LEVELS = ("org", "demo")
_state: dict[str, object] = {}


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every table in the test database's public schema."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
        tables = []
        for name in sorted(names):
            pk = connection.introspection.get_primary_key_column(cursor, name)
            if pk is None:
                raise RuntimeError(f"{name} has no single-column primary key to snapshot by")
            tables.append((name, pk))
    return tables


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _run(sql: str) -> None:
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _copy_all(schema: str, tables) -> None:
    _run(
        f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        + "".join(
            f"CREATE TABLE {schema}.{_q(t)} AS SELECT * FROM public.{_q(t)};" for t, _ in tables
        )
    )


def _diff(schema: str, previous: str, tables) -> list[str]:
    """Keep in ``schema`` the rows that are new or changed since ``previous`` (a full copy);
    return the tables that have any. A level may not delete rows: that would not restore."""
    _run(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};")
    changed = []
    for table, pk in tables:
        t, k = _q(table), _q(pk)
        deleted = _rows(
            f"SELECT count(*) FROM {previous}.{t} p "
            f"WHERE NOT EXISTS (SELECT 1 FROM public.{t} x WHERE x.{k} = p.{k})"
        )[0][0]
        if deleted:
            raise RuntimeError(f"loading {schema} deleted {deleted} rows of {table}")
        _run(
            f"CREATE TABLE {schema}.{t} AS SELECT * FROM public.{t} x WHERE NOT EXISTS "
            f"(SELECT 1 FROM {previous}.{t} p WHERE p.{k} = x.{k} AND p::text = x::text)"
        )
        if _rows(f"SELECT count(*) FROM {schema}.{t}")[0][0]:
            changed.append(table)
        else:
            _run(f"DROP TABLE {schema}.{t}")
    return changed


def _restore_sql(schema: str, tables, changed: list[str]) -> str:
    pks = dict(tables)
    return "".join(
        f"DELETE FROM public.{_q(t)} WHERE {_q(pks[t])} IN "
        f"(SELECT {_q(pks[t])} FROM {schema}.{_q(t)});"
        f"INSERT INTO public.{_q(t)} SELECT * FROM {schema}.{_q(t)};"
        for t in changed
    )


def build(loaders: dict[str, Callable[[], object]]) -> None:
    """Load each level with its loader (``{"org": ..., "demo": ...}``) and keep its rows."""
    tables = _tables()
    _copy_all("snap_base", tables)
    previous = "snap_base"
    for level in LEVELS:
        loaders[level]()
        _diff(f"snap_{level}", previous, tables)
        _copy_all(f"snap_full_{level}", tables)
        previous = f"snap_full_{level}"
    attach()
    reset_to_base()


def attach() -> None:
    """Read what :func:`build` kept in this database (its schemas, the sequences): in the
    database that built them, or in a copy of it (``tests/dbtemplate.py``)."""
    tables = _tables()
    kept = {
        schema: {
            name
            for (name,) in _rows(f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'")
        }
        for schema in (f"snap_{level}" for level in LEVELS)
    }
    sql = {
        level: _restore_sql(
            f"snap_{level}", tables, [t for t, _ in tables if t in kept[f"snap_{level}"]]
        )
        for level in LEVELS
    }
    # Sequences stay past every id a snapshot holds, so a row made by a test never collides.
    sequences = [
        (seq, value)
        for (seq,) in _rows(
            "SELECT pg_get_serial_sequence(format('%I', c.relname), a.attname) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "WHERE c.relkind = 'r'"
        )
        if seq
        for (value,) in _rows(f"SELECT last_value FROM {seq}")
    ]
    base = "".join(
        f"INSERT INTO public.{_q(t)} SELECT * FROM snap_base.{_q(t)};" for t, _ in tables
    )
    _state.update(
        tables=tables,
        sql=sql,
        # DELETE, not TRUNCATE: the tables are small, and TRUNCATE makes new files for each of
        # them (about a second for all). One implicit transaction, foreign keys checked at its
        # end, so the order of the tables does not matter.
        base="SET CONSTRAINTS ALL DEFERRED;"
        + "".join(f"DELETE FROM public.{_q(t)};" for t, _ in tables)
        + base,
        sequences="".join(
            f"SELECT setval('{seq}', GREATEST({value}, (SELECT last_value FROM {seq})));"
            for seq, value in sequences
        ),
    )
    _warm_content_types()


def restore(level: str) -> None:
    """Copy a level's rows into the database (inside the test's transaction)."""
    if "sql" not in _state:
        raise RuntimeError("no snapshots: tests/conftest.py's django_db_setup did not build them")
    _run(_state["sql"][level])
    _warm_content_types()


def reset_to_base() -> None:
    """Make the database what the migrations left, with the ids the snapshots refer to."""
    _run(_state["base"] + _state["sequences"])
    ContentType.objects.clear_cache()
    _warm_content_types()


def _warm_content_types() -> None:
    """Loading through the services used to leave every content type cached in the process, as
    a running portal has them; pinned query counts rely on that, so keep it so."""
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def is_built() -> bool:
    return "base" in _state
