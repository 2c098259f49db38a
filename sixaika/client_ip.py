"""The client's address behind the portal's own reverse proxies.

Behind a TLS-terminating proxy every request comes from the proxy's address. The proxy appends
the address it saw to ``X-Forwarded-For``; with ``SIXAIKA_TRUSTED_PROXIES=N`` the portal trusts
the last N entries of that header (the ones its own proxies wrote) and takes the client as the
entry the outermost trusted proxy saw. Anything a client writes into the header itself lies to
the left of that and is ignored. With 0 (the default) the header is ignored altogether: a
portal reached directly must never let a client choose its own address.

``ClientAddressMiddleware`` puts the result into ``REMOTE_ADDR`` first thing, so the login
lockout (django-axes), the API throttle (DRF) and the logs all count the same address.
"""

from django.conf import settings
from django.http import HttpRequest

PEER_KEY = "SIXAIKA_PEER_ADDR"  # the address of whoever opened the connection (the proxy)


def resolve(meta: dict) -> str:
    """The client address for a request's META as the WSGI server gave it."""
    peer = meta.get("REMOTE_ADDR", "") or ""
    trusted = settings.SIXAIKA_TRUSTED_PROXIES
    header = meta.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not header:
        return peer
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if not hops:
        return peer
    # The rightmost entry was written by the proxy nearest the portal; N trusted proxies wrote
    # the last N entries, and the N-th from the right is the address the outermost one saw.
    return hops[-trusted] if len(hops) >= trusted else hops[0]


def client_ip(request: HttpRequest) -> str:
    """The client address (django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    if PEER_KEY in request.META:  # already resolved by the middleware
        return request.META["REMOTE_ADDR"]
    return resolve(request.META)


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if PEER_KEY not in request.META:
            request.META[PEER_KEY] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = resolve(request.META)
        return self.get_response(request)
