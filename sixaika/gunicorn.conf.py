"""gunicorn's configuration for the portal's web service (``gunicorn -c sixaika/gunicorn.conf.py
sixaika.wsgi``), every value from the environment so a city's IT tunes it in ``.env``.

Access log lines go through the same JSON formatter as the portal's own logs, with the request
id the portal answers in ``X-Request-ID``.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside its container
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 1)
# A request longer than this is killed; the longest page (a PDF of the agenda) takes seconds.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced after this many requests (with jitter, not all at once): memory that a
# long-lived process gathers is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The proxy in front sets X-Forwarded-*; the portal itself decides which to trust
# (SECURE_PROXY_SSL_HEADER, SIXAIKA_TRUSTED_PROXIES), so gunicorn passes them through as given.
forwarded_allow_ips = "*"
# gunicorn's control socket (gunicornc) is not used; off, so that gunicorns on one machine (a
# host running several stacks, the tests) never share its default path in $HOME.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Say when a worker has loaded the portal and takes requests (gunicorn itself says only
    that it is booting): what a probe or an operator reading the logs waits for."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)


accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s agent="%(a)s"'
_format = os.environ.get("SIXAIKA_LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "sixaika.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": _format},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
