"""What every app's demo data shares (``make run`` only; never created by migrations)."""

from functools import lru_cache

from django.contrib.auth.hashers import get_hasher, make_password

DEMO_PASSWORD = "demo-6aika"  # noqa: S105 - documented demo password, local accounts only
# The demo accounts' e-mail addresses: on a reserved top-level domain (RFC 2606: ``.invalid``
# never resolves), so no demo mail can reach anybody even if a real mail server is configured.
# The embedded default prints the portal's mail to the console instead of sending it.
DEMO_EMAIL_DOMAIN = "demo.6aika.invalid"


def demo_email(username: str) -> str:
    """A demo account's e-mail address: ``<username>@demo.6aika.invalid``."""
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_account_email_ensure(user) -> None:
    """Give a demo account its address if it has none (a database from before the demo had
    addresses gets them when ``load_demo`` runs again); an address set by hand is kept."""
    if not user.email:
        user.email = demo_email(user.get_username())
        user.save(update_fields=["email"])


def demo_password_set(user) -> None:
    """Give a new demo account the demo password. Hashing it costs a third of a second with
    Django's PBKDF2 (that is the point of it), and the demo has 18 accounts: the password is
    hashed once per process and hasher and the same hash given to every account. The password is
    the same, published one for all of them, so one salt hides nothing that another would."""
    user.password = _demo_password_hash(get_hasher().algorithm)


@lru_cache(maxsize=4)
def _demo_password_hash(algorithm: str) -> str:
    return make_password(DEMO_PASSWORD, hasher=algorithm)
