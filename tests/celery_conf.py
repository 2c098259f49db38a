"""Point the portal's Celery app somewhere else for one test, and back.

Celery keeps what it derived from its configuration the first time it was asked (the default
queue, the queue table, the router, the connection and producer pools). Changing ``app.conf``
alone leaves those as they were: a test that set another default queue earlier in the same
process made every later task go to that queue, where no worker listened. So every change goes
through :func:`celery_configure`, which forgets them too.
"""

from contextlib import contextmanager

DERIVED = ("default_queue", "queues", "router", "default_exchange")


def celery_configure(app, **conf) -> None:
    app.conf.update(conf)
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        for name in DERIVED:
            amqp.__dict__.pop(name, None)
        amqp._producer_pool = None
    app._pool = None


@contextmanager
def celery_configured(app, **conf):
    """``with celery_configured(app, task_default_queue=...):`` and back afterwards."""
    saved = {key: app.conf[key] for key in conf}
    celery_configure(app, **conf)
    try:
        yield app
    finally:
        celery_configure(app, **saved)
