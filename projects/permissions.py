"""Who may see and do what with projects and status reports, decided here and only here.

- The portfolio's public facts (projects, funding, implementers, actions, indicators) are public.
- Status reports: every active user with a portal role reads them (coordinators see the other
  cities' projects too, the funder and the bodies read); a user granted
  ``projects.report_project`` on one project (its contact person) reads and edits that project's.
  A draft is read only by those who may edit it and by the strategy office.
- Editing: a coordinator of a city taking part in the project, or the project's contact person.
- Accepting and returning: the strategy office.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.access import Access, AnyUser, Fact, ObjectGrants, access_of
from governance.permissions import coordinated_city_ids, is_strategy_office, user_roles

from .models import Project, StatusReport

REPORT_PERM = "projects.report_project"


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


# The projects a contact person reports on: a guardian grant on the project, read on every
# report page: one prepared query.
_REPORT_PROJECT = ObjectGrants(Project, REPORT_PERM.split(".", 1)[1])


def _load_contact_project_ids(access: Access) -> frozenset[int]:
    return _REPORT_PROJECT.ids(access.user)


CONTACT_PROJECT_IDS: Fact[frozenset[int]] = Fact(
    "contact project ids", _load_contact_project_ids, frozenset()
)


def contact_project_ids(user: AnyUser) -> frozenset[int]:
    """Projects whose reports the user was granted to edit as contact person."""
    return access_of(user)[CONTACT_PROJECT_IDS]


def can_read_project(user: AnyUser, project: Project) -> bool:
    """A project's public facts (its page, and the fact sheet that prints them): everybody."""
    return True


def can_read_any_reports(user: AnyUser) -> bool:
    """Whether the user reads status reports in general (any portal role)."""
    return _active(user) and (bool(user_roles(user)) or bool(user.is_superuser))


def can_list_reports(user: AnyUser) -> bool:
    """The list of status reports: whoever reads them in general, or edits some as contact
    person."""
    return can_read_any_reports(user) or bool(contact_project_ids(user))


def can_read_reports(user: AnyUser, project: Project) -> bool:
    if not _active(user):
        return False
    return can_read_any_reports(user) or project.pk in contact_project_ids(user)


def can_edit_reports(user: AnyUser, project: Project) -> bool:
    """A coordinator of a participating city, or the project's contact person."""
    if not _active(user):
        return False
    if project.pk in contact_project_ids(user):
        return True
    cities = coordinated_city_ids(user)
    if not cities:
        return False
    if "cities" in getattr(project, "_prefetched_objects_cache", {}):
        return any(city.pk in cities for city in project.cities.all())
    # Asked more than once per request (reading a draft, then editing it): one query per user.
    answers = project.__dict__.setdefault("_sixaika_city_editors", {})
    if user.pk not in answers:
        answers[user.pk] = project.cities.filter(pk__in=cities).exists()
    return answers[user.pk]


def editable_project_ids(user: AnyUser, project_ids: list[int]) -> set[int]:
    """Of ``project_ids``, those whose reports the user edits (one query, for lists)."""
    if not _active(user):
        return set()
    allowed = set(contact_project_ids(user) & set(project_ids))
    cities = coordinated_city_ids(user)
    if cities:
        allowed |= set(
            Project.objects.filter(pk__in=project_ids, cities__in=cities).values_list(
                "pk", flat=True
            )
        )
    return allowed


def can_review_reports(user: AnyUser) -> bool:
    """Accept and return reports: the strategy office."""
    return _active(user) and is_strategy_office(user)


def can_import_projects(user: AnyUser) -> bool:
    return _active(user) and is_strategy_office(user)


def can_see_flagged(user: AnyUser) -> bool:
    return _active(user) and is_strategy_office(user)


def can_read_drafts(user: AnyUser, project: Project) -> bool:
    """A draft is its author's unfinished work: those who may edit the project's reports read
    it, and the strategy office; other coordinators, the bodies and the funder wait for it to
    be submitted."""
    return _active(user) and (is_strategy_office(user) or can_edit_reports(user, project))


def can_read_report(user: AnyUser, report: StatusReport) -> bool:
    if not can_read_reports(user, report.project):
        return False
    return report.state != StatusReport.State.DRAFT or can_read_drafts(user, report.project)


def readable_reports(user: AnyUser) -> QuerySet[StatusReport]:
    if not _active(user):
        return StatusReport.objects.none()
    if is_strategy_office(user):
        return StatusReport.objects.all()
    if can_read_any_reports(user):
        editable = Q(project_id__in=contact_project_ids(user))
        cities = coordinated_city_ids(user)
        if cities:
            editable |= Q(
                project_id__in=Project.cities.through.objects.filter(city_id__in=cities).values(
                    "project_id"
                )
            )
        return StatusReport.objects.filter(~Q(state=StatusReport.State.DRAFT) | editable)
    return StatusReport.objects.filter(project_id__in=contact_project_ids(user))


# The versions a report had while it was submitted for review or after: what every reader of the
# submitted report may see of its history.
SUBMITTED_STATES = (
    StatusReport.State.SUBMITTED,
    StatusReport.State.RESUBMITTED,
    StatusReport.State.ACCEPTED,
)


def readable_versions(user: AnyUser, report: StatusReport) -> QuerySet:
    """A report's earlier versions (django-simple-history) the user may read. Those who may read
    its drafts see every version; other readers only the versions it had as submitted,
    resubmitted or accepted: the author's drafts, and their edits after a return, stay theirs."""
    versions = report.history.all()
    if can_read_drafts(user, report.project):
        return versions
    return versions.filter(state__in=SUBMITTED_STATES)


def report_for_reading(user: AnyUser, pk: int) -> StatusReport:
    return _report_for_reading(user, pk, StatusReport.objects.select_related("project", "period"))


def report_for_editing(user: AnyUser, pk: int) -> StatusReport:
    report = _report_for_reading(user, pk, _with_city_editors(user))
    if not can_edit_reports(user, report.project):
        raise PermissionDenied
    return report


def _with_city_editors(user: AnyUser) -> QuerySet[StatusReport]:
    """The reports, each with whether one of the user's coordinated cities takes part in its
    project (``can_edit_reports``' question) answered in the same query: the edit form asks it
    on every request, and its own query cost as much CPU as the report's (issue 19)."""
    reports = StatusReport.objects.select_related("project", "period")
    cities = coordinated_city_ids(user) if _active(user) else frozenset()
    if not cities:
        return reports
    city_editor = Project.cities.through.objects.filter(
        project_id=OuterRef("project_id"), city_id__in=sorted(cities)
    )
    return reports.annotate(_sixaika_city_editor=Exists(city_editor))


def _report_for_reading(user: AnyUser, pk: int, reports: QuerySet[StatusReport]) -> StatusReport:
    report = get_object_or_404(reports, pk=pk)
    if hasattr(report, "_sixaika_city_editor"):
        report.project.__dict__.setdefault("_sixaika_city_editors", {})[user.pk] = (
            report._sixaika_city_editor
        )
    if not can_read_report(user, report):
        raise PermissionDenied
    return report


def project_for_reporting(user: AnyUser, pk: int) -> Project:
    project = get_object_or_404(Project, pk=pk)
    if not can_edit_reports(user, project):
        raise PermissionDenied
    return project
