"""Demo accounts for ``make run`` (never created by migrations). Password: ``demo-6aika``; each
account's e-mail address is ``<username>@demo.6aika.invalid`` (``core.demo.demo_email``)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from calls.demo import DEMO_SCORERS, calls_demo_load, scorer_username
from coordination.demo import coordination_demo_load
from core.demo import (
    DEMO_PASSWORD,  # noqa: F401 - the demo password, where the demo accounts are
    demo_account_email_ensure,
    demo_email,
    demo_password_set,
)
from governance.demo import DEMO_BOARD_ACCOUNTS, meetings_demo_load
from governance.models import City, Person
from governance.roles import Role
from governance.services import user_role_grant
from projects.demo import portfolio_demo_load

# username, role, city slug, person (first, last) to link, is_staff
DEMO_ACCOUNTS: list[tuple[str, str, str | None, tuple[str, str] | None, bool]] = [
    ("toimisto", Role.STRATEGY_OFFICE, None, None, True),
    *[
        (f"koordinaattori-{slug}", Role.COORDINATOR, slug, None, False)
        for slug in ("helsinki", "espoo", "vantaa", "tampere", "turku", "oulu")
    ],
    ("johtoryhma-pj", Role.BOARD, None, ("Tuula", "Antola"), False),
    ("johtoryhma", Role.BOARD, None, ("Kimmo", "Viljamaa"), False),
    ("ohjausryhma", Role.STEERING_GROUP, None, ("Riitta", "Birkstedt"), False),
    ("rahoittaja", Role.FUNDER, None, None, False),
]


def demo_accounts_load() -> list[str]:
    """Create the demo accounts once; return the usernames created now."""
    User = get_user_model()
    created = []
    with transaction.atomic():
        for username, role, city_slug, person_name, is_staff in DEMO_ACCOUNTS:
            user, is_new = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_staff, "email": demo_email(username)}
            )
            if not is_new:
                demo_account_email_ensure(user)
                continue
            demo_password_set(user)
            user.save()
            city = City.objects.get(slug=city_slug) if city_slug else None
            user_role_grant(user=user, role=role, city=city)
            if person_name:
                Person.objects.filter(
                    first_name=person_name[0], last_name=person_name[1], user__isnull=True
                ).update(user=user)
            created.append(username)
        meetings_demo_load()
        portfolio_demo_load()
        calls_demo_load()
        coordination_demo_load()  # last: it links demo projects
        # A database loaded before the demo accounts had addresses gets them now.
        for user in User.objects.filter(username__in=demo_usernames(), email=""):
            demo_account_email_ensure(user)
    return created


def demo_usernames() -> list[str]:
    """Every demo account: the table above, the board's (governance.demo) and the steering
    group's scorers (calls.demo)."""
    return [
        *(row[0] for row in DEMO_ACCOUNTS),
        *(username for username, _first, _last in DEMO_BOARD_ACCOUNTS),
        *(scorer_username(last) for _first, last in DEMO_SCORERS),
    ]
