# The image for every process of the full deployment (docker-compose.yml): gunicorn, the Celery
# worker and beat, and the one-shot migrate step. Configuration comes from the environment only.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

# Dependencies first, read from pyproject.toml, so that a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Writable places, each a volume in docker-compose.yml: collected static files, uploads (outside
# the web root, served only through permission checks) and the beat schedule.
RUN groupadd --system aircop \
    && useradd --system --gid aircop --home-dir /app --no-create-home --shell /usr/sbin/nologin aircop \
    && mkdir -p /srv/aircop/static /srv/aircop/uploads /srv/aircop/beat /srv/aircop/var \
    && chown -R aircop:aircop /srv/aircop

COPY --chown=root:root . .

ENV AIRCOP_VAR_DIR=/srv/aircop/var \
    STATIC_ROOT=/srv/aircop/static \
    MEDIA_ROOT=/srv/aircop/uploads

USER aircop
EXPOSE 8000
CMD ["gunicorn", "aircop.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
