"""WSGI entry point (gunicorn sixaika.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixaika.settings.base")
application = get_wsgi_application()
