"""A Redis cache that degrades instead of failing when Redis is down.

The portal uses its cache for things it can do without Redis for a while: the API's throttle
counters, the first-seen times behind Last-Modified, and the public pages kept for anonymous
visitors (core/page_cache.py: rendered for every request while Redis is down, see
``degraded``). With Django's own RedisCache a dead Redis
raises on every request that touches the cache, and pages fail. Here every operation that cannot
reach Redis goes to a cache in the process's own memory instead, and a warning is logged (once a
minute at most, not per request). So the API stays throttled while Redis is down, each worker
process counting on its own (a caller gets at most the rate times the number of workers), and
Last-Modified is each process's own first sighting; when Redis is back, Redis is used again.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60


def _warn(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - DegradingRedisCache.last_warning >= WARN_EVERY_SECONDS:
        DegradingRedisCache.last_warning = now
        log.warning(
            "Cache unavailable (%s: %s); using process memory until it is back", operation, error
        )


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every operation, and each one builds its
    table of some two hundred reply callbacks (a tenth of a millisecond, several times per
    signed-in request, issue 19). One ``redis.Redis`` per connection pool, kept: it holds no
    state of its own between commands, and the pool hands out the connections as before."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    last_warning = 0.0
    # Whether this thread's last operation went to the process's memory: what only a cache
    # shared by every process may keep (core/page_cache.py) is not kept meanwhile.
    degraded = False

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # Same key prefix, version and timeouts; a name of its own per Redis location.
        local = {k: v for k, v in params.items() if k != "OPTIONS"}
        self._local = LocMemCache(f"sixaika-degraded-{server}", local)

    def _degrade(self, name: str, *args: Any) -> Any:
        try:
            answer = getattr(RedisCache, name)(self, *args)
        except (RedisError, OSError) as error:
            _warn(name, error)
            self.degraded = True
            return getattr(self._local, name)(*args)
        self.degraded = False
        return answer

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._degrade("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._degrade("delete", key, version)

    def get_many(self, keys, version=None):
        return self._degrade("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._degrade("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._degrade("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._degrade("delete_many", keys, version)

    def clear(self):
        return self._degrade("clear")
