"""Queries every signed-in request makes, compiled once.

The user's role names and seats are read on nearly every page (the menu asks what the user may
do). Their SQL is the same on every request but for the user's id, and Django compiling the
query again each time costs more CPU than PostgreSQL answering it (about 0.8 ms against 0.2 ms
for the seats). A ``Prepared`` query is built by the ORM once per database, with a marker in
place of the id, and afterwards only executed, with the id in each place the marker was.

A query may also hold fixed values of its own (a permission's codename, a model's name): they are
named when the query is made (``constants``), and every other parameter must be the marker, so a
value that changes between requests (a date, a setting) cannot be compiled in by mistake.
"""

import operator
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Never an id: the compiled parameters are checked to be exactly this, in every place.
MARKER = -2_000_000_001


class Prepared:
    """``build(marker, columns)`` makes the query (a ``values_list(*columns)``); ``rows(value)``
    runs it for a value and gives each row's ``columns`` in their order. Values come as the
    database driver gives them: fit for ids and texts, not for columns that need Django's
    converters (dates on SQLite, decimals, JSON)."""

    def __init__(
        self,
        build: Callable[[int, tuple[str, ...]], QuerySet],
        *columns: str,
        constants: tuple[str, ...] = (),
    ) -> None:
        self._build = build
        self._columns = columns
        self._constants = frozenset(constants)
        self._compiled: dict[str, tuple[str, tuple, Callable[[tuple], tuple] | None]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple, Callable[[tuple], tuple] | None]:
        queryset = self._build(MARKER, self._columns)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if MARKER not in params or any(
            param != MARKER and not (isinstance(param, str) and param in self._constants)
            for param in params
        ):
            raise ValueError(
                f"every parameter of a prepared query must be the value or a constant: {params!r}"
            )
        # The statement's columns, by their aliases, are not always in the order the values_list
        # asked for (django-modeltranslation's querysets select them in an order of their own
        # and put each row back in order as they read it): put them back the same way.
        selected = [column_alias for _expression, _sql, column_alias in compiler.select]
        wanted = list(self._columns)
        if not wanted or set(wanted) - set(selected):
            raise ValueError(f"a prepared query names its columns: {wanted!r} of {selected!r}")
        order = None
        if selected[: len(wanted)] != wanted:
            picked = operator.itemgetter(*[selected.index(name) for name in wanted])
            order = (lambda row: (picked(row),)) if len(wanted) == 1 else picked
        return sql, tuple(params), order

    def rows(self, value: int, using: str = "default") -> list[tuple[Any, ...]]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, order = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [value if param == MARKER else param for param in params])
            rows = cursor.fetchall()
        return [tuple(order(row)) for row in rows] if order else rows
