"""Test-only control endpoint: register the portal as a client, put users in groups, switch
the fault mode. Protected by PROVIDER_CONTROL_TOKEN; the provider listens on loopback only."""

import hmac
import json
import os

from django.contrib.auth.models import Group, User
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_application_model

from . import validators


@csrf_exempt
@require_POST
def control(request):
    token = os.environ.get("PROVIDER_CONTROL_TOKEN", "")
    if not token or not hmac.compare_digest(request.headers.get("X-Control-Token", ""), token):
        return HttpResponseForbidden("no")
    data = json.loads(request.body)
    action = data["action"]
    if action == "mode":
        if data["mode"] not in validators.MODES:
            return HttpResponse("unknown mode", status=400)
        validators.state["mode"] = data["mode"]
    elif action == "client":
        Application = get_application_model()
        app, _ = Application.objects.get_or_create(
            client_id=data["client_id"],
            defaults={
                "name": data["client_id"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
        app.client_secret = data["client_secret"]  # hashed on save
        app.redirect_uris = " ".join(data["redirect_uris"])
        app.save()
    elif action == "user":
        user, _ = User.objects.get_or_create(username=data["username"])
        user.set_password(data["password"])
        user.email = data.get("email", "")
        user.first_name = data.get("given_name", "")
        user.last_name = data.get("family_name", "")
        user.save()
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data["groups"]])
    else:
        return HttpResponse("unknown action", status=400)
    return JsonResponse({"ok": True})
