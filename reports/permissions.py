"""Who may ask for, see and download monitoring reports, and use the exports: decided here.

The board monitoring report is for the board, the steering group and the strategy office (its
decisions are those of approved minutes only); a meeting pack follows the meeting page's rule
(governance.permissions.can_view_meeting: the body's members and deputies, and the office); a
city report also for the coordinator of that city. A project
fact sheet prints only the project's public facts, so it is public like the project's page
(projects.permissions.can_read_project): anyone, logged in or not, may read and download a
finished one. Asking for a report makes a job on the worker, so only users of /reports/ ask,
and only for the kinds they may download.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from coordination.permissions import is_reader
from core.access import AnyUser
from governance.models import Body, Meeting
from governance.permissions import (
    body_ids_of,
    can_view_meeting,
    coordinated_city_ids,
    has_role,
    is_strategy_office,
    meetings_for_user,
)
from governance.roles import Role
from projects.models import Project
from projects.permissions import can_read_any_reports, can_read_project, contact_project_ids

from .models import Report


def _board_audience(user: AnyUser) -> bool:
    return is_reader(user) and (
        is_strategy_office(user)
        or has_role(user, Role.BOARD)
        or has_role(user, Role.STEERING_GROUP)
    )


def can_use_reports(user: AnyUser) -> bool:
    """The /reports/ page: anyone who may have at least one kind of report."""
    return is_reader(user) and (
        _board_audience(user)
        or can_read_any_reports(user)  # any role: no query beyond the roles
        or bool(coordinated_city_ids(user))
        or bool(contact_project_ids(user))
    )


def can_have_report(
    user: AnyUser,
    kind: str,
    *,
    city_id: int | None = None,
    project_id: int | None = None,
    meeting: Meeting | None = None,
) -> bool:
    """Whether the user may download (and ask for) a report of ``kind`` on that subject; a
    meeting pack without its meeting: whether the user may have the pack of any board meeting."""
    if kind == Report.Kind.PROJECT and project_id is not None:
        return can_read_project(user, Project(pk=project_id))
    if not is_reader(user):
        return False
    if kind == Report.Kind.MEETING_PACK:
        if meeting is not None:
            return can_view_meeting(user, meeting)
        return (
            is_strategy_office(user)
            or Body.objects.filter(kind=Body.Kind.BOARD, pk__in=body_ids_of(user)).exists()
        )
    if kind == Report.Kind.BOARD:
        return _board_audience(user)
    if kind == Report.Kind.CITY:
        return _board_audience(user) or (
            city_id is not None and city_id in coordinated_city_ids(user)
        )
    return False


def reports_for(user: AnyUser) -> QuerySet[Report]:
    """The reports the user may see and download, for lists."""
    if not is_reader(user):
        return Report.objects.none()
    allowed = Q(kind=Report.Kind.PROJECT)  # public, as can_have_report says
    if _board_audience(user):
        allowed |= Q(kind__in=[Report.Kind.BOARD, Report.Kind.CITY])
        allowed |= Q(kind=Report.Kind.MEETING_PACK, meeting__in=meetings_for_user(user))
    else:
        allowed |= Q(kind=Report.Kind.CITY, city_id__in=coordinated_city_ids(user))
    return Report.objects.filter(allowed)


def report_for(user: AnyUser, pk: int) -> Report:
    """The report if the user may see it: 404 if missing, 403 if not theirs (a view sends an
    anonymous visitor to log in instead)."""
    report = get_object_or_404(Report.objects.select_related("city", "project", "meeting"), pk=pk)
    if not can_have_report(
        user,
        report.kind,
        city_id=report.city_id,
        project_id=report.project_id,
        meeting=report.meeting,
    ):
        raise PermissionDenied
    return report


def can_export(user: AnyUser) -> bool:
    """CSV/XLSX exports and the organisation directory import: the strategy office."""
    return is_reader(user) and is_strategy_office(user)
