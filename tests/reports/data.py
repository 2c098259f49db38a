"""A small portfolio with two reporting periods, indicators and a board decision, for the
monitoring report tests. Figures the tests expect are computed from the database, not here."""

import datetime as dt
import subprocess
import tempfile
from decimal import Decimal

from django.utils import timezone

from governance.models import AgendaItem, Body, Decision, Meeting, Minutes
from projects.models import RAG, Indicator, Project, ReportingPeriod, StatusReport
from tests.projects import factories

AS_OF = dt.date(2026, 3, 15)
ACCEPTED = StatusReport.State.ACCEPTED


def user(role: str = "strategy_office", username: str = "", city: str | None = None):
    """A user holding ``role`` (on ``city`` for a coordinator)."""
    from django.contrib.auth import get_user_model

    from governance.models import City
    from governance.services import user_role_grant

    account = get_user_model().objects.create_user(
        username=username or f"{role}-{city or 'all'}", email=f"{username or role}@example.org"
    )
    user_role_grant(user=account, role=role, city=City.objects.get(slug=city) if city else None)
    return account


def board_users() -> list:
    """User accounts (with e-mail) for the first three board seats' members and deputies."""
    from django.contrib.auth import get_user_model

    from governance.models import Seat

    made = []
    for seat in Seat.objects.filter(body__kind=Body.Kind.BOARD).order_by("order")[:3]:
        for person in (seat.member, seat.deputy):
            if person is None or person.user_id:
                continue
            person.user = get_user_model().objects.create_user(
                username=f"board-{person.pk}", email=f"board-{person.pk}@example.org"
            )
            person.save(update_fields=["user"])
            made.append(person.user)
    return made


def periods() -> tuple[ReportingPeriod, ReportingPeriod]:
    first = ReportingPeriod.objects.create(
        name="1/2025",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 30),
        due_date=dt.date(2025, 8, 31),
    )
    second = ReportingPeriod.objects.create(
        name="2/2025",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2025, 12, 31),
        due_date=dt.date(2026, 2, 28),
    )
    return first, second


def report(project, period, state, colour, costs=None) -> StatusReport:
    return StatusReport.objects.create(
        project=project, period=period, state=state, overall_status=colour, costs_to_date=costs
    )


def portfolio(extra: int = 0) -> dict[str, Project]:
    """Three named projects (and ``extra`` more, each with reports and an indicator)."""
    first, second = periods()
    a = factories.project(name="Älykäs satama", cities=("helsinki", "espoo"))
    b = factories.project(
        name="Datasilta", cities=("tampere", "oulu"), total="200000", granted="150000"
    )
    c = factories.project(
        name="Kiertotalouskampus", cities=("helsinki", "vantaa"), total="50000", granted="40000"
    )
    report(a, first, ACCEPTED, RAG.GREEN, Decimal("20000"))
    report(a, second, ACCEPTED, RAG.RED, Decimal("45000"))
    report(b, first, ACCEPTED, RAG.AMBER, Decimal("30000"))
    report(b, second, StatusReport.State.SUBMITTED, RAG.GREEN, Decimal("60000"))
    Indicator.objects.create(
        project=a, code="T1", name="Yritykset", unit="kpl", target=10, achieved=4
    )
    Indicator.objects.create(
        project=b, code="T1", name="Yritykset", unit="kpl", target=20, achieved=5
    )
    for n in range(extra):
        p = factories.project(name=f"Lisähanke {n}", cities=("turku", "oulu"))
        report(p, first, ACCEPTED, RAG.GREEN, Decimal("1000"))
        report(p, second, ACCEPTED, RAG.AMBER, Decimal("2000"))
        Indicator.objects.create(project=p, code=f"X{n}", name="Muu", unit="kpl", target=5)
    return {"a": a, "b": b, "c": c}


def board_meeting(*, starts_at, decided: bool = True) -> Meeting:
    meeting = Meeting.objects.create(
        body=Body.objects.get(kind=Body.Kind.BOARD), starts_at=starts_at, place="Espoo"
    )
    item = AgendaItem.objects.create(
        meeting=meeting, order=3, title="Hankerahoitus: Datasilta", draft_decision="Myönnetään."
    )
    if decided:
        Decision.objects.create(
            agenda_item=item,
            outcome=Decision.Outcome.APPROVED,
            text="Myönnettiin.",
            seats_present=8,
            seat_count=10,
            recorded_at=starts_at,
        )
        # Approved minutes: the board report lists decisions of approved minutes only.
        Minutes.objects.create(
            meeting=meeting,
            state=Minutes.State.APPROVED,
            drafted_at=starts_at,
            approved_at=starts_at,
        )
    return meeting


def past_board_meeting() -> Meeting:
    return board_meeting(
        starts_at=dt.datetime(2026, 3, 2, 13, 0, tzinfo=timezone.get_current_timezone())
    )


def pdftotext(data: bytes) -> str:
    """The PDF's text as a reader would copy it, spaces normalised."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(  # noqa: S603 - a fixed command on our own file
            ["pdftotext", "-raw", handle.name, "-"],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()
    return " ".join(out.replace("\xa0", " ").replace("\u202f", " ").split())


def norm(text: str) -> str:
    """``text`` with its spaces normalised as ``pdftotext`` above does."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


# --- Expected figures, computed and formatted by hand (not with the portal's own code) ---------


def fi_number(value, decimals: int = 0) -> str:
    """``1234567.5`` -> ``1 234 567,50`` with two decimals: Finnish grouping and comma,
    rounded half up, as a Finn writes it (spaces plain, as ``pdftotext`` above leaves them)."""
    from decimal import ROUND_HALF_UP

    amount = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _dot, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ("-" if amount < 0 else "") + " ".join(groups or ["0"])
    return f"{text},{fraction}" if decimals else text


def fi_eur(value) -> str:
    """Money as the reports print it: whole euros without decimals, otherwise with cents."""
    amount = Decimal(value)
    return f"{fi_number(amount, 0 if amount == amount.to_integral_value() else 2)} €"


def fi_percent(part, whole) -> str:
    """``part`` of ``whole`` as a whole percentage, ``"5 %"``."""
    return f"{fi_number(Decimal(part) * 100 / Decimal(whole))} %"


def expected_spent(projects, as_of: dt.date) -> Decimal:
    """Spent to date: each project's latest accepted report's costs by the date, summed."""
    total = Decimal(0)
    for project in projects:
        latest = (
            StatusReport.objects.filter(
                project=project,
                state=ACCEPTED,
                costs_to_date__isnull=False,
                period__start_date__lte=as_of,
            )
            .order_by("-period__start_date")
            .first()
        )
        total += latest.costs_to_date if latest else 0
    return total


def expected_planned(projects, as_of: dt.date) -> Decimal:
    """The plan by the date: each project's total cost spread evenly over its days."""
    total = Decimal(0)
    for p in projects:
        if not p.start_date or not p.end_date or as_of < p.start_date:
            continue
        if as_of >= p.end_date:
            total += p.total_cost
            continue
        days = (p.end_date - p.start_date).days + 1
        elapsed = (as_of - p.start_date).days + 1
        total += (p.total_cost * elapsed / days).quantize(Decimal("0.01"))
    return total


def expected_scores(application) -> list[Decimal]:
    """Each member's weighted mean score of ``application``, from the stored criterion scores."""
    from calls.models import CriterionScore

    per_member: dict[int, list[tuple[Decimal, int]]] = {}
    for score in CriterionScore.objects.filter(evaluation__application=application).select_related(
        "criterion"
    ):
        per_member.setdefault(score.evaluation_id, []).append((score.criterion.weight, score.score))
    return [
        sum(w * s for w, s in pairs) / sum(w for w, _s in pairs) for pairs in per_member.values()
    ]
