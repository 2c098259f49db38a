"""Sessions kept in the database and read from the portal's Redis cache (Django's ``cached_db``).

The database stays the store of record: every save and delete goes to it first. A signed-in
request reads its session from the cache instead of by a query of its own (issue 19: the
session's query and its ORM compilation were a fifth of a signed-in page's server CPU).

Two differences from Django's ``cached_db``, both because core/cache.py goes on in each
process's own memory while Redis is down:

- a read answered from process memory is not trusted: the session is read from the database
  (and a logout in one process cannot be missed by another that kept a copy);
- a copy is kept in the cache for at most ``CACHE_SECONDS``, not for the session's whole age:
  a logout while Redis is unreachable cannot delete the copy in Redis, and a copy that outlived
  its session in the database is gone within minutes when Redis is back.
"""

from typing import Any

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

CACHE_SECONDS = 300


class SessionStore(CachedDBStore):
    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - Django's own: an invalid key is a new session
            data = None
        if data is not None and not getattr(self._cache, "degraded", False):
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._keep(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._keep(self._session, self.get_expiry_age())

    def _keep(self, data: dict[str, Any], age: int) -> None:
        if age > 0:
            self._cache.set(self.cache_key, data, min(age, CACHE_SECONDS))
