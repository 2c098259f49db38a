"""Who may see the sign-in records: the strategy office (it answers for people's roles)."""

from core.access import AnyUser
from governance.permissions import is_strategy_office


def can_view_sign_in_records(user: AnyUser) -> bool:
    return bool(user.is_active and user.is_staff and is_strategy_office(user))
