# syntax=docker/dockerfile:1
# The production image of letterboxd-stats (see "Deployment (Docker Compose)" in README.md).
#
#   assets   npm ci from web/package-lock.json: the web UI's chart libraries and world map (never
#            vendored in git)
#   builder  uv sync from uv.lock (locked, no dev group, not editable) into /app/.venv
#   runtime  python slim + that virtualenv only; no build tools, runs as an unprivileged user
#
# One image runs every role; the command chooses: the API (the default CMD, uvicorn),
# `letterboxd-stats migrate` or `letterboxd-stats worker`.

ARG PYTHON_VERSION=3.11.13
ARG NODE_VERSION=22.12.0

# --- the front-end library, installed from the npm registry (locked) ---------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# --- the locked Python dependencies and the project, installed into a virtualenv ----------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder
ARG UV_VERSION=0.13.8
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /app
# Dependencies first (a layer that changes only with uv.lock), then the project itself.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-project
COPY README.md ./
COPY src ./src
COPY --from=assets /web/node_modules/chart.js/dist/chart.umd.min.js \
    src/letterboxd_stats/web/static/vendor/chart.umd.min.js
COPY --from=assets /web/node_modules/chartjs-chart-geo/build/index.umd.min.js \
    src/letterboxd_stats/web/static/vendor/chartjs-chart-geo.umd.min.js
COPY --from=assets /web/node_modules/chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js \
    src/letterboxd_stats/web/static/vendor/chartjs-chart-matrix.min.js
COPY --from=assets /web/node_modules/world-atlas/countries-110m.json \
    src/letterboxd_stats/web/static/vendor/countries-110m.json
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-editable \
    && /app/.venv/bin/python -c "from importlib.resources import files; \
vendor = files('letterboxd_stats').joinpath('web/static/vendor'); \
assert all(vendor.joinpath(f).is_file() for f in ('chart.umd.min.js', \
'chartjs-chart-geo.umd.min.js', 'chartjs-chart-matrix.min.js', 'countries-110m.json'))"

# --- what runs ---------------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:${PATH}" \
    WEB_CONCURRENCY=2
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
# The share cards' poster cache (POSTER_CACHE_DIR): a volume in compose.yaml, owned by the app.
RUN mkdir -p /var/cache/letterboxd-stats/posters \
    && chown -R 10001:10001 /var/cache/letterboxd-stats
ENV POSTER_CACHE_DIR=/var/cache/letterboxd-stats/posters
USER 10001:10001
EXPOSE 8000
# The API answers 200 on /api/health when its database answers (no curl in the image: urllib).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]
# API processes: $WEB_CONCURRENCY (serve reads it), or --workers N. `serve` runs uvicorn with
# the server settings of our config (SERVER_MAX_HEADER_BYTES, SERVER_KEEP_ALIVE_SECONDS,
# SERVER_GRACEFUL_SHUTDOWN_SECONDS; h11), no access log.
CMD ["letterboxd-stats", "serve", "--host", "0.0.0.0", "--port", "8000"]
