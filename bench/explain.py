"""Print the PostgreSQL plans (EXPLAIN ANALYZE) of the main queries of the benchmarked pages, as
Markdown: the portfolio list with its filters and sorts and its last page, the coordinator's
home page, the status report lists and the decision register. ``make bench`` writes them to
docs/benchmarks-explain.md for the largest data size, so the indexes are checked against the
data rather than hand-pasted.

Run with DJANGO_SETTINGS_MODULE=sixaika.settings.bench and DATABASE_URL of a bench database.
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, QuerySet  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.pagination import DeferredJoinPaginator  # noqa: E402
from governance import permissions as governance_permissions  # noqa: E402
from governance import selectors as governance_selectors  # noqa: E402
from governance.models import City  # noqa: E402
from projects import permissions as project_permissions  # noqa: E402
from projects import selectors  # noqa: E402
from projects.filters import PortfolioFilter  # noqa: E402
from projects.models import Project  # noqa: E402

PAGE = 25


def portfolio(query: str) -> QuerySet[Project]:
    """The list's queryset exactly as projects.views.project_list builds it."""
    data = QueryDict(query)
    filterset = PortfolioFilter(data or None, queryset=selectors.portfolio())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if not filterset.is_bound or not filterset.form.cleaned_data.get("sort"):
        return queryset.order_by("name_fi", "pk")
    return queryset.order_by(*queryset.query.order_by, "pk")


def plan_of(queryset: QuerySet) -> str:
    return queryset.explain(analyze=True)


def plan_of_sql(sql: str, params: list[object]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def summary(plan: str) -> str:
    """The indexes a plan uses and its execution time, for the overview table."""
    indexes = sorted(set(re.findall(r"(?:Index|Index Only) Scan(?: Backward)? using (\w+)", plan)))
    time = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return f"{', '.join(f'`{i}`' for i in indexes) or 'none'} | {time.group(1) if time else '?'}"


def main() -> None:
    tampere = City.objects.get(slug="tampere")
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=14)
    office = get_user_model().objects.get(username="toimisto")
    cases: list[tuple[str, str]] = []
    for label, query in [
        ("Portfolio list, default sort (name)", ""),
        ("Portfolio list, city filter, sorted by cost descending", "city=tampere&sort=-cost"),
        ("Portfolio list, status filter, sorted by start date", "status=running&sort=start"),
        ("Portfolio list, instrument filter, sorted by code", "instrument=ESR&sort=code"),
        ("Portfolio list, programme and theme, sorted by granted", "programme=6aika&theme=open-data&sort=-granted"),
        ("Portfolio list, active in a period, sorted by end date", "active_from=2025-01-01&active_to=2025-06-30&sort=end"),
        ("Portfolio list, search", "q=alusta"),
    ]:  # fmt: skip
        qs = portfolio(query)
        cases.append((f"{label}: page of rows", plan_of(qs[:PAGE])))
        if query in ("", "city=tampere&sort=-cost"):
            cases.append((f"{label}: count and totals", plan_of(qs.order_by())))
    # The last page as the list reads it (core.pagination): its keys first, then its rows.
    everything = portfolio("")
    last = DeferredJoinPaginator(everything, PAGE)
    last.count = Project.objects.count()
    cases.append(
        (
            "Portfolio list, last page (deferred join)",
            plan_of(last.page(last.num_pages).object_list),
        )
    )
    in_city = Project.cities.through.objects.filter(project=OuterRef("pk"), city_id=tampere.pk)
    cases.append(
        (
            "Coordinator's home page: the city's projects",
            plan_of(
                selectors.portfolio().filter(Exists(in_city)).order_by("status", "name_fi")[:50]
            ),
        )
    )
    sql, params = selectors.obligations_sql(
        city_ids=[tampere.pk], today=today, horizon=horizon, limit=selectors.HOME_LIST_LIMIT
    )
    cases.append(
        ("Coordinator's home page: overdue, due and returned reports", plan_of_sql(sql, params))
    )
    reports = selectors.report_list(project_permissions.readable_reports(office), state="submitted")
    cases.append(("Status report list, submitted, for the office", plan_of(reports[:PAGE])))
    coordinator = get_user_model().objects.get(username="koordinaattori-tampere")
    theirs = selectors.report_list(project_permissions.readable_reports(coordinator))
    # The first page read anew; while the reports and the portfolio stay as they are, its keys
    # are kept and the page is the rows of those 25 keys (core.pagination).
    cases.append(("Status report list, the coordinator's first page", plan_of(theirs[:PAGE])))
    kept = list(theirs[:PAGE].values_list("pk", flat=True))
    cases.append(
        (
            "Status report list, the coordinator's first page, keys kept",
            plan_of(theirs.filter(pk__in=kept)),
        )
    )
    decisions = governance_selectors.decision_register(governance_permissions.decisions_public())
    cases.append(("Decision register, first page", plan_of(decisions[:20])))
    print(f"Projects: {Project.objects.count()}; plans on {today:%d.%m.%Y}.\n")
    print("| query | indexes used | execution ms |")
    print("|---|---|---:|")
    for label, plan in cases:
        print(f"| {label} | {summary(plan)} |")
    for label, plan in cases:
        print(f"\n### {label}\n\n```\n{plan}\n```")


if __name__ == "__main__":
    main()
