"""Sign-in pages: the login page with a button per provider, and the provider sign-in itself
(mozilla-django-oidc's views with the provider taken from the URL and from the state)."""

from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sixaika import accounts_views

from .providers import SignInRefused, password_login_enabled, provider_get, providers

STATE_PROVIDERS = "sixaika_oidc_state_providers"


class LoginView(accounts_views.LoginView):
    """The login page: provider buttons, and the password form unless it is switched off."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_providers"] = providers()
        context["password_login"] = password_login_enabled()
        return context

    def post(self, request, *args, **kwargs):
        if not password_login_enabled():
            messages.error(
                request,
                _("Password sign-in is switched off. Sign in with your organisation's account."),
            )
            context = self.get_context_data(form=self.get_form_class()(request))
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


def _login_page(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


class ProviderSignInView(OIDCAuthenticationRequestView):
    """``/accounts/oidc/<provider>/``: off to the provider (code flow with PKCE and nonce)."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the library would read one provider's settings
        self.provider = None

    def get_settings(self, attr, *args):
        if self.provider is not None and attr == "OIDC_RP_SCOPES":
            return self.provider.scopes
        if attr == "OIDC_USE_PKCE":
            return True  # always, whatever the settings say
        return import_from_settings(attr, *args)

    def get(self, request, provider: str):
        self.provider = provider_get(provider)
        if self.provider is None:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.provider.endpoints()["authorization_endpoint"]
        except SignInRefused as refused:
            return _login_page(request, refused.message)
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        # The callback URL is one for all providers; the state says which one this sign-in uses.
        pending = {
            s: key
            for s, key in request.session.get(STATE_PROVIDERS, {}).items()
            if s in request.session.get("oidc_states", {})
        }
        pending[state] = self.provider.key
        request.session[STATE_PROVIDERS] = pending
        return response


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """``/accounts/oidc/callback/``: the provider sends the person back here with a code."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        state = request.GET.get("state", "")
        key = request.session.get(STATE_PROVIDERS, {}).get(state)
        provider = provider_get(key) if key else None
        if provider is None or state not in request.session.get("oidc_states", {}):
            return _login_page(
                request,
                _("The sign-in did not start from this portal, or it took too long. Try again."),
            )
        if request.GET.get("iss") and request.GET["iss"].rstrip("/") != provider.issuer:
            # RFC 9207: the answer must come from the provider the sign-in was sent to.
            return _login_page(
                request,
                _(
                    "The sign-in came from another service than the one chosen. "
                    "Sign-in was refused."
                ),
            )
        if request.GET.get("error"):
            super().get(request)  # forgets the state and logs out, as the library does
            return _login_page(
                request,
                _("The sign-in service “%(name)s” did not sign you in (%(error)s).")
                % {"name": provider.name, "error": request.GET["error"][:60]},
            )
        request.sixaika_oidc_provider = provider
        try:
            response = super().get(request)
        except SignInRefused as refused:
            return _login_page(request, refused.message)
        if self.request.user.is_authenticated and response.url != self.failure_url:
            return response
        return _login_page(request, _("Sign-in did not succeed. Try again."))
