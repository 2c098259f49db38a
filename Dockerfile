# Production image for the 6Aika portal (web, worker and beat run the same image).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sixaika.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
      gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build-time only values: collectstatic and compilemessages need settings to import.
RUN DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build DJANGO_ALLOWED_HOSTS=build \
      python manage.py collectstatic --noinput -v0 \
 && DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build DJANGO_ALLOWED_HOSTS=build \
      python manage.py compilemessages -v0

RUN useradd --system --uid 1000 portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "sixaika.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
