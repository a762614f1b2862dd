# The service for production: runtime dependencies only (no dev extras, no browser), as a
# non-root user. `docker compose up` (compose.yaml) runs it with PostgreSQL; docs/operations.md.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY cli cli
COPY config config
COPY db db
COPY scheduler scheduler
COPY webhook webhook
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# pg_dump for `tocongnghe backup`: Debian 12 ships 15, the PostgreSQL of compose.yaml
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels tocongnghe && rm -rf /wheels
RUN useradd --create-home --uid 10001 tcn && mkdir -p /app/backups && chown -R tcn /app
USER tcn
WORKDIR /app
ENV PYTHONUNBUFFERED=1 MPLCONFIGDIR=/tmp/matplotlib
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# `serve` applies the migrations on start (`db upgrade`), then serves; SIGTERM stops it cleanly.
CMD ["tocongnghe", "serve", "--host", "0.0.0.0", "--port", "8000"]
