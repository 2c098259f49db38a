"""Anonymous throttling for the API, counted in the cache (Redis in production)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class ApiAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, reading its rate when a request comes rather than when the
    module is imported, so that the setting (``SIXAIKA_API_ANON_RATE``) can change at run
    time and in tests. Signed-in portal users are not throttled."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
