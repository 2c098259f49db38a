"""Role synchronisation rules and the expiry of roles of people who do not sign in."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from governance.models import City
from governance.permissions import coordinated_cities, user_roles
from governance.services import user_role_grant
from sixaika.oidc import services, tasks
from sixaika.oidc.models import ExternalIdentity, ExternalRoleGrant, InactivityNotice

CITIES = {"helsinki", "tampere", "oulu"}


def _roles(user) -> set[str]:
    """The roles as stored now (user_roles caches on the object it is given)."""
    return user_roles(get_user_model().objects.get(pk=user.pk))


def test_group_names_by_the_convention():
    wanted, unknown = services.roles_from_groups(
        [
            "6aika__strategy_office",
            "6aika__board",
            "6aika__steering_group",
            "6aika__funder",
            "6aika__coordinator__tampere",
            "/6aika__coordinator__oulu",  # Keycloak with full group paths
            "6aika__coordinator__lahti",  # no such city in the portal
            "6aika__coordinator",
            "6aika__Board",
            "Domain Users",
        ],
        city_slugs=CITIES,
    )
    assert wanted == {
        ("strategy_office", None),
        ("board", None),
        ("steering_group", None),
        ("funder", None),
        ("coordinator", "tampere"),
        ("coordinator", "oulu"),
    }
    assert unknown == ["6aika__Board", "6aika__coordinator", "6aika__coordinator__lahti"]


@pytest.mark.django_db
def test_revoking_a_coordinator_city_keeps_the_role_while_a_city_remains(org_6aika):
    user = get_user_model().objects.create_user("k")
    tampere, oulu = City.objects.get(slug="tampere"), City.objects.get(slug="oulu")
    user_role_grant(user=user, role="coordinator", city=tampere)
    user_role_grant(user=user, role="coordinator", city=oulu)
    user_role_grant(user=user, role="board")

    services.user_role_revoke(user=user, role="coordinator", city=tampere)
    assert _roles(user) == {"coordinator", "board"}
    assert list(coordinated_cities(user).values_list("slug", flat=True)) == ["oulu"]

    services.user_role_revoke(user=user, role="coordinator", city=oulu)
    services.user_role_revoke(user=user, role="board")
    assert _roles(user) == set()
    assert not coordinated_cities(user).exists()


@pytest.mark.django_db
def test_a_role_from_two_providers_goes_with_the_last(org_6aika):
    claims = {"sub": "42", "email": "a@b.example"}
    first = services.oidc_sign_in(provider="a", claims=claims, groups=["6aika__board"]).user
    second = services.oidc_sign_in(provider="b", claims=claims, groups=["6aika__board"]).user
    assert first != second  # one account per provider identity; never matched by email
    # The same account through two providers (linked by the office): both own the role.
    ExternalRoleGrant.objects.filter(user=second).update(user=first)
    ExternalIdentity.objects.filter(provider="b").update(user=first)
    services.oidc_sign_in(provider="a", claims=claims, groups=[])
    assert _roles(first) == {"board"}
    services.oidc_sign_in(provider="b", claims=claims, groups=[])
    assert _roles(first) == set()


def _role_holder(username, *, days_ago, email="x@kaupunki.example", last_login=True):
    User = get_user_model()
    when = timezone.now() - timedelta(days=days_ago)
    user = User.objects.create_user(username, email=email)
    User.objects.filter(pk=user.pk).update(
        last_login=when if last_login else None, date_joined=when
    )
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_inactive_people_are_warned_then_lose_their_roles(
    org_6aika, django_capture_on_commit_callbacks, settings
):
    settings.SIXAIKA_ROLE_EXPIRY_DAYS = 365
    settings.SIXAIKA_ROLE_EXPIRY_WARNING_DAYS = 14
    tampere = City.objects.get(slug="tampere")
    active = _role_holder("active", days_ago=300)
    user_role_grant(user=active, role="board")
    soon = _role_holder("soon", days_ago=355)
    user_role_grant(user=soon, role="coordinator", city=tampere)
    gone = _role_holder("gone", days_ago=366, last_login=False)  # never signed in
    user_role_grant(user=gone, role="coordinator", city=tampere)
    user_role_grant(user=gone, role="funder")
    ExternalRoleGrant.objects.create(user=gone, role="funder", provider="kaupunki")
    no_roles = _role_holder("no-roles", days_ago=800)

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.inactive_roles_expire.apply().get()

    assert report == {"warned": ["soon"], "removed": ["gone"]}
    assert _roles(active) == {"board"}
    assert _roles(soon) == {"coordinator"}
    assert _roles(gone) == set() and not coordinated_cities(gone).exists()
    assert not ExternalRoleGrant.objects.filter(user=gone).exists()
    assert not InactivityNotice.objects.filter(user=no_roles).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    removal = timezone.localtime(soon.last_login + timedelta(days=365))
    assert message.to == ["x@kaupunki.example"]
    assert message.subject == (
        f"Roolisi 6Aika-portaalissa poistetaan {removal.day}.{removal.month}.{removal.year}"
    )
    assert "Kaupunkikoordinaattori" in message.body
    assert f"{removal.day}.{removal.month}.{removal.year}" in message.body

    # The next day: nobody is warned or cleared twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.inactive_roles_expire(now=timezone.now() + timedelta(days=1))
    assert (again.warned, again.removed) == ([], [])
    assert len(mail.outbox) == 1

    # "soon" does not sign in: the roles go when the time is up.
    later = services.inactive_roles_expire(now=timezone.now() + timedelta(days=11))
    assert later.removed == ["soon"]
    assert _roles(soon) == set()


@pytest.mark.django_db
def test_signing_in_starts_a_new_period(org_6aika, django_capture_on_commit_callbacks):
    soon = _role_holder("soon", days_ago=355)
    user_role_grant(user=soon, role="board")
    with django_capture_on_commit_callbacks(execute=True):
        services.inactive_roles_expire()
    soon.last_login = timezone.now()
    soon.save()
    report = services.inactive_roles_expire(now=timezone.now() + timedelta(days=20))
    assert (report.warned, report.removed) == ([], [])
    assert _roles(soon) == {"board"}


@pytest.mark.django_db
def test_without_email_the_roles_still_expire(org_6aika, caplog):
    silent = _role_holder("silent", days_ago=360, email="")
    user_role_grant(user=silent, role="funder")
    assert services.inactive_roles_expire().warned == ["silent"]
    assert len(mail.outbox) == 0
    assert "no email to warn" in caplog.text
    assert services.inactive_roles_expire(now=timezone.now() + timedelta(days=6)).removed == [
        "silent"
    ]


def test_the_task_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sixaika-oidc-inactive-roles-expire"]
    assert entry["task"] == tasks.inactive_roles_expire.name


@pytest.mark.django_db
def test_a_provider_grant_is_recorded_once(org_6aika):
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.create_user("once")
    oulu = City.objects.get(slug="oulu")
    ExternalRoleGrant.objects.create(user=user, role="board", provider="kaupunki")
    ExternalRoleGrant.objects.create(user=user, role="coordinator", city=oulu, provider="kaupunki")
    for kwargs in ({"role": "board"}, {"role": "coordinator", "city": oulu}):
        with pytest.raises(ValidationError):
            ExternalRoleGrant(user=user, provider="kaupunki", **kwargs).full_clean()
    with pytest.raises(ValidationError):  # a coordinator needs a city, other roles none
        ExternalRoleGrant(user=user, role="coordinator", provider="seutu").full_clean()
    with pytest.raises(ValidationError):
        ExternalRoleGrant(user=user, role="funder", city=oulu, provider="seutu").full_clean()
