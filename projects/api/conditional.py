"""Conditional GET for the API: an ETag and a Last-Modified on every answer, and 304 Not
Modified to a harvester whose copy is still current. A streamed answer takes part when it
carries ``content_digest``, the SHA-256 of its body (the bulk downloads do).

The ETag is a hash of the representation itself, so it is right whatever changed underneath
(an organisation renamed, an indicator target corrected), including tables that keep no
timestamp. Last-Modified is the time this server first served that exact representation of
the URL, remembered in the cache next to its ETag; when the representation changes the time
moves forward by at least a second, so a client's If-Modified-Since never hides a change.
A forgotten entry (cache cleared) only makes the time later: a client then downloads once
more, it never misses a change.
"""

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# How long a URL's first-seen time is remembered; afterwards it starts again from "now".
FIRST_SEEN_SECONDS = 30 * 24 * 3600


def _first_seen(key: str, etag: str) -> int:
    now = int(time.time())
    entry = cache.get(key)
    if entry is not None and entry[0] == etag:
        return entry[1]
    seen = now if entry is None else max(now, entry[1] + 1)
    cache.set(key, (etag, seen), timeout=FIRST_SEEN_SECONDS)
    return seen


def conditional_response(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Add the validators to a rendered 200 answer to GET or HEAD; answer 304 when the
    client's If-None-Match or If-Modified-Since shows its copy is current."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if getattr(response, "streaming", False):
        # A streamed answer has validators only if it knows the hash of what it streams (the
        # bulk downloads, spooled to a file first).
        digest = getattr(response, "content_digest", None)
        if digest is None:
            return response
    else:
        digest = hashlib.sha256(response.content).hexdigest()
    digest = digest[:40]
    etag = f'"{digest}"'
    # One entry per representation: the links inside carry the host, the title its language.
    key_source = "|".join(
        [
            request.build_absolute_uri(),
            response.get("Content-Type", ""),
            response.get("Content-Language", ""),
        ]
    )
    key = "api-first-seen:" + hashlib.sha256(key_source.encode()).hexdigest()
    last_modified = _first_seen(key, etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Caches may keep the answer but must ask again each time: with the validators above
    # that costs a 304.
    patch_cache_control(response, public=True, no_cache=True)
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    file = getattr(response, "file_to_stream", None)
    if answer is not response and file is not None:  # 304: the streamed file is not sent
        file.close()  # (not response.close(): that would end the request, and its connections)
    return answer
