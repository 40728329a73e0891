# Rapport: nginx in front of gunicorn on a slim Python, as a non-root user; migrations run on
# start. nginx (Debian's) buffers requests so that slow clients cannot starve gunicorn.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml README.md ./
COPY service ./service
COPY matching ./matching
COPY migrations ./migrations
RUN /venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 rapport && mkdir /data && chown rapport /data
COPY --from=build /venv /venv
COPY gunicorn.conf.py docker/start.sh docker/nginx.conf /app/
WORKDIR /app
ENV PATH=/venv/bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8000 \
    GUNICORN_PORT=8001 \
    RAPPORT_PROXY_HOPS=1 \
    RAPPORT_PUBLIC_URL=http://localhost:8000 \
    DATABASE_URL=sqlite:////data/rapport.db \
    PYTHONUNBUFFERED=1
USER rapport
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['PORT'], timeout=4)"
CMD ["/app/start.sh"]
