"""Template context every page needs: what the navigation and the templates may offer the user.

Templates never test role names: they ask ``can``, whose every answer is the permission function
the view behind the link calls, so a link is shown exactly when following it is allowed
(tests/test_access.py walks the menu against the views for every role).
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.functional import cached_property

from coordination import permissions as coordination
from governance import permissions as governance
from projects import permissions as projects
from reports import permissions as reports


class Capabilities:
    """Each answer is computed on first use in the page, from the user's one access object
    (core/access.py): a page that shows no such link asks nothing."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._user = request.user

    @cached_property
    def list_meetings(self) -> bool:  # meetings:list, meetings:next
        return governance.can_list_meetings(self._user)

    @cached_property
    def read_coordination(self) -> bool:  # visitor groups, events, adoption of results
        return coordination.is_reader(self._user)

    @cached_property
    def view_reports(self) -> bool:  # reports:list
        return reports.can_use_reports(self._user)

    @cached_property
    def view_audit(self) -> bool:  # coordination:audit
        return coordination.can_browse_audit(self._user)

    @cached_property
    def list_status_reports(self) -> bool:  # projects:report_list
        return projects.can_list_reports(self._user)

    @cached_property
    def review_status_reports(self) -> bool:  # projects:report_list?state=submitted
        return projects.can_review_reports(self._user)

    @cached_property
    def manage_projects(self) -> bool:  # projects:create, projects:edit, projects:work, import
        return projects.can_import_projects(self._user)

    @cached_property
    def see_flagged_projects(self) -> bool:  # projects:flagged
        return projects.can_see_flagged(self._user)

    @cached_property
    def use_admin(self) -> bool:  # admin:index: the admin site's own rule
        return admin.site.has_permission(self._request)


def portal(request: HttpRequest) -> dict[str, object]:
    return {"can": Capabilities(request)}
