"""Pagination of long lists whose pages must cost about the same whatever the list's length.

Django's Paginator slices the list's queryset: page 201 of the portfolio is ``OFFSET 5000 LIMIT
25`` over the page's whole statement, so PostgreSQL reads and builds (joins, wide columns) the
5 000 rows before the page to throw them away (issue 19: 7.9 ms of SQL against 0.3 ms for page
1). ``DeferredJoinPaginator`` picks the page's primary keys first, in the list's order, and
reads the rows of those keys only: ``WHERE pk IN (SELECT pk ... ORDER BY ... OFFSET n LIMIT
25)``. The inner statement reads only what the order needs, which an index in that order (the
portfolio's ``(name_fi, id)``) answers without visiting the rows. The first page is read as
before (LIMIT alone stops at its last row). Still one statement: the page numbers, links and
counts stay as they were.

Some orders cannot stop early: the status reports by period and then project name sort every
report of the newest periods to keep 25. Given a ``version`` (a string that changes whenever
anything the list's order or membership reads changes), the paginator keeps each page's keys
in the cache under the version and the page's statement, and reads the page again as the rows
of those keys *within the same queryset*: the queryset's own conditions (who may read what)
are applied on every request, so a key kept from before cannot show a row the reader may no
longer see. Still one statement per page, whether the keys were kept or not.
With ``keep_count`` the list's count is kept the same way, under the version and the list's
statement (another reader's list is another statement), so the page's count is no scan either.

A list whose conditions decide no access (the public portfolio: a search or a filter only
narrows what everybody may read) passes ``rows``, the same rows unfiltered: the page's rows are
then read from the keys alone, without evaluating the search again over every organisation
(issue 19: the search's ``ILIKE`` over every organisation's name, 2 ms at 5 000 projects), as
the list's totals are taken from the cache without counting again.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

KEYS_TIMEOUT = 3600  # seconds: a version that is never bumped still ages out


def statement(queryset: QuerySet) -> str | None:
    """A digest of the queryset's statement (its conditions, order and columns, with their
    parameters): what kept counts and pages' keys are filed under, beside a version. None when
    no row can meet the conditions (Django then runs no query)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()


def kept_count(queryset: QuerySet, version: str, what: str | None = None) -> int:
    """``queryset.count()``, kept under ``version`` and the statement ``what`` (the counting
    statement's own digest unless the caller has one), so that a list's count is not a scan of
    every matching row on every request (issue 19). Whatever the statement reads must change the
    version when it changes; the statement holds the reader's conditions, so one reader's count
    is never another's."""
    if what is None:
        what = statement(queryset.order_by())
    if what is None:
        return 0
    key = f"core:count:{version}:{what}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, KEYS_TIMEOUT)
    return count


class DeferredJoinPaginator(Paginator):
    """A Paginator of a queryset ordered by a total order (ending with its primary key): pages
    after the first are read by a deferred join; with ``version``, every page's keys are kept
    in the cache under it; with ``rows`` (the same model's rows, unfiltered, with what a row
    needs read alongside), a page's rows are read from its keys without the list's conditions."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        version: str | None = None,
        rows: QuerySet | None = None,
        keep_count: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.version = version
        self.rows = rows
        self.keep_count = keep_count and version is not None

    @cached_property
    def _statement(self) -> str | None:
        """The list's statement of keys (its conditions and order), as a digest: what its count
        and its pages' keys are kept under, with the version. Compiled once per paginator
        (issue 19: compiling it for the count and again for the page was a tenth of the status
        report list's CPU). None when no row can meet the conditions."""
        return statement(self.object_list.values("pk"))

    @cached_property
    def count(self) -> int:
        """With ``keep_count``, the list's count is kept under the version and the statement
        (counted once per change of what the version follows); else Django's."""
        if not (self.keep_count and isinstance(self.object_list, QuerySet)):
            return super().count
        return kept_count(self.object_list, self.version, self._statement)

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return self._get_page(queryset[bottom:top], number, self)
        keys = queryset.values("pk")[bottom:top]
        if self.version is not None:
            return self._get_page(self._kept(queryset, keys, bottom, top), number, self)
        if bottom == 0:
            return self._get_page(queryset[bottom:top], number, self)
        return self._get_page(self._of(queryset).filter(pk__in=keys), number, self)

    def _of(self, queryset: QuerySet) -> QuerySet:
        """What a page's rows are read from, given its keys: the list's queryset (its order,
        select_related, only() and prefetches, and its conditions) or, with ``rows``, those rows
        in the list's order."""
        if self.rows is None:
            return queryset
        return self.rows.order_by(*queryset.query.order_by)

    def _kept(self, queryset: QuerySet, keys: QuerySet, bottom: int, top: int) -> list:
        if self._statement is None:  # a condition nothing can meet: no rows, and no query either
            return list(queryset[bottom:top])
        key = f"core:page-keys:{self.version}:{self._statement}:{bottom}:{top}"
        kept = cache.get(key)
        if kept is not None:
            return list(self._of(queryset).filter(pk__in=kept))
        rows = list(queryset[bottom:top] if bottom == 0 else self._of(queryset).filter(pk__in=keys))
        cache.set(key, [row.pk for row in rows], KEYS_TIMEOUT)
        return rows
