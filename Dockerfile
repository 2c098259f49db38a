# Production image for the 6Aika portal (web, worker and beat run the same image).
# The build context is filtered by .dockerignore: no .env, backups, media, var, tests or bench.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sixaika.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
      gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Every package pinned with its hashes (requirements.lock, made by pip-compile from
# requirements.txt): pip refuses anything else, indirect packages included.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
# Build-time only values: collectstatic and compilemessages need settings to import. The hardened
# settings are production's without the refusals that need the running stack (broker, mail).
RUN DJANGO_SETTINGS_MODULE=sixaika.settings.hardened DJANGO_SECRET_KEY=build \
      DATABASE_URL=postgres://build@localhost/build DJANGO_ALLOWED_HOSTS=build \
      python manage.py collectstatic --noinput -v0 \
 && DJANGO_SETTINGS_MODULE=sixaika.settings.hardened DJANGO_SECRET_KEY=build \
      DATABASE_URL=postgres://build@localhost/build DJANGO_ALLOWED_HOSTS=build \
      python manage.py compilemessages -v0

RUN useradd --system --uid 1000 portal \
 && mkdir -p /app/media /app/var/beat && chown portal /app/media /app/var /app/var/beat
USER portal
EXPOSE 8000
# The web service's readiness (database, Redis, broker, storage); compose gives worker and beat
# checks of their own.
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "scripts/probe.py", "http://127.0.0.1:8000/readyz/"]
CMD ["gunicorn", "-c", "sixaika/gunicorn.conf.py", "sixaika.wsgi"]
