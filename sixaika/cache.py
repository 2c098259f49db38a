"""A Redis cache that degrades instead of failing when Redis is down.

The portal uses its cache for things it can do without: the API's throttle counters and the
first-seen times behind Last-Modified. With Django's own RedisCache a dead Redis raises on every
request that touches the cache, and pages fail. Here a read that cannot reach Redis is a miss,
a write is dropped, and a warning is logged (once a minute at most, not per request): throttling
is off and Last-Modified is "now" until Redis is back, and nothing else notices.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60


def _warn(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - DegradingRedisCache.last_warning >= WARN_EVERY_SECONDS:
        DegradingRedisCache.last_warning = now
        log.warning("Cache unavailable (%s: %s); working without it", operation, error)


class DegradingRedisCache(RedisCache):
    last_warning = 0.0

    def _degrade(self, fallback: Any, method: Callable[..., Any], *args: Any) -> Any:
        try:
            return method(self, *args)
        except (RedisError, OSError) as error:
            _warn(method.__name__, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade(False, RedisCache.add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._degrade(default, RedisCache.get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade(None, RedisCache.set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade(False, RedisCache.touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._degrade(False, RedisCache.delete, key, version)

    def get_many(self, keys, version=None):
        return self._degrade({}, RedisCache.get_many, keys, version)

    def has_key(self, key, version=None):
        return self._degrade(False, RedisCache.has_key, key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return RedisCache.incr(self, key, delta, version)
        except (RedisError, OSError) as error:
            _warn("incr", error)
            # What Django's caches do for a key that is not there.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade(list(data), RedisCache.set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._degrade(None, RedisCache.delete_many, keys, version)

    def clear(self):
        return self._degrade(False, RedisCache.clear)
