"""Template context every page needs: the navigation depends on the user's roles."""

from django.http import HttpRequest

from governance.permissions import user_roles


def portal(request: HttpRequest) -> dict[str, object]:
    return {"user_roles": user_roles(request.user)}
