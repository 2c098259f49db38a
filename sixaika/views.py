"""Project-level pages: the home page, which gathers what each app says is the user's."""

import logging
import sys
from datetime import date

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import i18n as i18n_views

from core import languages
from governance import permissions as governance_permissions
from governance import selectors as governance_selectors
from governance.roles import Role
from projects import permissions as project_permissions
from projects import selectors as project_selectors
from reports import permissions as reports_permissions
from reports import selectors as reports_selectors


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers (and the benchmarks' floor): no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    user = request.user
    if user.is_authenticated:
        person = governance_permissions.person_of(user)
        context.update(
            person=person,
            # the access object's seats, which the menu asks too: no query of the page's own
            seats=governance_selectors.seat_lines(governance_permissions.seats_held(user))
            if person
            else [],
            coordinated_cities=governance_selectors.city_names(
                governance_permissions.coordinated_city_ids(user)
            ),
            role_labels=[
                Role(r).label for r in Role.values if r in governance_permissions.user_roles(user)
            ],
        )
        if governance_permissions.can_list_meetings(user):
            context["next_meeting"] = governance_selectors.next_meeting(
                governance_permissions.meetings_for_user(user)
            )
            context["sees_meetings"] = True
        if project_permissions.can_review_reports(user):
            # The strategy office's work: reports to review, records to complete, overdue
            # reports by city, monitoring reports being made, the next meetings and packs.
            context["office"] = project_selectors.office_home(today=timezone.localdate())
            context["office_monitoring"] = reports_selectors.office_home(
                reports=reports_permissions.reports_for(user),
                meetings=governance_permissions.meetings_for_user(user),
            )
        city_ids = [c.pk for c in context["coordinated_cities"]]
        if city_ids:
            context["coordinator"] = project_selectors.coordinator_home(
                city_ids=city_ids, today=timezone.localdate()
            )
    else:
        context.update(visitor_home())
    return render(request, "home.html", context)


# How many of the newest decisions the visitor's home page lists.
HOME_DECISIONS = 5


def visitor_home() -> dict[str, object]:
    """What a visitor's home page shows: the portfolio's figures (cached), the board's next
    meeting and the newest public decisions. Two queries when the figures are cached."""
    return {
        "totals": project_selectors.portfolio_totals(project_selectors.portfolio(), whole=True),
        "next_board_meeting": governance_selectors.next_board_meeting(),
        "latest_decisions": governance_selectors.latest_decisions(
            governance_permissions.decisions_public(), limit=HOME_DECISIONS
        ),
    }


# The accessibility statement (Act on the Provision of Digital Services 306/2019, section 15).
# Update the date whenever the statement's content changes.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 23)
ACCESSIBILITY_STATEMENT_UPDATED = date(2026, 11, 23)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Public: the law requires the statement to be reachable by everybody, logged in or not."""
    feedback_email = settings.SIXAIKA_ACCESSIBILITY_EMAIL
    return render(
        request,
        "accessibility.html",
        {
            "service_url": request.build_absolute_uri("/"),
            "feedback_email": feedback_email,
            "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
            "updated": ACCESSIBILITY_STATEMENT_UPDATED,
        },
    )


# The privacy notice (GDPR articles 13 and 14). Update the date whenever its content changes.
PRIVACY_NOTICE_UPDATED = date(2026, 12, 7)


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Public, like the accessibility statement: everybody whose data the portal keeps may read
    it without an account. The operator's values come from settings (README, "Settings")."""
    return render(
        request,
        "privacy.html",
        {
            "service_url": request.build_absolute_uri("/"),
            "controller": settings.SIXAIKA_PRIVACY_CONTROLLER,
            "controller_address": settings.SIXAIKA_PRIVACY_CONTROLLER_ADDRESS,
            "contact_email": settings.SIXAIKA_PRIVACY_EMAIL,
            "dpo": settings.SIXAIKA_PRIVACY_DPO,
            "role_expiry_days": settings.SIXAIKA_ROLE_EXPIRY_DAYS,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "updated": PRIVACY_NOTICE_UPDATED,
        },
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in user's choice is also kept for the mail the portal
    sends them (core.languages)."""
    response = i18n_views.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        languages.user_language_set(
            user=request.user, language=request.POST.get(i18n_views.LANGUAGE_QUERY_PARAMETER, "")
        )
    return response


log = logging.getLogger(__name__)
# Seconds a client is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER = 5


def _database_unreachable(error: BaseException | None) -> bool:
    """Whether an error (or one it arose from) says the database cannot be reached: refused,
    shutting down, the connection terminated or closed (OperationalError, InterfaceError), or
    a bare DatabaseError with no SQLSTATE, which is libpq's own report of a connection lost
    while a result was read ("server closed the connection unexpectedly": psycopg can only
    call it DatabaseError, as no server sent a code). An error the server sent with its code
    (a constraint, a syntax error, a bug) is the page's fault."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        if type(error) is DatabaseError and getattr(error.__cause__, "sqlstate", "") is None:
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. A database that cannot be reached (restarting, failing over) is not a
    fault of the page: answer 503 with Retry-After, so people and load balancers try again.

    Neither page touches the database or the session: they render without the request context.
    """
    error = sys.exc_info()[1]
    if _database_unreachable(error):
        log.warning("Database unreachable: %s", error)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
