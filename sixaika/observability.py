"""Logs a city's log collector can read, and error reporting.

- ``JsonFormatter``: one JSON object per line with time (UTC, ISO 8601), level, logger,
  message, the request id and, in a Celery worker, the task's name and id.
- ``RequestIdMiddleware``: every request gets an id (the proxy's ``X-Request-ID`` when it sends
  a sane one, else a new one), answered in ``X-Request-ID`` and written on every log line the
  request causes. A task queued during the request carries the id along, so the worker's lines
  about it have the same id.
- ``sentry_init``: errors to Sentry (sentry-sdk) when ``SENTRY_DSN`` is set.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.http import HttpRequest

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
current_task: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "current_task", default=None
)

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The attributes every LogRecord has: anything else on a record was passed in ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        current = current_task.get()
        if current:
            entry["task"], entry["task_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The embedded default's readable lines, with the same request id."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = request_id.get()
        return f"{line} [request {rid}]" if rid else line


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        given = request.headers.get(HEADER, "")
        rid = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            return response
        finally:
            request_id.reset(token)


def connect_celery_signals() -> None:
    """Carry the request id into tasks and name the task on every worker log line."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _publish(headers: dict | None = None, **kwargs: object) -> None:
        rid = request_id.get()
        if rid and headers is not None:
            headers.setdefault("sixaika_request_id", rid)

    @signals.task_prerun.connect(weak=False)
    def _prerun(task_id: str = "", task: object = None, **kwargs: object) -> None:
        request = getattr(task, "request", None)
        rid = (
            getattr(request, "sixaika_request_id", None)
            or (getattr(request, "headers", None) or {}).get("sixaika_request_id")
            or task_id
        )
        request_id.set(str(rid))
        current_task.set((getattr(task, "name", ""), task_id))

    @signals.task_postrun.connect(weak=False)
    def _postrun(**kwargs: object) -> None:
        request_id.set("")
        current_task.set(None)

    @signals.beat_init.connect(weak=False)
    def _beat_ready(sender: object = None, **kwargs: object) -> None:
        # Sent once beat has opened its schedule: the file its healthcheck looks at exists.
        schedule = getattr(getattr(sender, "scheduler", None), "schedule_filename", "")
        logging.getLogger("sixaika.beat").info("beat: schedule in %s", schedule or "memory")


def sentry_init(dsn: str, *, environment: str, release: str = "") -> None:
    """Report unhandled errors of web requests and Celery tasks to Sentry. No personal data is
    sent (``send_default_pii`` off): the request id ties a report to the logs."""
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
